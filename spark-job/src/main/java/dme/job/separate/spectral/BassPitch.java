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

    private final HarmonicSalience salience;
    private final int bandLow;
    private final int bandHigh;
    /** Bins the comb may reach. */
    final int combBins;

    BassPitch(int sampleRate, double combNoneHz) {
        double binHz = sampleRate / (double) N;
        salience = new HarmonicSalience(binHz, LOWEST_HZ, HIGHEST_HZ, STEPS_PER_OCTAVE, HARMONICS);
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
            f0[f] = salience.best(harmonic, row, BINS);
            comb(f0[f], scratch);
            confidence[f] = HarmonicSalience.confidence(harmonic, row, scratch, bandLow, bandHigh + 1);
        }
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
