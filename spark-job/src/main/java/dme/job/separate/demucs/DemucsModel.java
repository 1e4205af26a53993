package dme.job.separate.demucs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One loaded TorchScript HDemucs: {@code [1, 2, frames] -> [1, 4, 2, frames]}.
 *
 * <p>Shared by all task threads of a JVM (a TorchScript module's forward is safe to call
 * concurrently). Each call works in its own sub-NDManager that is closed before returning, so
 * every native tensor of a chunk (input, output and whatever libtorch returns) is freed per chunk.
 */
final class DemucsModel {
    static final int CHANNELS = 2;
    static final int SOURCES = 4;
    static final int SAMPLE_RATE = 44_100;

    private final Path file;
    private final Model model;
    private final long loadMillis;

    DemucsModel(Path file, Model model, long loadMillis) {
        this.file = file;
        this.model = model;
        this.loadMillis = loadMillis;
    }

    Path file() {
        return file;
    }

    Device device() {
        return model.getNDManager().getDevice();
    }

    long loadMillis() {
        return loadMillis;
    }

    /**
     * Runs the model once.
     *
     * @param x model input, {@code x[channel][0..frames)} (already normalised and padded)
     * @return {@code [source][channel][frames]}
     */
    float[][][] forward(float[][] x, int frames) {
        float[] flat = new float[CHANNELS * frames];
        for (int c = 0; c < CHANNELS; c++) {
            System.arraycopy(x[c], 0, flat, c * frames, frames);
        }
        float[] y;
        try (NDManager chunk = model.getNDManager().newSubManager()) {
            NDArray input = chunk.create(flat, new Shape(1, CHANNELS, frames));
            NDList out = model.getBlock().forward(new ParameterStore(chunk, false), new NDList(input), false);
            if (out.size() != 1) {
                throw new IllegalStateException("model " + file.getFileName() + " returned " + out.size()
                        + " tensors, expected one [1, 4, 2, n] tensor");
            }
            long[] shape = out.get(0).getShape().getShape();
            long[] expected = {1, SOURCES, CHANNELS, frames};
            if (!Arrays.equals(shape, expected)) {
                throw new IllegalStateException("model " + file.getFileName() + " maps [1, 2, " + frames + "] to "
                        + Arrays.toString(shape) + ", expected " + Arrays.toString(expected)
                        + " (drums, bass, other, vocals)");
            }
            y = out.get(0).toFloatArray();
        }
        float[][][] stems = new float[SOURCES][CHANNELS][frames];
        for (int s = 0; s < SOURCES; s++) {
            for (int c = 0; c < CHANNELS; c++) {
                System.arraycopy(y, (s * CHANNELS + c) * frames, stems[s][c], 0, frames);
            }
        }
        return stems;
    }

    /**
     * Runs one second of deterministic noise through the model and checks what dme relies on: four
     * stereo stems of the input's length, all finite. Doubles as the warm-up forward.
     */
    void checkContract() {
        int frames = SAMPLE_RATE;
        SplittableRandom random = new SplittableRandom(42);
        float[][] x = new float[CHANNELS][frames];
        for (float[] row : x) {
            for (int i = 0; i < frames; i++) {
                row[i] = (float) (random.nextDouble() * 2 - 1) * 0.5f;
            }
        }
        float[][][] out;
        try {
            out = forward(x, frames);
        } catch (RuntimeException e) {
            throw new ModelLoadException("Demucs model " + file + " loads but does not separate a 1 s stereo input: "
                    + firstLine(e), e);
        }
        for (float[][] stem : out) {
            for (float[] row : stem) {
                for (float v : row) {
                    if (!Float.isFinite(v)) {
                        throw new ModelLoadException("Demucs model " + file + " produces NaN or infinite samples");
                    }
                }
            }
        }
    }

    /** Native arrays currently held by this model's manager and its open sub-managers. */
    int openArrays() {
        return model.getNDManager().getManagedArrays().size();
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
