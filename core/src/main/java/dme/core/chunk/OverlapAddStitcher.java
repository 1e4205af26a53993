package dme.core.chunk;

import java.io.IOException;

/**
 * Weighted overlap-add of processed chunks, streamed: chunks arrive in index order and each output
 * sample is handed to the sink as soon as no later chunk can touch it, so memory is one segment per
 * stream whatever the song's length.
 *
 * <p>Accumulation is in double with the plan's integer weights: for unchanged chunks
 * {@code (w1*x + w2*x) / (w1 + w2)} is computed exactly and rounds back to {@code x}, so stitching is
 * the identity and a per-sample separator gives, stitched, exactly its whole-song output.
 */
public final class OverlapAddStitcher {

    /** Receives final samples in order: {@code rows[stream][off..off+len)}. */
    @FunctionalInterface
    public interface Sink {
        void accept(float[][] rows, int off, int len) throws IOException;
    }

    private final ChunkPlan plan;
    private final int streams;
    private final Sink sink;
    private final double[][] acc;
    private final long[] weightSum;
    private final float[][] out;
    /** Song position of acc[.][0]. */
    private long base;
    /** Frames of acc that hold contributions. */
    private int filled;
    private int nextIndex;

    public OverlapAddStitcher(ChunkPlan plan, int streams, Sink sink) {
        this.plan = plan;
        this.streams = streams;
        this.sink = sink;
        this.acc = new double[streams][plan.segmentFrames()];
        this.weightSum = new long[plan.segmentFrames()];
        this.out = new float[streams][plan.strideFrames()];
    }

    /**
     * A stitcher that writes the song into {@code out[stream][0..totalFrames)}, for callers that hold
     * the whole song anyway (evaluations, tests); the job streams through a {@link Sink} instead.
     */
    public static OverlapAddStitcher into(ChunkPlan plan, float[][] out) {
        long[] pos = {0};
        return new OverlapAddStitcher(plan, out.length, (rows, off, len) -> {
            for (int s = 0; s < out.length; s++) {
                System.arraycopy(rows[s], off, out[s], (int) pos[0], len);
            }
            pos[0] += len;
        });
    }

    /** Adds chunk {@code index}; {@code rows[stream]} holds at least {@code plan.length(index)} samples. */
    public void add(int index, float[][] rows) throws IOException {
        if (index != nextIndex) {
            throw new IllegalStateException("chunk " + index + " arrived, expected " + nextIndex);
        }
        if (rows.length != streams) {
            throw new IllegalArgumentException("expected " + streams + " streams, got " + rows.length);
        }
        long offset = plan.offset(index);
        int len = plan.length(index);
        emitUpTo(offset);
        for (int s = 0; s < streams; s++) {
            float[] src = rows[s];
            if (src.length < len) {
                throw new IllegalArgumentException("chunk " + index + " stream " + s + " has " + src.length
                        + " samples, expected " + len);
            }
            double[] a = acc[s];
            for (int i = 0; i < len; i++) {
                a[i] += plan.weight(i) * (double) src[i];
            }
        }
        for (int i = 0; i < len; i++) {
            weightSum[i] += plan.weight(i);
        }
        filled = Math.max(filled, len);
        nextIndex++;
    }

    /** Emits everything left; all chunks of the plan must have been added. */
    public void finish() throws IOException {
        if (nextIndex != plan.chunkCount()) {
            throw new IllegalStateException("stitching ended after " + nextIndex + " of "
                    + plan.chunkCount() + " chunks");
        }
        emitUpTo(base + filled);
    }

    /** Hands samples [base, position) to the sink and shifts the window so that base = position. */
    private void emitUpTo(long position) throws IOException {
        int n = (int) (position - base);
        if (n <= 0) {
            return;
        }
        if (n > filled) {
            throw new IllegalStateException("gap in the chunk plan at frame " + (base + filled));
        }
        for (int start = 0; start < n; start += out[0].length) {
            int len = Math.min(out[0].length, n - start);
            for (int s = 0; s < streams; s++) {
                double[] a = acc[s];
                float[] o = out[s];
                for (int i = 0; i < len; i++) {
                    o[i] = (float) (a[start + i] / weightSum[start + i]);
                }
            }
            sink.accept(out, 0, len);
        }
        int keep = filled - n;
        for (int s = 0; s < streams; s++) {
            System.arraycopy(acc[s], n, acc[s], 0, keep);
            java.util.Arrays.fill(acc[s], keep, acc[s].length, 0.0);
        }
        System.arraycopy(weightSum, n, weightSum, 0, keep);
        java.util.Arrays.fill(weightSum, keep, weightSum.length, 0L);
        filled = keep;
        base = position;
    }
}
