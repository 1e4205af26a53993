package dme.job.separate.spectral;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Short-time Fourier transform with an exact inverse: 4096-point frames every 1024 samples,
 * sqrt-Hann analysis and synthesis windows. Their product is a Hann window, and Hann windows at a
 * quarter-frame hop add up to the constant 2, so analysis followed by synthesis with unit masks
 * gives back the input (to float rounding) and masks that sum to one give stems that sum to the
 * input.
 *
 * <p>Frames start at {@code f * HOP - (N - HOP)}: the first frame ends at sample {@code HOP - 1} and
 * the last one starts at or before the last sample, so every sample of the input is covered by
 * exactly {@code N / HOP} frames; samples outside the input are taken as zero.
 *
 * <p>Spectra are kept in JTransforms' packed real layout, one {@code N}-float row per frame:
 * {@code [Re0, Re(N/2), Re1, Im1, Re2, Im2, ...]}. The window tables are read-only, so one instance
 * serves all threads; the FFT object and buffers are the caller's (per thread).
 */
final class Stft {
    static final int N = 4096;
    static final int HOP = 1024;
    static final int BINS = N / 2 + 1;
    private static final int LEAD = N - HOP;

    private final float[] window = new float[N];
    /** Synthesis window divided by the constant overlap sum (2). */
    private final float[] synthesis = new float[N];

    Stft() {
        for (int i = 0; i < N; i++) {
            window[i] = (float) Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / N));
            synthesis[i] = 0.5f * window[i];
        }
    }

    /** Number of frames that cover {@code n >= 1} samples. */
    static int frames(int n) {
        return (n - 1 + LEAD) / HOP + 1;
    }

    /** Writes {@code frames} packed spectra of {@code x[0, n)} to {@code spec} ({@code frames * N}). */
    void forward(float[] x, int n, int frames, float[] spec, FloatFFT_1D fft) {
        for (int f = 0; f < frames; f++) {
            int start = f * HOP - LEAD;
            int row = f * N;
            int i0 = Math.max(0, -start);
            int i1 = Math.min(N, n - start);
            for (int i = 0; i < i0; i++) {
                spec[row + i] = 0f;
            }
            for (int i = i0; i < i1; i++) {
                spec[row + i] = x[start + i] * window[i];
            }
            for (int i = Math.max(i0, i1); i < N; i++) {
                spec[row + i] = 0f;
            }
            fft.realForward(spec, row);
        }
    }

    /**
     * Adds the inverse transform of {@code spec} weighted by the real per-bin {@code mask}
     * ({@code frames * BINS}, row-major) to {@code y[0, n)}.
     */
    void inverseAdd(float[] spec, float[] mask, int frames, float[] y, int n, float[] buf, FloatFFT_1D fft) {
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            buf[0] = spec[row] * mask[m];
            buf[1] = spec[row + 1] * mask[m + BINS - 1];
            for (int k = 1, i = 2; k < BINS - 1; k++, i += 2) {
                float g = mask[m + k];
                buf[i] = spec[row + i] * g;
                buf[i + 1] = spec[row + i + 1] * g;
            }
            inverseFrameAdd(buf, f, y, n, fft);
        }
    }

    /** Adds the inverse transform of frame {@code f}'s packed spectrum {@code buf} (overwritten) to {@code y[0, n)}. */
    void inverseFrameAdd(float[] buf, int f, float[] y, int n, FloatFFT_1D fft) {
        fft.realInverse(buf, true);
        int start = f * HOP - LEAD;
        int i0 = Math.max(0, -start);
        int i1 = Math.min(N, n - start);
        for (int i = i0; i < i1; i++) {
            y[start + i] += buf[i] * synthesis[i];
        }
    }
}
