package dme.job.separate.demucs;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.job.separate.Separator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Hybrid Demucs (a TorchScript export of torchaudio's HDemucs, see scripts/export_demucs.py) run
 * through DJL's PyTorch engine.
 *
 * <p>Per chunk, as Demucs' own {@code apply} does: the mixture is normalised with the whole song's
 * mono mean and standard deviation ({@link SongStats}), so every chunk of a song is scaled alike;
 * a chunk up to one segment long is zero-padded to the segment (the length the model is run at,
 * {@link DemucsOptions#segmentSeconds()}), run, and trimmed; a longer chunk is cut into segments
 * overlapping by 25 % and blended with Demucs' triangle weights ({@link ChunkPlan},
 * {@link OverlapAddStitcher}); the stems are then scaled back.
 *
 * <p>Each separator loads its model ({@link DemucsModelLoader}); executors share one separator per
 * JVM ({@link dme.job.separate.ExecutorSeparator}), so all task threads use one model.
 * {@link #separate} is thread-safe and frees its native tensors before returning.
 *
 * <p>GPU: with {@code device=auto} (or {@code gpu}) the model runs on a GPU when DJL's PyTorch
 * engine sees one, which needs the CUDA build of libtorch on the classpath
 * ({@code ai.djl.pytorch:pytorch-native-cu*:linux-x86_64} of the matching PyTorch version, in place
 * of {@code pytorch-native-cpu}) and an NVIDIA driver on the executor. Input tensors are created on
 * the model's device and results copied back, so nothing else changes. Not tested here (no GPU).
 */
public final class DemucsSeparator implements Separator {
    /** Overlap between a chunk's internal segments when it is longer than one (Demucs' default). */
    static final double OVERLAP = 0.25;
    /** Demucs' {@code ref.std() + 1e-8}: keeps silence finite. */
    static final double STD_EPSILON = 1e-8;

    private final DemucsModel model;
    private final int segmentFrames;
    private final String name;

    private DemucsSeparator(DemucsModel model, int segmentFrames, String name) {
        this.model = model;
        this.segmentFrames = segmentFrames;
        this.name = name;
    }

    /**
     * A separator for the TorchScript model in {@code localModelFile} (loaded now).
     *
     * @throws ModelLoadException when the file is missing, broken, or not a four-stem stereo model
     */
    public static DemucsSeparator load(Path localModelFile, DemucsOptions options) {
        int segment = options.segmentFrames(PcmFormat.SAMPLE_RATE);
        if (segment < 1) {
            throw new IllegalArgumentException("Demucs segment of " + options.segmentSeconds() + " s has no frames");
        }
        DemucsModel model = DemucsModelLoader.load(localModelFile, options);
        return new DemucsSeparator(model, segment,
                "demucs:" + localModelFile.getFileName() + ":" + model.precision().label());
    }

    @Override
    public float[][][] separate(float[][] mixture, SongStats stats) {
        if (mixture.length != DemucsModel.CHANNELS || mixture[0].length != mixture[1].length) {
            throw new IllegalArgumentException("Demucs needs a stereo mixture [2][n] with equal channels");
        }
        int n = mixture[0].length;
        if (n == 0) {
            return new float[DemucsModel.SOURCES][DemucsModel.CHANNELS][0];
        }
        double mean = stats.mean();
        double scale = stats.std() + STD_EPSILON;
        float[][] x = new float[DemucsModel.CHANNELS][n];
        for (int c = 0; c < DemucsModel.CHANNELS; c++) {
            for (int i = 0; i < n; i++) {
                x[c][i] = (float) ((mixture[c][i] - mean) / scale);
            }
        }
        float[][][] stems = n <= segmentFrames ? runPadded(x, 0, n) : runOverlapped(x, n);
        for (float[][] stem : stems) {
            for (float[] row : stem) {
                for (int i = 0; i < n; i++) {
                    row[i] = (float) (row[i] * scale + mean);
                }
            }
        }
        return stems;
    }

    /** Runs {@code x[.][offset, offset + len)} zero-padded to one segment; returns {@code [4][2][len]}. */
    private float[][][] runPadded(float[][] x, int offset, int len) {
        float[][] segment = new float[DemucsModel.CHANNELS][segmentFrames];
        for (int c = 0; c < DemucsModel.CHANNELS; c++) {
            System.arraycopy(x[c], offset, segment[c], 0, len);
        }
        float[][][] out = model.forward(segment, segmentFrames);
        if (len == segmentFrames) {
            return out;
        }
        float[][][] trimmed = new float[DemucsModel.SOURCES][DemucsModel.CHANNELS][];
        for (int s = 0; s < DemucsModel.SOURCES; s++) {
            for (int c = 0; c < DemucsModel.CHANNELS; c++) {
                trimmed[s][c] = java.util.Arrays.copyOf(out[s][c], len);
            }
        }
        return trimmed;
    }

    /** Demucs' overlap-add over segments of a chunk longer than one segment. */
    private float[][][] runOverlapped(float[][] x, int n) {
        int stride = Math.max(1, (int) Math.round(segmentFrames * (1 - OVERLAP)));
        ChunkPlan plan = new ChunkPlan(n, segmentFrames, stride);
        int rows = DemucsModel.SOURCES * DemucsModel.CHANNELS;
        float[][][] stems = new float[DemucsModel.SOURCES][DemucsModel.CHANNELS][n];
        int[] written = {0};
        OverlapAddStitcher stitcher = new OverlapAddStitcher(plan, rows, (out, off, len) -> {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(out[r], off, stems[r / DemucsModel.CHANNELS][r % DemucsModel.CHANNELS],
                        written[0], len);
            }
            written[0] += len;
        });
        try {
            for (int i = 0; i < plan.chunkCount(); i++) {
                float[][][] y = runPadded(x, (int) plan.offset(i), plan.length(i));
                float[][] flat = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    flat[r] = y[r / DemucsModel.CHANNELS][r % DemucsModel.CHANNELS];
                }
                stitcher.add(i, flat);
            }
            stitcher.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the in-memory sink does not throw
        }
        return stems;
    }

    @Override
    public String name() {
        return name;
    }

    /** Frames the model is run at. */
    public int segmentFrames() {
        return segmentFrames;
    }

    /** Frees the model; no separation may be running. */
    @Override
    public void close() {
        model.close();
    }

    /** Native arrays held by the model's manager right now; for leak tests. */
    int openNativeArrays() {
        return model.openArrays();
    }
}
