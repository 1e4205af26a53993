package dme.job;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.AudioWriter;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.core.chunk.PcmCodec;
import dme.job.analysis.AnalysisOutput;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The outputs of one song being stitched: the four stems and the mix of the selected stems, encoded
 * while the samples come out of the overlap-add (nothing holds the whole song), into local scratch
 * files that are published to storage only when the song is complete.
 */
final class SongOutput implements Closeable {
    private final SongTask song;
    private final OutputFormat format;
    private final Path dir;
    private final AudioWriter[] stems = new AudioWriter[4];
    private final AudioWriter mix;
    private final boolean[] selected = new boolean[4];
    private final OverlapAddStitcher stitcher;
    private float[][] mixBuf = new float[2][0];
    private final AnalysisOutput analysis;
    private boolean writersClosed;

    SongOutput(JobContext ctx, SongTask song, ChunkPlan plan) throws IOException {
        this.song = song;
        this.format = OutputFormat.parse(song.format());
        this.dir = Files.createTempDirectory(ctx.config().localTmp(), "dme-out-" + song.musicId() + "-");
        int kbps = ctx.config().mp3BitrateKbps();
        try {
            Mp3Encoder mp3 = Mp3Encoder.forFormat(format, ctx.config().mp3Encoder());
            for (Stem s : Stem.values()) {
                stems[s.ordinal()] = AudioWriter.open(dir.resolve(s.id() + "." + format.extension()), format, kbps,
                        Map.of(), mp3);
            }
            for (Stem s : song.selection()) {
                selected[s.ordinal()] = true;
            }
            mix = AudioWriter.open(dir.resolve("mix." + format.extension()), format, kbps, Map.of(), mp3);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        this.stitcher = new OverlapAddStitcher(plan, 8, this::write);
        this.analysis = new AnalysisOutput(song.musicId(), ChunkSource.SAMPLE_RATE);
    }

    void add(Storage storage, SeparatedChunk chunk) throws IOException {
        stitcher.add(chunk.index(), PcmCodec.decode(storage.readAll(new org.apache.hadoop.fs.Path(chunk.stems())), 8));
    }

    private void write(float[][] rows, int off, int len) throws IOException {
        analysis.accept(rows, off, len);
        if (mixBuf[0].length < len) {
            mixBuf = new float[2][len];
        }
        for (int c = 0; c < 2; c++) {
            java.util.Arrays.fill(mixBuf[c], 0, len, 0f);
        }
        for (int s = 0; s < 4; s++) {
            float[][] stereo = {rows[2 * s], rows[2 * s + 1]};
            stems[s].write(stereo, off, len);
            if (selected[s]) {
                for (int c = 0; c < 2; c++) {
                    float[] src = stereo[c];
                    float[] dst = mixBuf[c];
                    for (int i = 0; i < len; i++) {
                        dst[i] += src[off + i];
                    }
                }
            }
        }
        mix.write(mixBuf, 0, len);
    }

    /** Completes the files and publishes them; returns the stems' file names and the mix's. */
    Published finishAndPublish(Storage storage) throws IOException {
        stitcher.finish();
        writersClosed = true;
        for (AudioWriter w : stems) {
            w.close();
        }
        mix.close();
        StorageLayout layout = storage.layout();
        List<String> names = new ArrayList<>();
        for (Stem s : Stem.values()) {
            org.apache.hadoop.fs.Path target = layout.stem(song.musicId(), s, format.extension());
            storage.copyFromLocal(dir.resolve(s.id() + "." + format.extension()), target);
            names.add(target.getName());
        }
        org.apache.hadoop.fs.Path mixTarget = layout.mix(song.musicId(), song.selection(), format.extension());
        storage.copyFromLocal(dir.resolve("mix." + format.extension()), mixTarget);
        analysis.publish(storage);
        return new Published(names, mixTarget.getName());
    }

    record Published(List<String> stems, String mixFile) {}

    @Override
    public void close() throws IOException {
        if (!Files.exists(dir)) {
            return; // closed before
        }
        if (!writersClosed) {
            writersClosed = true;
            for (AudioWriter w : stems) {
                closeQuietly(w);
            }
            closeQuietly(mix);
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
