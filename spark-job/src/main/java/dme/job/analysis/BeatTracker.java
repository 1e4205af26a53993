package dme.job.analysis;

import java.util.Arrays;

/**
 * Beat positions by dynamic programming (Ellis 2007, "Beat tracking by dynamic programming"): the
 * best sequence of frames maximises the onset strength at its beats minus a penalty, {@code TIGHTNESS
 * * log(interval / period)^2}, for every interval that departs from the tempo's period.
 */
final class BeatTracker {
    private static final double TIGHTNESS = 100;

    private BeatTracker() {}

    /** Beat frames in increasing order (empty when there is nothing to track). */
    static int[] track(float[] onset, double fps, double bpm) {
        int n = onset.length;
        if (n == 0 || !(bpm > 0)) {
            return new int[0];
        }
        double period = 60 * fps / bpm;
        double[] local = smooth(onset, period);
        double[] cumulative = new double[n];
        int[] previous = new int[n];
        int from = (int) Math.round(2 * period);
        int to = Math.max(1, (int) Math.round(period / 2));
        double[] penalty = new double[from + 1];
        for (int d = 1; d <= from; d++) {
            double r = Math.log(d / period);
            penalty[d] = TIGHTNESS * r * r;
        }
        for (int t = 0; t < n; t++) {
            double best = Double.NEGATIVE_INFINITY;
            int link = -1;
            for (int tau = Math.max(0, t - from); tau <= t - to; tau++) {
                double score = cumulative[tau] - penalty[t - tau];
                if (score > best) {
                    best = score;
                    link = tau;
                }
            }
            // A beat with no worthwhile predecessor starts the sequence afresh.
            if (link < 0 || best < 0) {
                cumulative[t] = local[t];
                previous[t] = -1;
            } else {
                cumulative[t] = local[t] + best;
                previous[t] = link;
            }
        }
        int last = lastBeat(cumulative);
        int[] beats = new int[n];
        int count = 0;
        for (int t = last; t >= 0; t = previous[t]) {
            beats[count++] = t;
        }
        int[] ordered = new int[count];
        for (int i = 0; i < count; i++) {
            ordered[i] = beats[count - 1 - i];
        }
        return trim(ordered, local);
    }

    /** Onsets smoothed by a Gaussian of a 32nd of the period: small timing jitter is forgiven. */
    private static double[] smooth(float[] onset, double period) {
        double sigma = Math.max(0.5, period / 32);
        int half = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * half + 1];
        for (int i = -half; i <= half; i++) {
            kernel[i + half] = Math.exp(-0.5 * (i / sigma) * (i / sigma));
        }
        double[] out = new double[onset.length];
        for (int t = 0; t < onset.length; t++) {
            double s = 0;
            for (int i = -half; i <= half; i++) {
                int j = t + i;
                if (j >= 0 && j < onset.length) {
                    s += kernel[i + half] * onset[j];
                }
            }
            out[t] = s;
        }
        return out;
    }

    /** The last local maximum of the cumulative score that reaches half their median. */
    private static int lastBeat(double[] cumulative) {
        int n = cumulative.length;
        double[] maxima = new double[n];
        int m = 0;
        for (int t = 1; t + 1 < n; t++) {
            if (cumulative[t] > cumulative[t - 1] && cumulative[t] >= cumulative[t + 1]) {
                maxima[m++] = cumulative[t];
            }
        }
        if (m == 0) {
            return n - 1;
        }
        double[] sorted = Arrays.copyOf(maxima, m);
        Arrays.sort(sorted);
        double threshold = 0.5 * sorted[m / 2];
        for (int t = n - 2; t >= 1; t--) {
            if (cumulative[t] > cumulative[t - 1] && cumulative[t] >= cumulative[t + 1] && cumulative[t] >= threshold) {
                return t;
            }
        }
        return n - 1;
    }

    /** Drops leading and trailing beats weaker than half the RMS strength at beats (silence, fades). */
    private static int[] trim(int[] beats, double[] local) {
        if (beats.length == 0) {
            return beats;
        }
        double sumSq = 0;
        for (int b : beats) {
            sumSq += local[b] * local[b];
        }
        double threshold = 0.5 * Math.sqrt(sumSq / beats.length);
        int a = 0;
        int z = beats.length;
        while (a < z && local[beats[a]] < threshold) {
            a++;
        }
        while (z > a && local[beats[z - 1]] < threshold) {
            z--;
        }
        return Arrays.copyOfRange(beats, a, z);
    }
}
