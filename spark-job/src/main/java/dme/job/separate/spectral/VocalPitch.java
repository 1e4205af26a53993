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

    private final HarmonicSalience salience;
    private final int bandLow;
    /** Bins the comb covers; above, the vocals mask is left as it is. */
    final int combBins;

    VocalPitch(int sampleRate, double combMaxHz) {
        double binHz = sampleRate / (double) N;
        salience = new HarmonicSalience(binHz, LOWEST_HZ, HIGHEST_HZ, STEPS_PER_OCTAVE, HARMONICS);
        bandLow = (int) Math.floor(LOWEST_HZ / binHz);
        combBins = Math.min(BINS, Math.max(bandLow + 2, (int) Math.ceil(combMaxHz / binHz)));
    }

    /**
     * Tracks one frame of centred sustained magnitude {@code centred} ({@link #combBins} values),
     * writes its comb to {@code comb} and returns the confidence (0–1).
     */
    float track(float[] centred, float[] comb) {
        comb(salience.best(centred, 0, combBins), comb);
        return HarmonicSalience.confidence(centred, 0, comb, bandLow, combBins);
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
