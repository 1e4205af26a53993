package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

/**
 * Predominant voice pitch of one frame, and a harmonic comb around it. The input is the frame's
 * sustained (time-median) magnitude weighted by the centre-panning cue, so that panned guitars and
 * organs weigh little; the salience of a candidate f0 (80–800 Hz, eighth-tone steps) is the weighted
 * sum of that magnitude at its first {@link #HARMONICS} partials. The confidence is the share of the
 * band's centred energy (80 Hz to the comb's top) that lies on the comb, beyond what a flat spectrum
 * would give: high for a sung vowel, low for a chord or noise.
 *
 * <p>With the comb the vocals mask keeps a confident frame's partials and leaves the centred energy
 * between them (a centred guitar or piano, drum bodies) to the other stems.
 */
final class VocalPitch {
    static final double LOWEST_HZ = 80;
    static final double HIGHEST_HZ = 800;
    static final int STEPS_PER_OCTAVE = 48;
    static final int HARMONICS = 10;
    /** Comb tooth half-width in bins at the fundamental (a sine-window partial spreads ±1.5 bins). */
    static final float TOOTH_BINS = 1.5f;
    /** The tooth widens with the partial number by this share of f0: vibrato moves high partials more. */
    static final float TOOTH_WIDENING = 0.03f;

    private final float[] candidates;
    private final float[] weights = new float[HARMONICS];
    private final int bandLow;
    /** Bins the comb covers; above, the vocals mask is left as it is. */
    final int combBins;

    VocalPitch(int sampleRate, double combMaxHz) {
        double binHz = sampleRate / (double) N;
        int count = (int) Math.floor(STEPS_PER_OCTAVE * Math.log(HIGHEST_HZ / LOWEST_HZ) / Math.log(2)) + 1;
        candidates = new float[count];
        for (int c = 0; c < count; c++) {
            candidates[c] = (float) (LOWEST_HZ * Math.pow(2, c / (double) STEPS_PER_OCTAVE) / binHz);
        }
        for (int h = 0; h < HARMONICS; h++) {
            weights[h] = (float) Math.pow(0.85, h);
        }
        bandLow = (int) Math.floor(LOWEST_HZ / binHz);
        combBins = Math.min(BINS, Math.max(bandLow + 2, (int) Math.ceil(combMaxHz / binHz)));
    }

    /**
     * Tracks one frame of centred sustained magnitude {@code centred} ({@link #combBins} values),
     * writes its comb to {@code comb} and returns the confidence (0–1).
     */
    float track(float[] centred, float[] comb) {
        float best = -1f;
        float bestBin = candidates[0];
        for (float c : candidates) {
            float s = 0f;
            for (int h = 0; h < HARMONICS; h++) {
                float bin = c * (h + 1);
                int k = (int) bin;
                if (k + 1 >= combBins) {
                    break;
                }
                float frac = bin - k;
                s += weights[h] * (centred[k] * (1f - frac) + centred[k + 1] * frac);
            }
            if (s > best) {
                best = s;
                bestBin = c;
            }
        }
        comb(bestBin, comb);
        float band = 0f;
        float on = 0f;
        float coverage = 0f;
        for (int k = bandLow; k < combBins; k++) {
            float x = centred[k] * centred[k];
            band += x;
            on += comb[k] * x;
            coverage += comb[k];
        }
        coverage /= combBins - bandLow;
        float share = band > 1e-20f ? on / band : 0f;
        return Math.max(0f, Math.min(1f, (share - coverage) / (1f - coverage)));
    }

    /** Comb weights (1 on a partial of {@code f0Bins}, 0 between and below the fundamental). */
    void comb(float f0Bins, float[] out) {
        for (int k = 0; k < combBins; k++) {
            float h = Math.round(k / f0Bins);
            if (h < 1f) {
                out[k] = k >= f0Bins - TOOTH_BINS ? 0.5f + 0.5f * (float) Math.cos(Math.PI * (f0Bins - k) / TOOTH_BINS) : 0f;
                continue;
            }
            float d = Math.abs(k - h * f0Bins) / (TOOTH_BINS + TOOTH_WIDENING * h * f0Bins);
            out[k] = d >= 1f ? 0f : 0.5f + 0.5f * (float) Math.cos(Math.PI * d);
        }
    }
}
