package dme.job.analysis;

/**
 * Global tempo from an onset envelope: its autocorrelation read through a comb (a tempo whose beat
 * period and its multiples all recur scores high), weighted by a log-normal prior around 120 BPM
 * one octave wide, the usual preference of listeners between metrical levels (Ellis 2007, McKinney
 * and Moelants 2006). Candidates are scored on a 0.05 BPM grid with interpolated lags, so the result
 * is not tied to whole frames.
 */
final class TempoEstimator {
    static final double MIN_BPM = 40;
    static final double MAX_BPM = 240;
    private static final double PRIOR_BPM = 120;
    private static final double PRIOR_OCTAVES = 1.0;
    private static final double STEP_BPM = 0.05;
    private static final int COMB_TEETH = 4;

    private TempoEstimator() {}

    /** The most likely tempo, or {@code NaN} when the envelope is too short or has no rhythm. */
    static double estimate(float[] onset, double fps) {
        int maxLag = (int) Math.ceil(COMB_TEETH * 60 * fps / MIN_BPM) + 2;
        int minFrames = (int) Math.ceil(2 * 60 * fps / MIN_BPM);
        if (onset.length < minFrames) {
            return Double.NaN;
        }
        double[] ac = autocorrelation(onset, Math.min(maxLag, onset.length - 1));
        if (!(ac[0] > 0)) {
            return Double.NaN;
        }
        double best = Double.NaN;
        double bestScore = 0;
        for (double bpm = MIN_BPM; bpm <= MAX_BPM + 1e-9; bpm += STEP_BPM) {
            double lag = 60 * fps / bpm;
            double comb = 0;
            for (int k = 1; k <= COMB_TEETH; k++) {
                comb += at(ac, k * lag);
            }
            double octaves = Math.log(bpm / PRIOR_BPM) / Math.log(2);
            double score = comb / COMB_TEETH * Math.exp(-0.5 * (octaves / PRIOR_OCTAVES) * (octaves / PRIOR_OCTAVES));
            if (score > bestScore) {
                bestScore = score;
                best = bpm;
            }
        }
        return best;
    }

    /** Unbiased autocorrelation of the mean-removed envelope for lags {@code 0..maxLag}. */
    private static double[] autocorrelation(float[] x, int maxLag) {
        int n = x.length;
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= n;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i] - mean;
        }
        double[] ac = new double[maxLag + 1];
        for (int lag = 0; lag <= maxLag; lag++) {
            double s = 0;
            for (int i = lag; i < n; i++) {
                s += d[i] * d[i - lag];
            }
            ac[lag] = s / (n - lag);
        }
        return ac;
    }

    /** Linear interpolation of {@code ac} at a fractional lag; 0 beyond its end. */
    private static double at(double[] ac, double lag) {
        int i = (int) lag;
        if (i + 1 >= ac.length) {
            return 0;
        }
        double frac = lag - i;
        return ac[i] * (1 - frac) + ac[i + 1] * frac;
    }
}
