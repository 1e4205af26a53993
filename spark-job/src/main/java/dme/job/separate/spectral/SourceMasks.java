package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

/**
 * Turns the stereo spectra and their harmonic and percussive medians into soft masks for drums,
 * bass and vocals (other is what remains, so the four masks sum to one in every bin). See
 * {@link SpectralSeparator} for the reasoning behind each cue and {@link Tuning} for the constants.
 *
 * <p>The per-bin tables are read-only after construction, so one instance serves all threads.
 */
final class SourceMasks {
    private static final float TINY = 1e-30f;

    /** 1 − cymbal prior: how much of a bin's sustained energy can be tonal. */
    private final float[] tonal = new float[BINS];
    private final float[] bass = new float[BINS];
    /** Voice-band weight, zero where bass takes the harmonic energy. */
    private final float[] voice = new float[BINS];

    /** Per bin, how much of the transient fraction comes from the short STFT. */
    private final float[] shortWeight = new float[BINS];
    private final int shortHpMode;
    private final float kickShare;
    private final int kickDecayFrames;
    private final int kickSpread;
    /** Bins of the low band that the kick detector reads and moves (up to bassNoneHz). */
    private final int kickBins;
    private final int kickFromBin;
    /** Where the bass comb may add partials above the crossover (0 inside it). */
    private final float[] combBand = new float[BINS];
    private final float combDepth;
    private final float combGain;
    /** Null when the bass pitch is not used. */
    final BassPitch pitch;
    private final int hpPower;
    private final int drumCentrePower;
    /** maskPower as a whole part and a half (0 or 1). */
    private final int maskWhole;
    private final boolean maskHalf;
    private final float vocalOnsetShare;
    private final float otherWeight;
    private final int centrePower;
    private final int bassCentrePower;
    private final float panOtherShare;
    /** Null when the voice pitch is not used. */
    private final VocalPitch voicePitch;
    private final float vocalCombDepth;
    private final float vocalCombOnsetDepth;
    private final float vocalGate;
    private final int panPower;
    private final float repeatShare;

    SourceMasks(int sampleRate, Tuning t) {
        for (int k = 0; k < BINS; k++) {
            double f = k * (double) sampleRate / N;
            double b = fall(f, t.bassFullHz(), t.bassNoneHz());
            tonal[k] = (float) fall(f, t.cymbalFromHz(), t.cymbalFullHz());
            bass[k] = (float) b;
            voice[k] = (float) ((1 - b) * (1 - fall(f, t.voiceLowHz(), t.voiceInHz()))
                    * fall(f, t.voiceOutFromHz(), t.voiceOutHz()));
            combBand[k] = (float) ((1 - b) * fall(f, t.bassCombFullHz(), t.bassCombNoneHz()));
            double low = fall(f, t.shortHpSplitHz(), 1.5 * t.shortHpSplitHz());
            // Above cymbalFullHz nothing is sustained, so the short STFT is not computed there.
            shortWeight[k] = f > t.cymbalFullHz() ? 0f
                    : (float) (low * t.shortHpLowWeight() + (1 - low) * t.shortHpWeight());
        }
        shortHpMode = t.shortHpMode();
        kickShare = t.kickShare();
        kickDecayFrames = t.kickDecayFrames();
        kickSpread = t.kickSpread();
        kickBins = Math.min(BINS, (int) Math.ceil(t.bassNoneHz() * N / sampleRate));
        kickFromBin = Math.max(1, (int) Math.floor(30.0 * N / sampleRate));
        combDepth = t.bassCombDepth();
        combGain = t.bassCombGain();
        pitch = t.usesBassPitch() ? new BassPitch(sampleRate, t.bassCombNoneHz()) : null;
        hpPower = t.hpPower();
        drumCentrePower = t.drumCentrePower();
        maskWhole = (int) Math.floor(t.maskPower());
        maskHalf = t.maskPower() != maskWhole;
        vocalOnsetShare = t.vocalOnsetShare();
        otherWeight = t.otherWeight();
        centrePower = t.centrePower();
        bassCentrePower = t.bassCentrePower();
        panOtherShare = t.panOtherShare();
        panPower = t.panPower();
        repeatShare = t.repeatShare();
        vocalCombDepth = t.vocalCombDepth();
        vocalCombOnsetDepth = t.vocalCombOnsetDepth();
        vocalGate = t.vocalGate();
        voicePitch = t.usesVoicePitch() ? new VocalPitch(sampleRate, t.vocalCombMaxHz()) : null;
    }

    /**
     * How much of a bin's voice-band share the repeating model leaves: only bins that the similar
     * frames explain almost wholly lose much ({@code W⁸}; W itself takes sung partials that merely
     * share a bin with a chord).
     */
    private float repeatKeep(float w) {
        return 1f - repeatShare * power(w, RepeatingModel.SHARPNESS);
    }

    private float sharpen(float x) {
        float y = power(x, maskWhole);
        return maskHalf ? y * (float) Math.sqrt(x) : y;
    }

    /** {@code x^e} for a small integer exponent, by squaring (no Math.pow per bin). */
    static float power(float x, int e) {
        float r = 1f;
        while (e > 0) {
            if ((e & 1) != 0) {
                r *= x;
            }
            x *= x;
            e >>= 1;
        }
        return r;
    }

    /** 1 below lo, 0 above hi, a raised-cosine step in between. */
    static double fall(double f, double lo, double hi) {
        if (f <= lo) {
            return 1;
        }
        if (f >= hi) {
            return 0;
        }
        return 0.5 + 0.5 * Math.cos(Math.PI * (f - lo) / (hi - lo));
    }

    /** Channel-averaged magnitude {@code (|L| + |R|) / 2} of packed spectra into {@code mag}. */
    static void magnitude(float[] left, float[] right, int frames, float[] mag) {
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            mag[m] = 0.5f * (Math.abs(left[row]) + Math.abs(right[row]));
            mag[m + BINS - 1] = 0.5f * (Math.abs(left[row + 1]) + Math.abs(right[row + 1]));
            for (int k = 1, i = row + 2; k < BINS - 1; k++, i += 2) {
                float lr = left[i];
                float li = left[i + 1];
                float rr = right[i];
                float ri = right[i + 1];
                mag[m + k] = 0.5f * ((float) Math.sqrt(lr * lr + li * li) + (float) Math.sqrt(rr * rr + ri * ri));
            }
        }
    }

    /**
     * Computes the masks in place: reads the harmonic and percussive medians and writes the drums
     * mask over {@code harmonicToDrums}, the bass mask over {@code percussiveToBass} and the vocals
     * mask into {@code vocals}. With the bass pitch in use, {@code f0} and {@code confidence} are
     * its per-frame track and {@code comb} is scratch for {@link BassPitch#combBins} floats;
     * {@code centred} and {@code voiceComb} are scratch for {@code BINS} floats each.
     * {@code shortTransient} is the short STFT's transient fraction per bin ({@link ShortHpss}),
     * null when it is not used.
     */
    void compute(float[] left, float[] right, int frames, float[] harmonicToDrums, float[] percussiveToBass,
            float[] vocals, float[] f0, float[] confidence, float[] comb, float[] centred, float[] voiceComb,
            float[] shortTransient, float[] kick, float[] repeating, int repeatBins) {
        if (kickShare > 0f) {
            kickStrength(vocals, frames, kick);
        }
        int combBins = pitch == null ? 0 : pitch.combBins;
        int voiceBins = voicePitch == null ? 0 : voicePitch.combBins;
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            float conf = 0f;
            float kickHere = kickShare > 0f ? kickShare * kick[f] : 0f;
            if (pitch != null) {
                pitch.comb(f0[f], comb);
                conf = confidence[f];
            }
            // Off the voice comb, a confident frame gives vocals less of its sustained (and, with
            // vocalCombOnsetDepth, transient) energy; a frame without a clear voice pitch, with the
            // gate, less of everything sustained.
            float offSustained = 0f;
            float offOnset = 0f;
            float gate = 1f;
            if (voicePitch != null) {
                centred[0] = 0f;
                for (int k = 1, i = row + 2; k < voiceBins; k++, i += 2) {
                    centred[k] = harmonicToDrums[m + k]
                            * power(similarity(left[i], left[i + 1], right[i], right[i + 1]), centrePower);
                }
                float voiceConf = voicePitch.track(centred, voiceComb);
                offSustained = vocalCombDepth * voiceConf;
                offOnset = vocalCombOnsetDepth * voiceConf;
                gate = vocalGate > 0f ? Math.min(1f, voiceConf / vocalGate) : 1f;
            }
            // DC and Nyquist are real: use their products directly.
            int rep = f * repeatBins;
            maskBin(m, 0, left[row], 0f, right[row], 0f, harmonicToDrums, percussiveToBass, vocals, shortTransient, kickHere,
                    combBins > 0 ? conf * comb[0] : 0f, conf, gate * (1f - offSustained), 1f - offOnset,
                    repeatBins > 0 ? repeatKeep(repeating[rep]) : 1f);
            for (int k = 1, i = row + 2; k < BINS - 1; k++, i += 2) {
                float off = k < voiceBins ? 1f - voiceComb[k] : 0f;
                maskBin(m + k, k, left[i], left[i + 1], right[i], right[i + 1], harmonicToDrums,
                        percussiveToBass, vocals, shortTransient, kickHere, k < combBins ? conf * comb[k] : 0f, conf,
                        gate * (1f - offSustained * off), 1f - offOnset * off,
                        k < repeatBins ? repeatKeep(repeating[rep + k]) : 1f);
            }
            maskBin(m + BINS - 1, BINS - 1, left[row + 1], 0f, right[row + 1], 0f, harmonicToDrums,
                    percussiveToBass, vocals, shortTransient, 0f, 0f, conf, gate, 1f, 1f);
        }
    }

    /**
     * Per frame, how much it looks like the burst of a kick drum in the low band (30 Hz to the
     * bass crossover): the band's magnitude sum E rises from 3 frames before (attack) and has
     * fallen {@code kickDecayFrames} later (decay), {@code (1 − E(f−3)/E(f))·(1 − E(f+d)/E(f))},
     * clamped at 0; a bass note that starts and holds has no decay, one that fades slowly no
     * attack. The frame before and {@code kickSpread} after the burst's frame get its strength
     * too (the 93 ms window smears the onset, the drum rings on).
     */
    private void kickStrength(float[] magnitude, int frames, float[] kick) {
        for (int f = 0; f < frames; f++) {
            kick[f] = 0f;
        }
        for (int f = 0; f < frames; f++) {
            float e = lowSum(magnitude, f);
            float before = lowSum(magnitude, Math.max(0, f - 3));
            float after = lowSum(magnitude, Math.min(frames - 1, f + kickDecayFrames));
            if (e <= TINY) {
                continue;
            }
            float attack = Math.max(0f, 1f - before / e);
            float decay = Math.max(0f, 1f - after / e);
            float s = attack * decay;
            for (int g = Math.max(0, f - 1); g <= Math.min(frames - 1, f + kickSpread); g++) {
                kick[g] = Math.max(kick[g], s);
            }
        }
    }

    private float lowSum(float[] magnitude, int f) {
        float e = 0f;
        for (int k = kickFromBin, m = f * BINS; k < kickBins; k++) {
            e += magnitude[m + k];
        }
        return e;
    }

    /** Inter-channel similarity {@code max(0, 2 Re(L R*) / (|L|^2 + |R|^2))} of one bin. */
    private static float similarity(float lr, float li, float rr, float ri) {
        float c = 2f * (lr * rr + li * ri) / (lr * lr + li * li + rr * rr + ri * ri + TINY);
        return c > 0f ? c : 0f;
    }

    /**
     * {@code onComb}: confidence times the comb weight of bin k; {@code conf}: the confidence;
     * {@code voiceKeep} and {@code onsetKeep}: the shares of the bin's vocal sustained and transient
     * energy the voice comb leaves to vocals; {@code repeatKeep}: how much of the voice band's
     * share the repeating model leaves (a repeating bin's onset goes back to drums, its sustained
     * part to other).
     */
    private void maskBin(int i, int k, float lr, float li, float rr, float ri, float[] harmonicToDrums,
            float[] percussiveToBass, float[] vocals, float[] shortTransient, float kick, float onComb, float conf,
            float voiceKeep, float onsetKeep, float repeatKeep) {
        float h = harmonicToDrums[i];
        float p = percussiveToBass[i];
        float h2 = power(h, hpPower);
        float p2 = power(p, hpPower);
        float hp = h2 + p2;
        // Wiener-style split of the bin between sustained (harmonic) and transient (percussive).
        float sustained = hp > TINY ? h2 / hp : 0.5f;
        if (shortTransient != null && shortWeight[k] > 0f) {
            // The short frames' verdict on the same bin, where it is trusted.
            float move = 1f - shortTransient[i] - sustained;
            if (shortHpMode == 0 || (shortHpMode == 1 ? move < 0f : move > 0f)) {
                sustained += shortWeight[k] * move;
            }
        }
        sustained *= tonal[k];
        float percussive = 1f - sustained;
        // Centre-panning cue: 2 Re(L R*) / (|L|^2 + |R|^2), 1 only when L and R agree; a high
        // power keeps bins where a centred source clearly dominates.
        float pl = lr * lr + li * li;
        float pr = rr * rr + ri * ri;
        float c = 2f * (lr * rr + li * ri) / (pl + pr + TINY);
        float similarity = c > 0f ? c : 0f;
        float centre = power(similarity, centrePower);
        float bassWeight = bass[k];
        if (bassCentrePower > 0 && bassWeight > 0f) {
            bassWeight *= power(similarity, bassCentrePower);
        }
        float vocalShare = voice[k] * centre * repeatKeep;
        float onsetShare = vocalOnsetShare * onsetKeep;
        float d = percussive * (1f - onsetShare * vocalShare);
        if (drumCentrePower > 0) {
            d *= power(similarity, drumCentrePower);
        }
        if (pitch != null) {
            // Off the tracked partials, confidently tracked frames give less to bass; on them, bass
            // reaches above the crossover.
            bassWeight = bassWeight * (1f - combDepth * (conf - onComb)) + combGain * onComb * combBand[k];
        }
        float b = sustained * bassWeight;
        if (kick > 0f && k < kickBins) {
            // A kick's burst: its low band's sustained-looking energy goes to drums.
            float x = kick * b;
            b -= x;
            d += x;
        }
        if (panOtherShare > 0f) {
            float imbalance = Math.abs(pl - pr) / (pl + pr + TINY);
            float keep = 1f - panOtherShare * power(imbalance, panPower);
            d *= keep;
            b *= keep;
        }
        float v = (sustained * voiceKeep + onsetShare * percussive) * vocalShare;
        float o = 1f - d - b - v;
        if (o < 0f) {
            o = 0f;
        }
        o *= otherWeight;
        if (maskWhole != 1 || maskHalf) {
            d = sharpen(d);
            b = sharpen(b);
            v = sharpen(v);
            o = sharpen(o);
        }
        float norm = 1f / (d + b + v + o + TINY);
        harmonicToDrums[i] = d * norm;
        percussiveToBass[i] = b * norm;
        vocals[i] = v * norm;
    }
}
