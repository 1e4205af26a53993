package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

/**
 * Predominant bass pitch per frame, and a harmonic comb around it. The salience of a candidate f0
 * (30–160 Hz, eighth-tone steps) is the weighted sum of the sustained (time-median) magnitude at its
 * first {@link #HARMONICS} partials, read between bins by linear interpolation; weights fall with
 * the partial number so that the sub-octave, which collects only every other partial, loses. The
 * confidence is the share of the low band's sustained energy (30–400 Hz) that lies on the chosen
 * comb, beyond the share a flat spectrum would give: high for a bass note, low for a chord or noise.
 *
 * <p>The comb lets the bass mask follow a bass note's partials above the fixed low-band crossover
 * and drop the energy between them (kick drum tails, low piano notes) inside it.
 */
final class BassPitch {
    static final double LOWEST_HZ = 30;
    static final double HIGHEST_HZ = 160;
    static final int STEPS_PER_OCTAVE = 48;
    static final int HARMONICS = 8;
    /** Comb tooth half-width in bins (a sine-window partial spreads over about ±1.5 bins). */
    static final float TOOTH_BINS = 1.0f;
    private static final double BAND_LOW_HZ = 30;
    private static final double BAND_HIGH_HZ = 400;

    private final double binHz;
    /** Candidate f0 in bins. */
    private final float[] candidates;
    private final float[] weights = new float[HARMONICS];
    private final int bandLow;
    private final int bandHigh;
    /** Bins the comb may reach. */
    final int combBins;

    BassPitch(int sampleRate, double combNoneHz) {
        binHz = sampleRate / (double) N;
        int count = (int) Math.floor(STEPS_PER_OCTAVE * Math.log(HIGHEST_HZ / LOWEST_HZ) / Math.log(2)) + 1;
        candidates = new float[count];
        for (int c = 0; c < count; c++) {
            candidates[c] = (float) (LOWEST_HZ * Math.pow(2, c / (double) STEPS_PER_OCTAVE) / binHz);
        }
        for (int h = 0; h < HARMONICS; h++) {
            weights[h] = (float) Math.pow(0.85, h);
        }
        bandLow = (int) Math.floor(BAND_LOW_HZ / binHz);
        bandHigh = (int) Math.ceil(BAND_HIGH_HZ / binHz);
        combBins = Math.min(BINS, Math.max(bandHigh + 1, (int) Math.ceil(combNoneHz / binHz) + 2));
    }

    /**
     * For every frame of {@code harmonic} ({@code frames * BINS}), writes the f0 in bins to
     * {@code f0} and the confidence (0–1) to {@code confidence}; {@code scratch} holds at least
     * {@link #combBins} floats.
     */
    void track(float[] harmonic, int frames, float[] f0, float[] confidence, float[] scratch) {
        for (int f = 0; f < frames; f++) {
            int row = f * BINS;
            float best = -1f;
            float bestBin = candidates[0];
            for (float c : candidates) {
                float s = 0f;
                for (int h = 0; h < HARMONICS; h++) {
                    s += weights[h] * at(harmonic, row, c * (h + 1));
                }
                if (s > best) {
                    best = s;
                    bestBin = c;
                }
            }
            // Share of the band's energy on the comb, above what a comb this dense would catch from
            // a flat spectrum.
            comb(bestBin, scratch);
            float band = 0f;
            float on = 0f;
            float coverage = 0f;
            for (int k = bandLow; k <= bandHigh; k++) {
                float x = harmonic[row + k];
                band += x * x;
                on += scratch[k] * x * x;
                coverage += scratch[k];
            }
            coverage /= bandHigh - bandLow + 1;
            float share = band > 1e-20f ? on / band : 0f;
            confidence[f] = Math.max(0f, Math.min(1f, (share - coverage) / (1f - coverage)));
            f0[f] = bestBin;
        }
    }

    private static float at(float[] x, int row, float bin) {
        int k = (int) bin;
        if (k + 1 >= BINS) {
            return 0f;
        }
        float frac = bin - k;
        return x[row + k] * (1f - frac) + x[row + k + 1] * frac;
    }

    /** Comb weights (1 on a partial of {@code f0Bins}, 0 between) for bins {@code [0, combBins)}. */
    void comb(float f0Bins, float[] out) {
        for (int k = 0; k < combBins; k++) {
            float h = Math.max(1f, Math.round(k / f0Bins));
            float d = Math.abs(k - h * f0Bins) / TOOTH_BINS;
            out[k] = d >= 1f ? 0f : 0.5f + 0.5f * (float) Math.cos(Math.PI * d);
        }
    }
}
