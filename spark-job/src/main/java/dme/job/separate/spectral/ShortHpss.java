package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Transient evidence from a second, short STFT (multi-resolution HPSS): 1024-point Hann frames
 * (23 ms) every 512 samples resolve a kick or a snare hit that the 93 ms long
 * frames smear over their whole length. The same harmonic/percussive medians as on the long STFT
 * (across {@code timeWidth} short frames and across {@code freqWidth} short bins) split each short
 * bin's energy into a sustained and a transient part; each long frame then gets the transient
 * fraction of the energy its window sees, {@code Σ w·E·P^p/(H^p+P^p) / Σ w·E} over the short
 * frames under it (w: the long frame's Hann energy weight), interpolated from the short bins onto
 * the long bins. A bin without energy gets 0.5.
 *
 * <p>Read-only after construction (window and weights); the buffers are the caller's
 * ({@link Workspace}), so one instance serves all threads.
 */
final class ShortHpss {
    static final int N = 1024;
    static final int HOP = 512;
    static final int BINS_SHORT = N / 2 + 1;
    private static final int LEAD = N - HOP;
    /** Long bins per short bin. */
    private static final int BIN_RATIO = Stft.N / N;
    /** The short frames under one long frame: centre ± REACH short hops. */
    private static final int REACH = Stft.N / HOP / 2 - 1;
    private static final float TINY = 1e-30f;

    private final float[] window = new float[N];
    private final float[] weight = new float[2 * REACH + 1];
    final int timeWidth;
    final int freqWidth;
    private final int hpPower;
    /**
     * Short bins computed: those up to {@code maxHz} and the frequency median's reach beyond (the
     * caller uses the evidence only up to {@code maxHz}; above, a 1024-point median is not needed).
     */
    final int bins;

    ShortHpss(int sampleRate, double maxHz, int timeWidth, int freqWidth, int hpPower) {
        if (timeWidth < 1 || timeWidth % 2 == 0 || freqWidth < 1 || freqWidth % 2 == 0) {
            throw new IllegalArgumentException("short median widths must be odd and positive");
        }
        this.timeWidth = timeWidth;
        this.freqWidth = freqWidth;
        this.hpPower = hpPower;
        bins = Math.min(BINS_SHORT, (int) Math.ceil(maxHz * N / sampleRate) + freqWidth / 2 + 2);
        for (int i = 0; i < N; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / N));
        }
        for (int d = -REACH; d <= REACH; d++) {
            weight[d + REACH] = (float) (0.5 + 0.5 * Math.cos(2 * Math.PI * d * HOP / Stft.N));
        }
    }

    /** Short frames that cover {@code n >= 1} samples. */
    static int frames(int n) {
        return (n - 1 + LEAD) / HOP + 1;
    }

    /**
     * Writes the transient fraction per long frame and long bin ({@code longFrames * BINS}, only
     * the bins up to {@code 4 * (bins - 1)}: up to {@code maxHz} at least) into {@code out}.
     * {@code mag}, {@code harmonic}, {@code percussive} are scratch of {@code frames(n) * bins}
     * floats, {@code frame} of {@code N}, {@code windows} of {@code bins * timeWidth},
     * {@code window1} of {@code freqWidth}, {@code ratio} of {@code bins}.
     */
    void evidence(float[][] x, int n, int longFrames, float[] mag, float[] harmonic, float[] percussive,
            float[] frame, float[] windows, float[] window1, float[] ratio, FloatFFT_1D fft, float[] out) {
        int frames = frames(n);
        for (int j = 0; j < frames; j++) {
            int m = j * bins;
            for (int b = 0; b < bins; b++) {
                mag[m + b] = 0f;
            }
            for (int c = 0; c < 2; c++) {
                transform(x[c], n, j, frame, fft);
                mag[m] += 0.5f * Math.abs(frame[0]);
                if (bins == BINS_SHORT) {
                    mag[m + bins - 1] += 0.5f * Math.abs(frame[1]);
                }
                for (int b = 1, i = 2; b < Math.min(bins, BINS_SHORT - 1); b++, i += 2) {
                    float re = frame[i];
                    float im = frame[i + 1];
                    mag[m + b] += 0.5f * (float) Math.sqrt(re * re + im * im);
                }
            }
        }
        MedianFilter.alongTime(mag, frames, bins, timeWidth, harmonic, windows);
        MedianFilter.alongFrequency(mag, frames, bins, freqWidth, percussive, window1);
        // Energy and transient energy per short bin, over harmonic and percussive.
        for (int i = 0; i < frames * bins; i++) {
            float e = mag[i] * mag[i];
            float h = SourceMasks.power(harmonic[i], hpPower);
            float p = SourceMasks.power(percussive[i], hpPower);
            float hp = h + p;
            mag[i] = e;
            harmonic[i] = hp > TINY ? e * p / hp : 0.5f * e;
        }
        for (int f = 0; f < longFrames; f++) {
            // The short frame centred where long frame f is.
            int centre = (f * Stft.HOP - (Stft.N - Stft.HOP) + Stft.N / 2 + LEAD - N / 2) / HOP;
            for (int b = 0; b < bins; b++) {
                float e = 0f;
                float t = 0f;
                for (int d = -REACH; d <= REACH; d++) {
                    int j = centre + d;
                    if (j < 0 || j >= frames) {
                        continue;
                    }
                    float w = weight[d + REACH];
                    e += w * mag[j * bins + b];
                    t += w * harmonic[j * bins + b];
                }
                ratio[b] = e > TINY ? t / e : 0.5f;
            }
            int row = f * BINS;
            int longBins = Math.min(BINS, (bins - 1) * BIN_RATIO + 1);
            for (int k = 0; k < longBins; k++) {
                // Long bin k is short bin k / 4.
                int b = k / BIN_RATIO;
                float a = (k - b * BIN_RATIO) / (float) BIN_RATIO;
                out[row + k] = b + 1 < bins ? (1f - a) * ratio[b] + a * ratio[b + 1] : ratio[b];
            }
        }
    }

    private void transform(float[] x, int n, int j, float[] frame, FloatFFT_1D fft) {
        int start = j * HOP - LEAD;
        int i0 = Math.max(0, -start);
        int i1 = Math.min(N, n - start);
        for (int i = 0; i < i0; i++) {
            frame[i] = 0f;
        }
        for (int i = i0; i < i1; i++) {
            frame[i] = x[start + i] * window[i];
        }
        for (int i = Math.max(i0, i1); i < N; i++) {
            frame[i] = 0f;
        }
        fft.realForward(frame);
    }
}
