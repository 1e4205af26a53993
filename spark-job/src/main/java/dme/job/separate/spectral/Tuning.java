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
 * @param panOtherShare how much of drums' and bass's share a hard-panned bin gives to other (0: none);
 *     a bin whose energy sits in one channel is rarely a kit or a bass, which are mixed near the
 *     centre, and often a guitar or organ panned to one side
 * @param panPower exponent of the channel imbalance {@code |L²−R²|/(L²+R²)} in that cue
 * @param vocalCombDepth how much sustained energy off the tracked voice pitch's partials
 *     ({@link VocalPitch}) is taken from vocals, scaled by the pitch confidence (0: no voice pitch)
 * @param vocalCombMaxHz the voice comb covers bins up to here (above, the plain voice band)
 * @param vocalCombOnsetDepth the same for vocals' share of the transient energy (0: none)
 * @param vocalGate frames whose voice-pitch confidence is below this give vocals only
 *     confidence / gate of their sustained share (0: no gate)
 * @param mixtureFloor every stem is blended with this share of mixture/4 ({@code (1 − a)·s + a·x/4},
 *     so the stems still sum to the mixture): where the masks are unsure, a little of the mixture
 *     costs less than a wrong bin
 * @param shortHpWeight above {@link #shortHpSplitHz}, how much of a bin's transient fraction comes
 *     from the short STFT ({@link ShortHpss}) instead of the long one (0: the long one alone)
 * @param shortHpLowWeight the same below {@link #shortHpSplitHz} (where kick and bass meet)
 * @param shortHpSplitHz the low weight holds up to here, the high one from 1.5 times this
 * @param shortTimeMedian time-median width of the short STFT (short frames, odd)
 * @param shortFreqMedian frequency-median width of the short STFT (short bins, odd)
 * @param shortHpMode 0: the short STFT's verdict moves a bin either way; 1: only towards transient;
 *     2: only towards sustained
 * @param kickShare how much of the bass share of a low-band bin moves to drums in frames that
 *     look like a kick's burst (fast attack and decay of the band's energy; 0: none)
 * @param kickDecayFrames the decay is measured this many frames after the burst
 * @param kickSpread frames after the burst's frame that are treated as the kick too
 * @param lowFreqMedian frequency-median width (bins, odd) below {@link #lowFreqMedianHz}: there a
 *     17-bin (180 Hz) window spans the whole bass register, so its median is the bass line itself
 *     and a bass note reads as half transient; a narrower window still passes a kick's broadband
 *     burst but no longer a single partial's neighbours
 * @param lowFreqMedianHz the band that gets {@link #lowFreqMedian}
 * @param spectralPrior exponent of each stem's share of a frequency over the chunk (relative to its
 *     share of the chunk), by which its mask is weighted before the four are renormalised
 *     ({@link SpectralPrior}; 0: none)
 * @param spectralPriorBins that share is taken over the bins within this many of the bin's own
 * @param repeatShare how far a bin's repeating fraction ({@link RepeatingModel}) takes it out of the
 *     voice band's share: vocals keep {@code 1 − repeatShare·W⁸} of it (0: no repeating model)
 * @param repeatNeighbours frames (the bin's own included) whose median is the repeating model
 */
record Tuning(double cymbalFromHz, double cymbalFullHz, double bassFullHz, double bassNoneHz, double voiceLowHz,
        double voiceInHz, double voiceOutFromHz, double voiceOutHz, float vocalOnsetShare, float otherWeight,
        int centrePower, int bassCentrePower, int lowTimeMedian, double lowMedianHz, float bassCombDepth,
        float bassCombGain, double bassCombFullHz, double bassCombNoneHz, int drumCentrePower, int hpPower,
        float maskPower, double spatialMaxHz, int spatialIterations, float panOtherShare, int panPower,
        float vocalCombDepth, double vocalCombMaxHz, float vocalCombOnsetDepth, float vocalGate,
        float mixtureFloor, float shortHpWeight, float shortHpLowWeight, double shortHpSplitHz, int shortTimeMedian,
        int shortFreqMedian, int shortHpMode, float kickShare, int kickDecayFrames,
        int kickSpread, int lowFreqMedian, double lowFreqMedianHz, float spectralPrior, int spectralPriorBins,
        float repeatShare, int repeatNeighbours) {

    /**
     * The values the three cross-validation folds agreed on (per parameter the majority of the
     * three; docs/QUALITY.md), except the centre cue's exponent: the majority (16) left the
     * synthetic band's other stem 0.0002 dB under the regression floor, and of the folds' minority
     * values that pass it, 8 scored best. Off here: a shorter low-band time median, panning cues for
     * bass and drums, sharper or softer masks, EM steps of the spatial filter, the hard-pan cue, the
     * voicing gate, the short STFT below 200 Hz, the bass comb's depth below the crossover, the
     * kick detector (the narrow low-band frequency median made it redundant), the voice comb (no
     * fold kept it once the repeating model was in) and the spectral prior (two folds of three left
     * it out; it costs the synthetic band's other stem more than its floor allows).
     */
    static final Tuning DEFAULT = new Tuning(1_000, 6_000, 100, 200, 80, 200, 1_000, 6_000, 0.7f, 1.3f, 8, 0,
            SpectralSeparator.TIME_MEDIAN, 0, 0f, 0.5f, 300, 800, 0, 2, 1f, 8_000, 0, 0f, 4, 0f, 4_000, 0f, 0f,
            0f, 0.75f, 0f, 200, 5, 33, 2, 0f, 4, 2, 7, 200, 0f, 4, 0.5f, 8);

    Tuning {
        if (lowTimeMedian < 1 || lowTimeMedian % 2 == 0 || lowTimeMedian > SpectralSeparator.TIME_MEDIAN) {
            throw new IllegalArgumentException("lowTimeMedian must be odd, 1.." + SpectralSeparator.TIME_MEDIAN);
        }
        if (lowFreqMedian < 1 || lowFreqMedian % 2 == 0 || lowFreqMedian > SpectralSeparator.FREQ_MEDIAN) {
            throw new IllegalArgumentException("lowFreqMedian must be odd, 1.." + SpectralSeparator.FREQ_MEDIAN);
        }
        if (maskPower < 0.5f || maskPower * 2 != Math.round(maskPower * 2)) {
            throw new IllegalArgumentException("maskPower must be a whole or half number >= 0.5");
        }
        if (mixtureFloor < 0 || mixtureFloor > 1) {
            throw new IllegalArgumentException("mixtureFloor must be in [0, 1]");
        }
        if (shortHpWeight < 0 || shortHpWeight > 1 || shortHpLowWeight < 0 || shortHpLowWeight > 1) {
            throw new IllegalArgumentException("short STFT weights must be in [0, 1]");
        }
        if (shortTimeMedian < 1 || shortTimeMedian % 2 == 0 || shortFreqMedian < 1 || shortFreqMedian % 2 == 0) {
            throw new IllegalArgumentException("short median widths must be odd and positive");
        }
        if (kickShare < 0 || kickShare > 1 || kickDecayFrames < 1 || kickSpread < 0) {
            throw new IllegalArgumentException("kickShare must be in [0, 1], kickDecayFrames >= 1");
        }
        if (spectralPrior < 0 || spectralPriorBins < 0) {
            throw new IllegalArgumentException("spectralPrior and spectralPriorBins must be >= 0");
        }
        if (repeatShare < 0 || repeatShare > 1 || repeatNeighbours < 2) {
            throw new IllegalArgumentException("repeatShare must be in [0, 1], repeatNeighbours >= 2");
        }
        if (shortHpMode < 0 || shortHpMode > 2) {
            throw new IllegalArgumentException("shortHpMode must be 0, 1 or 2");
        }
        if (centrePower < 0 || bassCentrePower < 0 || drumCentrePower < 0 || hpPower < 1 || panPower < 1) {
            throw new IllegalArgumentException("negative exponent");
        }
    }

    boolean usesVoicePitch() {
        return vocalCombDepth > 0 || vocalCombOnsetDepth > 0 || vocalGate > 0;
    }

    boolean usesShortStft() {
        return shortHpWeight > 0 || shortHpLowWeight > 0;
    }

    boolean usesBassPitch() {
        return bassCombDepth > 0 || bassCombGain > 0;
    }
}
