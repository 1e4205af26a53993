package dme.job.analysis;

import dme.job.separate.spectral.MedianFilter;

/**
 * Harmonic/percussive split of a stream of magnitude frames (Fitzgerald's median filtering): the
 * median across time keeps sustained partials, the median across frequency keeps broadband hits, and
 * a soft (Wiener) mask gives each frame its harmonic or its percussive part.
 *
 * <p>Frames are processed in blocks with {@link #HALF} frames of context on either side, so the
 * result equals a whole-song pass while memory stays a few hundred frames however long the song is.
 */
final class StreamingHpss implements MagnitudeFramer.Sink {
    enum Part { HARMONIC, PERCUSSIVE }

    private static final int WIDTH = 17;
    private static final int HALF = WIDTH / 2;
    private static final int BLOCK = 256;
    private static final float EPS = 1e-12f;

    private final int bins;
    /** Bins the sink reads; the rest of each row it gets is 0 (their medians are never computed). */
    private final int usedBins;
    private final Part part;
    private final MagnitudeFramer.Sink out;
    private final int capacity = BLOCK + 2 * HALF;
    private final float[] frames;
    private final float[] harmonic;
    private final float[] percussive;
    private final float[] windows;
    private final float[] window = new float[WIDTH];
    private final float[] row;
    private int count;
    /** First buffered row not yet handed out: 0 in the first block, then {@link #HALF}. */
    private int outStart;

    StreamingHpss(int bins, int usedBins, Part part, MagnitudeFramer.Sink out) {
        if (usedBins < 1 || usedBins > bins) {
            throw new IllegalArgumentException("used bins " + usedBins + " of " + bins);
        }
        this.bins = bins;
        this.usedBins = usedBins;
        this.part = part;
        this.out = out;
        frames = new float[capacity * bins];
        harmonic = new float[capacity * bins];
        percussive = new float[capacity * bins];
        windows = new float[bins * WIDTH];
        row = new float[bins];
    }

    /** The bins a sink reads, from its bin → class map (-1 = unread): up to the last one it reads. */
    static int usedBins(int[] classOfBin) {
        int used = 1;
        for (int k = 0; k < classOfBin.length; k++) {
            if (classOfBin[k] >= 0) {
                used = k + 1;
            }
        }
        return used;
    }

    @Override
    public void frame(float[] magnitude) {
        System.arraycopy(magnitude, 0, frames, count * bins, bins);
        count++;
        if (count == capacity) {
            process(count - HALF);
            System.arraycopy(frames, (count - 2 * HALF) * bins, frames, 0, 2 * HALF * bins);
            count = 2 * HALF;
            outStart = HALF;
        }
    }

    /** Hands out the frames still held; the stream's last frames see the song's end as an edge. */
    void finish() {
        if (count > outStart) {
            process(count);
        }
        count = 0;
    }

    private void process(int emitEnd) {
        MedianFilter.alongTime(frames, count, bins, usedBins, WIDTH, harmonic, windows);
        MedianFilter.alongFrequency(frames, count, bins, usedBins, WIDTH, percussive, window);
        for (int f = outStart; f < emitEnd; f++) {
            int base = f * bins;
            for (int k = 0; k < usedBins; k++) {
                float h = harmonic[base + k];
                float p = percussive[base + k];
                float h2 = h * h;
                float p2 = p * p;
                float keep = part == Part.HARMONIC ? h2 : p2;
                row[k] = frames[base + k] * keep / (h2 + p2 + EPS);
            }
            out.frame(row);
        }
    }
}
