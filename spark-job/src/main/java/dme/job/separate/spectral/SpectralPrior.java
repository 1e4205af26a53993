package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

import java.util.Arrays;

/**
 * A per-chunk spectral prior on the four masks: where each stem's energy sits in frequency over the
 * whole chunk. Its share of the energy around bin k ({@code k ± halfWidth}),
 * {@code S_j(k) = Σ_f m_j(f,k)·|X(f,k)|² / Σ_f |X(f,k)|²}, over its share of the whole chunk
 * {@code g_j}, weights that stem's mask in every frame, {@code m_j·(S_j/g_j)^α}, before the four are
 * renormalised. A stem that holds less of a frequency than of the chunk as a whole (a bass line
 * that seldom reaches 400 Hz, a voice with little below 150 Hz) is unlikely to own that frequency in
 * any one frame, where the cues alone are noisy; dividing by {@code g_j} keeps a stem that plays
 * only part of the chunk (a voice entering late) from being weighted down everywhere. One step of
 * the rank-one spectral model that NMF-based separators refine by many.
 *
 * <p>Read-only after construction; the caller owns the scratch ({@link Workspace}).
 */
final class SpectralPrior {
    private static final float TINY = 1e-30f;
    /** A share is never taken as less than this, so a stem's mask is never zeroed outright. */
    private static final double MIN_SHARE = 1e-6;

    private final float exponent;
    private final int halfWidth;

    SpectralPrior(float exponent, int halfWidth) {
        if (exponent <= 0f || halfWidth < 0) {
            throw new IllegalArgumentException("spectral prior: exponent > 0 and half-width >= 0 expected");
        }
        this.exponent = exponent;
        this.halfWidth = halfWidth;
    }

    /**
     * Reweights the drums, bass and vocals masks in place (other is what remains, so its mask is
     * {@code 1 − d − b − v} before and after). {@code energy} is scratch of {@code 4 * BINS} doubles,
     * {@code weight} of {@code 4 * BINS} floats.
     */
    void apply(float[] left, float[] right, int frames, float[] drums, float[] bass, float[] vocals,
            double[] energy, float[] weight) {
        Arrays.fill(energy, 0, 4 * BINS, 0.0);
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            for (int k = 0; k < BINS; k++) {
                float e = power(left, right, row, k);
                int i = m + k;
                float d = drums[i];
                float b = bass[i];
                float v = vocals[i];
                energy[k] += d * e;
                energy[BINS + k] += b * e;
                energy[2 * BINS + k] += v * e;
                energy[3 * BINS + k] += Math.max(0f, 1f - d - b - v) * e;
            }
        }
        shares(energy, weight);
        for (int f = 0; f < frames; f++) {
            int m = f * BINS;
            for (int k = 0; k < BINS; k++) {
                int i = m + k;
                float d = drums[i] * weight[k];
                float b = bass[i] * weight[BINS + k];
                float v = vocals[i] * weight[2 * BINS + k];
                float o = Math.max(0f, 1f - drums[i] - bass[i] - vocals[i]) * weight[3 * BINS + k];
                float norm = 1f / (d + b + v + o + TINY);
                drums[i] = d * norm;
                bass[i] = b * norm;
                vocals[i] = v * norm;
            }
        }
    }

    /**
     * Per stem and bin, its share of the energy in {@code k ± halfWidth} over its share of the whole
     * chunk, to the exponent.
     */
    private void shares(double[] energy, float[] weight) {
        double[] overall = new double[4];
        double all = 0;
        for (int j = 0; j < 4; j++) {
            for (int k = 0; k < BINS; k++) {
                overall[j] += energy[j * BINS + k];
            }
            all += overall[j];
        }
        if (all <= 0) {
            Arrays.fill(weight, 0, 4 * BINS, 1f);
            return;
        }
        for (int j = 0; j < 4; j++) {
            overall[j] = Math.max(MIN_SHARE, overall[j] / all);
        }
        double[] window = new double[4];
        // A running sum over the bins k − halfWidth .. k + halfWidth (clipped at the ends).
        for (int k = 0; k < Math.min(halfWidth, BINS); k++) {
            add(energy, k, window, 1);
        }
        for (int k = 0; k < BINS; k++) {
            if (k + halfWidth < BINS) {
                add(energy, k + halfWidth, window, 1);
            }
            if (k - halfWidth - 1 >= 0) {
                add(energy, k - halfWidth - 1, window, -1);
            }
            double sum = window[0] + window[1] + window[2] + window[3];
            for (int j = 0; j < 4; j++) {
                weight[j * BINS + k] = sum > 0
                        ? (float) Math.pow(Math.max(MIN_SHARE, window[j] / sum) / overall[j], exponent) : 1f;
            }
        }
    }

    private static void add(double[] energy, int k, double[] window, int sign) {
        for (int j = 0; j < 4; j++) {
            window[j] += sign * energy[j * BINS + k];
        }
    }

    /** {@code |L|² + |R|²} of bin k in packed spectra (DC and Nyquist are real). */
    private static float power(float[] left, float[] right, int row, int k) {
        if (k == 0) {
            return left[row] * left[row] + right[row] * right[row];
        }
        if (k == BINS - 1) {
            return left[row + 1] * left[row + 1] + right[row + 1] * right[row + 1];
        }
        int i = row + 2 * k;
        return left[i] * left[i] + left[i + 1] * left[i + 1] + right[i] * right[i] + right[i + 1] * right[i + 1];
    }
}
