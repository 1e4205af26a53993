package dme.job;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.AudioFiles;
import dme.core.audio.AudioReader;
import dme.core.audio.LocalFile;
import dme.core.audio.AudioWriter;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A new selection for a song whose stems exist: only the mix is made, from the stored stems. */
final class RemixSong implements Function<SongTask, SongOutput.Published> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RemixSong.class);

    private final JobContext ctx;

    RemixSong(JobContext ctx) {
        this.ctx = ctx;
    }

    /** True when all four stems of the song exist in the song's requested format. */
    static boolean stemsExist(Storage storage, SongTask song) throws IOException {
        String ext = OutputFormat.parse(song.format()).extension();
        for (Stem s : Stem.values()) {
            if (!storage.exists(storage.layout().stem(song.musicId(), s, ext))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public SongOutput.Published call(SongTask song) throws IOException {
        Storage storage = ctx.storage();
        StorageLayout layout = storage.layout();
        OutputFormat format = OutputFormat.parse(song.format());
        Path mixFile = Files.createTempFile(ctx.config().localTmp(), "dme-mix-" + song.musicId() + "-", "." + format.extension());
        List<AudioReader> readers = new ArrayList<>();
        List<LocalFile> copies = new ArrayList<>();
        try {
            for (Stem s : song.selection()) {
                org.apache.hadoop.fs.Path stem = layout.stem(song.musicId(), s, format.extension());
                LocalFile local = AudioFiles.localCopy(storage.fs(), stem, ctx.config().localTmp());
                copies.add(local);
                readers.add(AudioReader.open(local.path()));
            }
            Mp3Encoder mp3 = Mp3Encoder.forFormat(format, ctx.config().mp3Encoder());
            try (AudioWriter out = AudioWriter.open(mixFile, format, ctx.config().mp3BitrateKbps(), Map.of(), mp3)) {
                int block = 16_384;
                float[][] sum = new float[2][block];
                float[][] buf = new float[2][block];
                while (true) {
                    int n = -1;
                    java.util.Arrays.fill(sum[0], 0f);
                    java.util.Arrays.fill(sum[1], 0f);
                    for (AudioReader r : readers) {
                        int got = readFully(r, buf, block);
                        n = Math.max(n, got);
                        for (int c = 0; c < 2; c++) {
                            for (int i = 0; i < got; i++) {
                                sum[c][i] += buf[c][i];
                            }
                        }
                    }
                    if (n <= 0) {
                        break;
                    }
                    out.write(sum, 0, n);
                }
            }
            org.apache.hadoop.fs.Path target = layout.mix(song.musicId(), song.selection(), format.extension());
            storage.copyFromLocal(mixFile, target);
            List<String> stems = new ArrayList<>();
            for (Stem s : Stem.values()) {
                stems.add(layout.stem(song.musicId(), s, format.extension()).getName());
            }
            LOG.info("song {} remixed from its stems: {}", song.musicId(), target.getName());
            return new SongOutput.Published(stems, target.getName());
        } finally {
            for (AudioReader r : readers) {
                r.close();
            }
            for (LocalFile c : copies) {
                c.close();
            }
            Files.deleteIfExists(mixFile);
        }
    }

    private static int readFully(AudioReader r, float[][] buf, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = r.read(buf, total, len - total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
