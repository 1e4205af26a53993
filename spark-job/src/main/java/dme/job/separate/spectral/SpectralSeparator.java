package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import dme.job.separate.Separator;

/**
 * The built-in separator: soft time-frequency masks from classic signal cues, refined by a
 * multichannel Wiener filter; no model file needed. The constants are in {@link Tuning}.
 *
 * <ol>
 *   <li><b>STFT</b> of both channels: 4096-point sqrt-Hann frames, hop 1024 (93 ms frames resolve
 *       bass partials 11 Hz apart; the window pair is a Hann window whose hop-1024 sum is constant,
 *       so the inverse is exact, see {@link Stft}).
 *   <li><b>Harmonic/percussive medians</b> (Fitzgerald 2010) of the channel-averaged magnitude: a
 *       17-frame (0.4 s) median across time keeps sustained partials and removes onsets; a 17-bin
 *       (180 Hz) median across frequency keeps broadband onsets and removes partials. Their Wiener
 *       ratio {@code H²/(H²+P²)} splits every bin into a sustained and a transient share. Below
 *       200 Hz the frequency median is 7 bins (75 Hz) wide: a 17-bin window spans the whole bass
 *       register, so its median follows the bass line itself and a held bass note reads as half
 *       transient; 7 bins still pass a kick's broadband burst but no longer a partial's neighbours.
 *   <li><b>Short STFT</b> ({@link ShortHpss}, multi-resolution HPSS): the same medians over 1024-point
 *       frames every 512 samples (a 5-frame time median, a 33-bin frequency median) give each long
 *       bin the transient fraction its 23 ms frames see. From 300 Hz up (fading in from 200 Hz)
 *       it moves three quarters of the way to that verdict, only ever towards sustained: a 93 ms frame calls
 *       a note's attack or a vibrato "transient" that the short frames see as narrow-band. Below,
 *       where a 1024-point frame cannot tell a bass note from a kick, the long STFT alone decides.
 *   <li><b>Cymbal prior</b>: the sustained share is faded out between 1 and 6 kHz, where most
 *       "sustained" energy is cymbal and hi-hat decay rather than partials.
 *   <li><b>Drums</b> take the transient share.
 *   <li><b>Bass</b> takes the sustained share below a smooth 100–200 Hz crossover and, above the
 *       crossover, half of the sustained energy on the partials of the tracked bass
 *       pitch ({@link BassPitch}: harmonic-sum salience over the time median, 30–160 Hz), faded out
 *       300–800 Hz and scaled by how clearly a single note explains the low band.
 *   <li><b>Vocals</b> take the sustained share (plus 70 % of the transient share: consonants, sung
 *       onsets) in the voice band (rising 80–200 Hz, fading 1–6 kHz) weighted by a centre-panning
 *       cue: the inter-channel similarity {@code 2·Re(L·R*)/(|L|²+|R|²)} of Avendano and Jot, to the
 *       8th power, which is near 1 only where a centred source such as a lead voice dominates.
 *   <li><b>Repeating model</b> ({@link RepeatingModel}, REPET-SIM): the median of the 8 frames
 *       most like each frame (at least 1 s apart, within 10 s) explains a fraction W of each bin;
 *       vocals keep {@code 1 − W⁸/2} of their share there, the rest going back to drums (onsets)
 *       and other. Bars repeat, a sung line mostly does not. (The voice-pitch comb,
 *       {@link VocalPitch}, is off: once the repeating model was in, no fold kept it.)
 *   <li><b>Other</b> is the remainder. The four weights are renormalised with a prior weight 1.3 on
 *       other (doubtful energy leans to the remainder), so they sum to one in every bin.
 *   <li><b>Spatial Wiener filter</b> ({@link SpatialWiener}) below 8 kHz: each source's power is its
 *       mask times the bin's power, its 2×2 spatial covariance is estimated over the chunk, and the
 *       stereo estimates {@code v_j R_j (Σ v_k R_k)⁻¹ x} separate panned sources that share a bin.
 *   <li>Other is computed in the time domain as mixture − drums − bass − vocals, so the stems add up
 *       to the input exactly (to float rounding).
 * </ol>
 *
 * <p>The values were chosen by 3-fold cross-validation on the 12-song development set
 * (shared/devset, 10 s chunks as in the pipeline; docs/QUALITY.md, scripts/bench-quality.sh): held
 * out, mean SDR 4.01 dB (drums 3.93, bass 3.51, other 3.25, vocals 5.34) against 3.89 dB for the
 * previous version's cross-validation, 1.11 dB for mixture/4 and 8.68 dB for the oracle ratio mask,
 * every stem of every song above its mixture/4 baseline. Most of the remaining error lies between
 * 120 Hz and 1 kHz, where bass partials, voice, piano and drum bodies overlap. Speed is about 59x
 * real time on one core (scripts/bench-quality.sh speed): three medians, two forward and six
 * inverse 4096-point FFTs per 1024 samples, four forward 1024-point FFTs and the short medians below
 * 6 kHz, the repeating model's frame similarities and 8-frame medians below 6 kHz, and the 2×2
 * filter per bin.
 *
 * <p>Thread-safe and allocation-free apart from the result: the window and per-bin tables are
 * read-only, and each thread reuses its own {@link Workspace}. Any input length {@code n >= 0} works
 * (frames beyond the input are zero-padded, the output is trimmed to {@code n}). Audio is assumed to
 * be 44.1 kHz; the cue frequencies scale with {@code sampleRate} if another is given.
 */
public final class SpectralSeparator implements Separator {
    static final int TIME_MEDIAN = 17;
    static final int FREQ_MEDIAN = 17;

    private final Stft stft = new Stft();
    private final SourceMasks masks;
    private final int lowTimeMedian;
    /** Null when the masks are applied as they are. */
    private final SpatialWiener spatial;
    private final int spatialIterations;
    private final float mixtureFloor;
    /** Null when the short STFT is not used. */
    private final ShortHpss shortHpss;
    /** Null without a spectral prior (the default). */
    private final SpectralPrior prior;
    /** Null without the repeating model. */
    private final RepeatingModel repeating;
    /** Bins below {@link Tuning#lowMedianHz()}, which get the shorter time median. */
    private final int lowBins;
    private final int lowFreqMedian;
    /** Bins below {@link Tuning#lowFreqMedianHz()}, which get the narrower frequency median. */
    private final int lowFreqBins;
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    public SpectralSeparator() {
        this(PcmFormat.SAMPLE_RATE);
    }

    SpectralSeparator(int sampleRate) {
        this(sampleRate, Tuning.DEFAULT);
    }

    SpectralSeparator(int sampleRate, Tuning tuning) {
        masks = new SourceMasks(sampleRate, tuning);
        lowTimeMedian = tuning.lowTimeMedian();
        spatialIterations = tuning.spatialIterations();
        mixtureFloor = tuning.mixtureFloor();
        spatial = tuning.spatialMaxHz() > 0 ? new SpatialWiener(sampleRate, tuning.spatialMaxHz()) : null;
        shortHpss = tuning.usesShortStft()
                ? new ShortHpss(sampleRate, tuning.cymbalFullHz(), tuning.shortTimeMedian(),
                        tuning.shortFreqMedian(), tuning.hpPower()) : null;
        prior = tuning.spectralPrior() > 0 ? new SpectralPrior(tuning.spectralPrior(), tuning.spectralPriorBins()) : null;
        repeating = tuning.repeatShare() > 0
                ? new RepeatingModel(sampleRate, tuning.voiceOutHz(), tuning.repeatNeighbours()) : null;
        lowBins = binsBelow(tuning.lowMedianHz(), sampleRate);
        lowFreqMedian = tuning.lowFreqMedian();
        lowFreqBins = binsBelow(tuning.lowFreqMedianHz(), sampleRate);
    }

    /** How many of the lowest bins lie below {@code hz} (all of them at most). */
    private static int binsBelow(double hz, int sampleRate) {
        return Math.min(BINS, (int) Math.ceil(hz * Stft.N / sampleRate));
    }

    @Override
    public String name() {
        return "spectral-hpss-v6";
    }

    @Override
    public float[][][] separate(float[][] mixture, SongStats stats) {
        if (mixture.length != 2 || mixture[0].length != mixture[1].length) {
            throw new IllegalArgumentException("expected two channels of equal length");
        }
        int n = mixture[0].length;
        float[][][] out = new float[4][2][n];
        if (n == 0) {
            return out;
        }
        int frames = Stft.frames(n);
        Workspace ws = workspaces.get();
        ws.ensure(frames);
        stft.forward(mixture[0], n, frames, ws.left, ws.fft);
        stft.forward(mixture[1], n, frames, ws.right, ws.fft);
        SourceMasks.magnitude(ws.left, ws.right, frames, ws.magnitude);
        MedianFilter.alongTime(ws.magnitude, frames, BINS, TIME_MEDIAN, ws.harmonic, ws.medianWindows);
        if (lowBins > 0 && lowTimeMedian != TIME_MEDIAN) {
            MedianFilter.alongTime(ws.magnitude, frames, BINS, lowBins, lowTimeMedian, ws.harmonic, ws.medianWindows);
        }
        MedianFilter.alongFrequency(ws.magnitude, frames, BINS, FREQ_MEDIAN, ws.percussive, ws.medianWindow);
        if (lowFreqBins > 0 && lowFreqMedian != FREQ_MEDIAN) {
            MedianFilter.alongFrequency(ws.magnitude, frames, BINS, lowFreqBins, lowFreqMedian, ws.percussive,
                    ws.medianWindow);
        }
        if (masks.pitch != null) {
            masks.pitch.track(ws.harmonic, frames, ws.bassF0, ws.bassConfidence, ws.comb);
        }
        float[] shortTransient = null;
        if (shortHpss != null) {
            ws.ensureShort(frames, ShortHpss.frames(n), shortHpss);
            shortHpss.evidence(mixture, n, frames, ws.shortMagnitude, ws.shortHarmonic, ws.shortPercussive,
                    ws.shortFrame, ws.shortWindows, ws.shortWindow, ws.shortRatio, ws.shortFft, ws.shortTransient);
            shortTransient = ws.shortTransient;
        }
        int repeatBins = 0;
        if (repeating != null) {
            ws.ensureRepeating(frames, repeating);
            repeating.fraction(ws.magnitude, frames, ws.repeating, ws.repeatFeature, ws.repeatSimilarity,
                    ws.repeatChosen, ws.repeatValues);
            repeatBins = repeating.bins;
        }
        masks.compute(ws.left, ws.right, frames, ws.harmonic, ws.percussive, ws.magnitude, ws.bassF0,
                ws.bassConfidence, ws.comb, ws.centred, ws.voiceComb, shortTransient, ws.kick, ws.repeating,
                repeatBins);
        if (prior != null) {
            prior.apply(ws.left, ws.right, frames, ws.harmonic, ws.percussive, ws.magnitude, ws.stemEnergy, ws.stemPrior);
        }
        if (spatial != null) {
            spatial.estimate(ws.left, ws.right, frames, ws.harmonic, ws.percussive, ws.magnitude, ws.covariance,
                    ws.covarianceWeight);
            for (int it = 0; it < spatialIterations; it++) {
                spatial.reestimate(ws.left, ws.right, frames, ws.harmonic, ws.percussive, ws.magnitude, ws.other,
                        it == 0, ws.covariance, ws.covarianceNext, ws.covarianceWeight);
            }
            float[] other = spatialIterations > 0 ? ws.other : null;
            int[] stems = {DRUMS, BASS, VOCALS};
            for (int f = 0; f < frames; f++) {
                spatial.filterFrame(ws.left, ws.right, f, ws.harmonic, ws.percussive, ws.magnitude, other,
                        ws.covariance, ws.stemFrame);
                for (int s = 0; s < 3; s++) {
                    stft.inverseFrameAdd(ws.stemFrame[s][0], f, out[stems[s]][0], n, ws.fft);
                    stft.inverseFrameAdd(ws.stemFrame[s][1], f, out[stems[s]][1], n, ws.fft);
                }
            }
        } else {
            float[][] stemMasks = {ws.harmonic, ws.percussive, null, ws.magnitude};
            for (int s : new int[] {DRUMS, BASS, VOCALS}) {
                stft.inverseAdd(ws.left, stemMasks[s], frames, out[s][0], n, ws.frame, ws.fft);
                stft.inverseAdd(ws.right, stemMasks[s], frames, out[s][1], n, ws.frame, ws.fft);
            }
        }
        float keep = 1f - mixtureFloor;
        float floor = mixtureFloor / 4f;
        for (int c = 0; c < 2; c++) {
            float[] x = mixture[c];
            float[] d = out[DRUMS][c];
            float[] b = out[BASS][c];
            float[] v = out[VOCALS][c];
            float[] o = out[OTHER][c];
            for (int i = 0; i < n; i++) {
                if (mixtureFloor > 0f) {
                    float q = floor * x[i];
                    d[i] = keep * d[i] + q;
                    b[i] = keep * b[i] + q;
                    v[i] = keep * v[i] + q;
                }
                o[i] = x[i] - d[i] - b[i] - v[i];
            }
        }
        return out;
    }

    // Stem order of dme.core.Stem.
    private static final int DRUMS = 0;
    private static final int BASS = 1;
    private static final int OTHER = 2;
    private static final int VOCALS = 3;
}
