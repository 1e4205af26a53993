package dme.job.separate.spectral;

/**
 * The separator's tunable constants in one place, so that the development tools can score other
 * values by cross-validation without a second copy of the algorithm. {@link #DEFAULT} is what the
 * separator uses; see {@link SpectralSeparator} for what each cue does and docs/QUALITY.md for how
 * the values were chosen.
 *
 * @param cymbalFromHz the sustained share starts fading here (cymbal and hi-hat decays above)
 * @param cymbalFullHz and is gone here
 * @param bassFullHz harmonic energy below this is all bass
 * @param bassNoneHz and above this none of it
 * @param voiceLowHz the voice band rises from here
 * @param voiceInHz to full weight here
 * @param voiceOutFromHz and falls from here
 * @param voiceOutHz to zero here
 * @param vocalOnsetShare share of centred voice-band transient energy given to vocals
 * @param otherWeight prior weight of other when the masks are renormalised
 * @param centrePower exponent of the centre-panning cue for vocals
 * @param bassCentrePower exponent of the centre-panning cue for bass (0: bass ignores panning)
 * @param lowTimeMedian time-median width (frames, odd) below {@link #lowMedianHz}, where bass
 *     notes are short compared with the 0.4 s median elsewhere
 * @param lowMedianHz the band that gets {@link #lowTimeMedian}
 * @param bassCombDepth below the crossover, how much sustained energy off the tracked bass pitch's
 *     partials is taken from bass (scaled by the pitch confidence; 0: none)
 * @param bassCombGain above the crossover, how much sustained energy on those partials bass takes
 * @param bassCombFullHz the comb above the crossover is at full strength up to here
 * @param bassCombNoneHz and gone here
 * @param drumCentrePower exponent of the centre-panning cue for drums (0: drums ignore panning); kits
 *     are spread around the centre, hard-panned guitars and pianos are not
 * @param hpPower exponent of the harmonic/percussive split {@code H^p / (H^p + P^p)}
 * @param maskPower the four stem weights are raised to this power (1, 1.5, 2, ...: whole or half)
 *     before they are renormalised; above 1 the masks are sharper
 * @param spatialMaxHz the multichannel Wiener filter ({@link SpatialWiener}) refines bins below
 *     this (0: plain masks everywhere)
 * @param spatialIterations EM steps of the filter (0: the filter of the masks as they are)
 */
record Tuning(double cymbalFromHz, double cymbalFullHz, double bassFullHz, double bassNoneHz, double voiceLowHz,
        double voiceInHz, double voiceOutFromHz, double voiceOutHz, float vocalOnsetShare, float otherWeight,
        int centrePower, int bassCentrePower, int lowTimeMedian, double lowMedianHz, float bassCombDepth,
        float bassCombGain, double bassCombFullHz, double bassCombNoneHz, int drumCentrePower, int hpPower,
        float maskPower, double spatialMaxHz, int spatialIterations) {

    /**
     * The values the three cross-validation folds agreed on (the majority, or the middle of three;
     * docs/QUALITY.md). Off here, each scored lower on its own: a shorter low-band time median,
     * panning cues for bass and drums, sharper or softer masks, EM steps of the spatial filter.
     */
    static final Tuning DEFAULT = new Tuning(1_000, 10_000, 100, 200, 80, 200, 1_000, 10_000, 0.7f, 1.5f, 16, 0,
            SpectralSeparator.TIME_MEDIAN, 0, 0f, 0.5f, 300, 800, 0, 2, 1f, 8_000, 0);

    Tuning {
        if (lowTimeMedian < 1 || lowTimeMedian % 2 == 0 || lowTimeMedian > SpectralSeparator.TIME_MEDIAN) {
            throw new IllegalArgumentException("lowTimeMedian must be odd, 1.." + SpectralSeparator.TIME_MEDIAN);
        }
        if (maskPower < 0.5f || maskPower * 2 != Math.round(maskPower * 2)) {
            throw new IllegalArgumentException("maskPower must be a whole or half number >= 0.5");
        }
        if (centrePower < 0 || bassCentrePower < 0 || drumCentrePower < 0 || hpPower < 1) {
            throw new IllegalArgumentException("negative exponent");
        }
    }

    boolean usesBassPitch() {
        return bassCombDepth > 0 || bassCombGain > 0;
    }
}
