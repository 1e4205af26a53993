package dme.job.stage;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.AudioFiles;
import dme.core.audio.LocalFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request for a song whose masters exist (on an executor): the stems (when another format, bit
 * rate or mode is asked) and the mix are derived from the stored masters; the separator is not
 * involved.
 */
public final class RemixSong implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RemixSong.class);

    private final JobContext ctx;

    public RemixSong(JobContext ctx) {
        this.ctx = ctx;
    }

    /**
     * True when the song's four lossless masters exist, so any request for it (any format, bit rate,
     * mode or mix) is served from them without separating again.
     */
    public static boolean stemsExist(Storage storage, SongTask song) throws IOException {
        for (Stem s : Stem.values()) {
            if (!storage.exists(storage.layout().master(song.musicId(), s))) {
                return false;
            }
        }
        return true;
    }

    public Published remix(SongTask song) throws IOException {
        Storage storage = ctx.storage();
        StorageLayout layout = storage.layout();
        Path scratch = Files.createTempDirectory(ctx.config().localTmp(), "dme-mix-" + song.musicId() + "-");
        List<LocalFile> copies = new ArrayList<>();
        try {
            Map<Stem, Path> masters = new EnumMap<>(Stem.class);
            for (Stem s : Stem.values()) {
                LocalFile local = AudioFiles.localCopy(storage.fs(), layout.master(song.musicId(), s), ctx.config().localTmp());
                copies.add(local);
                masters.put(s, local.path());
            }
            Published p = SongRenderer.publish(ctx, storage, song, masters, scratch);
            LOG.info("song {} rendered from its masters: {}", song.musicId(), p.mixFile());
            return p;
        } finally {
            for (LocalFile c : copies) {
                c.close();
            }
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
