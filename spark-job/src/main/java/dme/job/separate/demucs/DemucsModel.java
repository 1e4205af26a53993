package dme.job.separate.demucs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dme.core.Messages;
import dme.core.audio.PcmFormat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One loaded TorchScript HDemucs: {@code [1, 2, frames] -> [1, 4, 2, frames]}.
 *
 * <p>Shared by all task threads of a JVM (a TorchScript module's forward is safe to call
 * concurrently). Each call works in its own sub-NDManager that is closed before returning, so
 * every native tensor of a chunk (input, output and whatever libtorch returns) is freed per chunk.
 * {@link #precision()} says which of the file's methods {@link #forward(float[][], int)} calls.
 */
final class DemucsModel {
    static final int CHANNELS = 2;
    static final int SOURCES = 4;

    private final Path file;
    private final Model model;
    private final long loadMillis;
    private final Precision precision;
    private final boolean graphOptimizer;

    DemucsModel(Path file, Model model, long loadMillis, boolean graphOptimizer) {
        this(file, model, loadMillis, Precision.FP32, graphOptimizer);
    }

    private DemucsModel(Path file, Model model, long loadMillis, Precision precision, boolean graphOptimizer) {
        this.file = file;
        this.model = model;
        this.loadMillis = loadMillis;
        this.precision = precision;
        this.graphOptimizer = graphOptimizer;
    }

    /** The same loaded model, run in {@code p}. */
    DemucsModel withPrecision(Precision p) {
        return new DemucsModel(file, model, loadMillis, p, graphOptimizer);
    }

    /** Frees the model's native memory; no call may be running or follow. */
    void close() {
        model.close();
    }

    Precision precision() {
        return precision;
    }

    /** Whether the TorchScript file has a method of that name (e.g. forward_bf16). */
    boolean hasMethod(String name) {
        return Arrays.asList(JniUtils.getMethodNames((PtSymbolBlock) model.getBlock())).contains(name);
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
     * Runs the model once in {@link #precision()}.
     *
     * @param x model input, {@code x[channel][0..frames)} (already normalised and padded)
     * @return {@code [source][channel][frames]}
     */
    float[][][] forward(float[][] x, int frames) {
        return forward(x, frames, precision);
    }

    float[][][] forward(float[][] x, int frames, Precision p) {
        return forwardBatch(new float[][][] {x}, frames, p)[0];
    }

    /**
     * Runs the model once on a batch of segments of equal length: {@code [b][2][frames] -> [b][4][2][frames]}.
     */
    float[][][][] forwardBatch(float[][][] xs, int frames, Precision p) {
        int b = xs.length;
        float[] flat = new float[b * CHANNELS * frames];
        for (int k = 0; k < b; k++) {
            for (int c = 0; c < CHANNELS; c++) {
                System.arraycopy(xs[k][c], 0, flat, (k * CHANNELS + c) * frames, frames);
            }
        }
        float[] y;
        try (NDManager chunk = model.getNDManager().newSubManager()) {
            NDArray input = chunk.create(flat, new Shape(b, CHANNELS, frames));
            NDArray out = run(chunk, input, p);
            long[] shape = out.getShape().getShape();
            long[] expected = {b, SOURCES, CHANNELS, frames};
            if (!Arrays.equals(shape, expected)) {
                throw new IllegalStateException("model " + file.getFileName() + " maps [" + b + ", 2, " + frames
                        + "] to " + Arrays.toString(shape) + ", expected " + Arrays.toString(expected)
                        + " (drums, bass, other, vocals)");
            }
            y = out.toFloatArray();
        }
        float[][][][] stems = new float[b][SOURCES][CHANNELS][frames];
        for (int k = 0; k < b; k++) {
            for (int s = 0; s < SOURCES; s++) {
                for (int c = 0; c < CHANNELS; c++) {
                    System.arraycopy(y, ((k * SOURCES + s) * CHANNELS + c) * frames, stems[k][s][c], 0, frames);
                }
            }
        }
        return stems;
    }

    /** {@code forward} through DJL's block; any other method by name (DJL's block only calls forward). */
    private NDArray run(NDManager chunk, NDArray input, Precision p) {
        // libtorch keeps the switch per thread, and DJL sets it only in its own forward (from a
        // system property): set on every call, for every method
        JniUtils.setGraphExecutorOptimize(graphOptimizer);
        if (p == Precision.FP32) {
            NDList out = model.getBlock().forward(new ParameterStore(chunk, false), new NDList(input), false);
            if (out.size() != 1) {
                throw new IllegalStateException("model " + file.getFileName() + " returned " + out.size()
                        + " tensors, expected one [b, 4, 2, n] tensor");
            }
            return out.get(0);
        }
        try (IValue in = IValue.from((PtNDArray) input);
                IValue out = IValueUtils.runMethod((PtSymbolBlock) model.getBlock(), p.method(), in)) {
            if (!out.isTensor()) {
                throw new IllegalStateException("model " + file.getFileName() + " method " + p.method()
                        + " did not return one tensor");
            }
            return out.toTensor((PtNDManager) chunk);
        }
    }

    /**
     * Runs one second of deterministic noise through the model and checks what dme relies on: four
     * stereo stems of the input's length, all finite. Doubles as the warm-up forward.
     *
     * @return the fp32 output for {@link #probeInput()}
     */
    float[][][] checkContract() {
        float[][] x = probeInput();
        int frames = x[0].length;
        float[][][] out;
        try {
            out = forward(x, frames, Precision.FP32);
        } catch (RuntimeException e) {
            throw new ModelLoadException("Demucs model " + file + " loads but does not separate a 1 s stereo input: "
                    + Messages.firstLine(e), e);
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
        return out;
    }

    /** One second of deterministic noise: the contract check's input and the bf16 fidelity probe. */
    static float[][] probeInput() {
        SplittableRandom random = new SplittableRandom(42);
        float[][] x = new float[CHANNELS][PcmFormat.SAMPLE_RATE];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (random.nextDouble() * 2 - 1) * 0.5f;
            }
        }
        return x;
    }

    /** Native arrays currently held by this model's manager and its open sub-managers. */
    int openArrays() {
        return model.getNDManager().getManagedArrays().size();
    }
}
