package dme.job.separate.spectral;

/**
 * The pitch search both trackers ({@link BassPitch}, {@link VocalPitch}) use: candidate f0 on a log
 * grid, the salience of a candidate being the weighted sum of the magnitude at its partials (read
 * between bins by linear interpolation, weights falling as 0.85^h so that the sub-octave, which
 * collects only every other partial, loses), and the confidence of a comb as the share of a band's
 * energy on it beyond what a comb that dense would catch from a flat spectrum.
 */
final class HarmonicSalience {
    private final float[] candidates;
    private final float[] weights;

    /** Candidates from {@code lowestHz} to {@code highestHz}, {@code stepsPerOctave} a octave, in bins. */
    HarmonicSalience(double binHz, double lowestHz, double highestHz, int stepsPerOctave, int harmonics) {
        int count = (int) Math.floor(stepsPerOctave * Math.log(highestHz / lowestHz) / Math.log(2)) + 1;
        candidates = new float[count];
        for (int c = 0; c < count; c++) {
            candidates[c] = (float) (lowestHz * Math.pow(2, c / (double) stepsPerOctave) / binHz);
        }
        weights = new float[harmonics];
        for (int h = 0; h < harmonics; h++) {
            weights[h] = (float) Math.pow(0.85, h);
        }
    }

    /** The most salient f0, in bins, of the magnitude {@code x[row + k]} for bins {@code k < limit}. */
    float best(float[] x, int row, int limit) {
        float best = -1f;
        float bestBin = candidates[0];
        for (float c : candidates) {
            float s = 0f;
            for (int h = 0; h < weights.length; h++) {
                float bin = c * (h + 1);
                int k = (int) bin;
                if (k + 1 >= limit) {
                    break; // the partials only rise from here
                }
                float frac = bin - k;
                s += weights[h] * (x[row + k] * (1f - frac) + x[row + k + 1] * frac);
            }
            if (s > best) {
                best = s;
                bestBin = c;
            }
        }
        return bestBin;
    }

    /**
     * How much of the energy of magnitude {@code x[row + k]}, bins {@code from <= k < to}, lies on
     * {@code comb} beyond a flat spectrum's share: 0 (none) to 1.
     */
    static float confidence(float[] x, int row, float[] comb, int from, int to) {
        float band = 0f;
        float on = 0f;
        float coverage = 0f;
        for (int k = from; k < to; k++) {
            float v = x[row + k];
            band += v * v;
            on += comb[k] * v * v;
            coverage += comb[k];
        }
        coverage /= to - from;
        float share = band > 1e-20f ? on / band : 0f;
        return Math.max(0f, Math.min(1f, (share - coverage) / (1f - coverage)));
    }
}
