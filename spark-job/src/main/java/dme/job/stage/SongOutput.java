package dme.job.stage;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.AudioWriter;
import dme.core.audio.OutputFormat;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.core.chunk.PcmCodec;
import dme.job.separate.Separator;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The outputs of one song being stitched: the four stems' lossless masters (float WAV) are written
 * while the samples come out of the overlap-add (nothing holds the whole song), into local scratch
 * files. When the song is complete the masters are published and the requested stems and mix are
 * derived from them ({@link SongRenderer}), exactly as a later request for another format or mix is.
 */
final class SongOutput implements Closeable {
    private final JobContext ctx;
    private final SongTask song;
    private final Path dir;
    private final AudioWriter[] masters = new AudioWriter[Stem.COUNT];
    private final OverlapAddStitcher stitcher;
    private boolean writersClosed;

    SongOutput(JobContext ctx, SongTask song, ChunkPlan plan) throws IOException {
        this.ctx = ctx;
        this.song = song;
        this.dir = Files.createTempDirectory(ctx.config().localTmp(), "dme-out-" + song.musicId() + "-");
        try {
            for (Stem s : Stem.values()) {
                masters[s.ordinal()] = AudioWriter.open(masterFile(s), OutputFormat.WAV_FLOAT, 0);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        this.stitcher = new OverlapAddStitcher(plan, Separator.ROWS, this::write);
    }

    private Path masterFile(Stem s) {
        return dir.resolve("master-" + s.id() + ".wav");
    }

    /** Adds separated chunk {@code index}, whose stems wait in storage at {@code stems}. */
    void add(Storage storage, int index, org.apache.hadoop.fs.Path stems) throws IOException {
        stitcher.add(index, PcmCodec.decode(storage.readAll(stems), Separator.ROWS));
    }

    private void write(float[][] rows, int off, int len) throws IOException {
        for (int s = 0; s < Stem.COUNT; s++) {
            masters[s].write(new float[][] {rows[2 * s], rows[2 * s + 1]}, off, len);
        }
    }

    /** Completes the masters, publishes them and the outputs derived from them. */
    Published finishAndPublish(Storage storage) throws IOException {
        stitcher.finish();
        writersClosed = true;
        for (AudioWriter w : masters) {
            w.close();
        }
        StorageLayout layout = storage.layout();
        Map<Stem, Path> local = new EnumMap<>(Stem.class);
        for (Stem s : Stem.values()) {
            storage.copyFromLocal(masterFile(s), layout.master(song.musicId(), s));
            local.put(s, masterFile(s));
        }
        return SongRenderer.publish(ctx, storage, song, local, dir);
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(dir)) {
            return; // closed before
        }
        if (!writersClosed) {
            writersClosed = true;
            for (AudioWriter w : masters) {
                closeQuietly(w);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void closeQuietly(AudioWriter w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException | RuntimeException ignored) {
                // the scratch file is deleted next; nothing of it is published
            }
        }
    }
}
