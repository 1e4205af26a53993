package dme.job.separate.spectral;

import dme.core.SongStats;
import dme.job.separate.Separator;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * The built-in separator: soft time-frequency masks from classic signal cues, no model file needed.
 *
 * <ol>
 *   <li>STFT of both channels (4096-point sqrt-Hann analysis and synthesis windows, hop 1024: the
 *       product is a Hann window, whose hop-1024 sum is constant, so the inverse is exact).
 *   <li>Harmonic/percussive split by median filtering (Fitzgerald 2010) of the channel-averaged
 *       magnitude: a median across time keeps sustained partials (harmonic), a median across
 *       frequency keeps broadband onsets (percussive). Wiener-style soft masks
 *       {@code P²/(H²+P²)} go to <b>drums</b>.
 *   <li><b>Bass</b> is the harmonic energy below a smooth 120–300 Hz crossover: bass lines are
 *       sustained and low, kick drums are broadband and were taken by the percussive mask.
 *   <li><b>Vocals</b> are harmonic energy in the voice band (a smooth 150 Hz – 8 kHz band pass) that
 *       is centre-panned: the inter-channel similarity {@code 2·Re(L·R*)/(|L|²+|R|²)} (Avendano and
 *       Jot's panning cue) is 1 for a centred source and falls for wide or decorrelated sources, and is
 *       raised to a power to keep only bins where the centre source dominates.
 *   <li><b>Other</b> is the rest, computed in the time domain as mixture − drums − bass − vocals, so
 *       the four stems sum back to the mixture exactly (the masks sum to one per bin).
 * </ol>
 *
 * Stateless and thread-safe: per-call buffers come from a per-thread workspace. Inputs of any length
 * are handled (zero padding inside, output trimmed to the input length).
 */
public final class SpectralSeparator implements Separator {
    static final int N = 4096;
    static final int HOP = 1024;
    static final int BINS = N / 2 + 1;
    static final int SAMPLE_RATE = 44_100;
    /** Median filter lengths: ~0.4 s across time, ~180 Hz across frequency. */
    static final int TIME_MEDIAN = 17;
    static final int FREQ_MEDIAN = 17;
    /** Exponent on the centre-panning similarity: higher keeps only clearly centred bins. */
    static final float CENTRE_POWER = 6f;

    private final float[] window = new float[N];
    private final float[] bassWeight = new float[BINS];
    private final float[] voiceWeight = new float[BINS];
    private final float windowSumInverse;
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    public SpectralSeparator() {
        for (int i = 0; i < N; i++) {
            window[i] = (float) Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / N));
        }
        // Sum of the (analysis × synthesis) = Hann windows at hop N/4 is the constant 2.
        windowSumInverse = 0.5f;
        for (int k = 0; k < BINS; k++) {
            double f = k * (double) SAMPLE_RATE / N;
            bassWeight[k] = (float) fall(f, 120, 300);
            voiceWeight[k] = (float) (rise(f, 120, 200) * fall(f, 6000, 10_000));
        }
    }

    /** 1 below lo, 0 above hi, raised-cosine in between. */
    private static double fall(double f, double lo, double hi) {
        if (f <= lo) {
            return 1;
        }
        if (f >= hi) {
            return 0;
        }
        return 0.5 + 0.5 * Math.cos(Math.PI * (f - lo) / (hi - lo));
    }

    private static double rise(double f, double lo, double hi) {
        return 1 - fall(f, lo, hi);
    }

    @Override
    public String name() {
        return "spectral-hpss-v1";
    }

    @Override
    public float[][][] separate(float[][] mixture, SongStats stats) {
        int n = mixture[0].length;
        float[][][] out = new float[4][2][n];
        if (n == 0) {
            return out;
        }
        Workspace ws = workspaces.get();
        // Frames every HOP samples from the first that touches sample 0 to the last that touches
        // sample n-1, so every sample lies under exactly N/HOP windows (constant window sum).
        int frames = (n - 1 + N - HOP) / HOP + 1;
        ws.ensure(frames);
        for (int c = 0; c < 2; c++) {
            stft(mixture[c], n, frames, ws.re[c], ws.im[c], ws);
        }
        masks(frames, ws);
        // drums = 0, bass = 1, vocals = 3; other (2) is the time-domain remainder.
        int[] stems = {0, 1, 3};
        for (int s : stems) {
            float[] mask = ws.mask[s == 3 ? 2 : s];
            for (int c = 0; c < 2; c++) {
                istft(ws.re[c], ws.im[c], mask, frames, out[s][c], n, ws);
            }
        }
        for (int c = 0; c < 2; c++) {
            float[] x = mixture[c];
            float[] o = out[2][c];
            float[] d = out[0][c];
            float[] b = out[1][c];
            float[] v = out[3][c];
            for (int i = 0; i < n; i++) {
                o[i] = x[i] - d[i] - b[i] - v[i];
            }
        }
        return out;
    }

    private void stft(float[] x, int n, int frames, float[] re, float[] im, Workspace ws) {
        float[] buf = ws.fftBuf;
        for (int f = 0; f < frames; f++) {
            int start = f * HOP - (N - HOP);
            for (int i = 0; i < N; i++) {
                int j = start + i;
                buf[i] = j >= 0 && j < n ? x[j] * window[i] : 0f;
            }
            ws.fft.realForward(buf);
            int base = f * BINS;
            re[base] = buf[0];
            im[base] = 0;
            re[base + BINS - 1] = buf[1];
            im[base + BINS - 1] = 0;
            for (int k = 1; k < BINS - 1; k++) {
                re[base + k] = buf[2 * k];
                im[base + k] = buf[2 * k + 1];
            }
        }
    }

    private void istft(float[] re, float[] im, float[] mask, int frames, float[] y, int n, Workspace ws) {
        float[] buf = ws.fftBuf;
        for (int f = 0; f < frames; f++) {
            int base = f * BINS;
            buf[0] = re[base] * mask[base];
            buf[1] = re[base + BINS - 1] * mask[base + BINS - 1];
            for (int k = 1; k < BINS - 1; k++) {
                float m = mask[base + k];
                buf[2 * k] = re[base + k] * m;
                buf[2 * k + 1] = im[base + k] * m;
            }
            ws.fft.realInverse(buf, true);
            int start = f * HOP - (N - HOP);
            int i0 = Math.max(0, -start);
            int i1 = Math.min(N, n - start);
            for (int i = i0; i < i1; i++) {
                y[start + i] += buf[i] * window[i] * windowSumInverse;
            }
        }
    }

    private void masks(int frames, Workspace ws) {
        float[] lr = ws.re[0];
        float[] li = ws.im[0];
        float[] rr = ws.re[1];
        float[] ri = ws.im[1];
        float[] mag = ws.mag;
        float[] sim = ws.sim;
        int total = frames * BINS;
        for (int i = 0; i < total; i++) {
            float pl = lr[i] * lr[i] + li[i] * li[i];
            float pr = rr[i] * rr[i] + ri[i] * ri[i];
            mag[i] = (float) (0.5 * (Math.sqrt(pl) + Math.sqrt(pr)));
            float s = 2 * (lr[i] * rr[i] + li[i] * ri[i]) / (pl + pr + 1e-12f);
            sim[i] = s <= 0 ? 0 : (float) Math.pow(s, CENTRE_POWER);
        }
        MedianFilter.alongTime(mag, frames, BINS, TIME_MEDIAN, ws.harmonic, ws.scratch);
        MedianFilter.alongFrequency(mag, frames, BINS, FREQ_MEDIAN, ws.percussive, ws.scratch);
        float[] drums = ws.mask[0];
        float[] bass = ws.mask[1];
        float[] vocals = ws.mask[2];
        for (int f = 0; f < frames; f++) {
            int base = f * BINS;
            for (int k = 0; k < BINS; k++) {
                int i = base + k;
                float h = ws.harmonic[i];
                float p = ws.percussive[i];
                float h2 = h * h;
                float p2 = p * p;
                float mp = (h2 + p2) > 1e-20f ? p2 / (h2 + p2) : 0.5f;
                float mh = 1 - mp;
                drums[i] = mp;
                bass[i] = mh * bassWeight[k];
                vocals[i] = mh * (1 - bassWeight[k]) * voiceWeight[k] * sim[i];
            }
        }
    }

    /** Per-thread buffers, grown to the longest input seen. */
    private static final class Workspace {
        final FloatFFT_1D fft = new FloatFFT_1D(N);
        final float[] fftBuf = new float[N];
        final float[] scratch = new float[Math.max(TIME_MEDIAN, FREQ_MEDIAN)];
        float[][] re = new float[2][0];
        float[][] im = new float[2][0];
        float[] mag = new float[0];
        float[] sim = new float[0];
        float[] harmonic = new float[0];
        float[] percussive = new float[0];
        float[][] mask = new float[3][0];

        void ensure(int frames) {
            int size = frames * BINS;
            if (mag.length >= size) {
                return;
            }
            re = new float[2][size];
            im = new float[2][size];
            mag = new float[size];
            sim = new float[size];
            harmonic = new float[size];
            percussive = new float[size];
            mask = new float[3][size];
        }
    }
}
