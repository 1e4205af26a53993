package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

/**
 * Turns the stereo spectra and their harmonic and percussive medians into soft masks for drums,
 * bass and vocals (other is what remains, so the four masks sum to one in every bin). See
 * {@link SpectralSeparator} for the reasoning behind each cue; the constants were tuned on the
 * development set and are deliberately few and smooth.
 *
 * <p>The per-bin tables are read-only after construction, so one instance serves all threads.
 */
final class SourceMasks {
    /** Above this band, sustained energy is mostly cymbal and hi-hat decay, not partials. */
    static final double CYMBAL_FROM_HZ = 3_000;
    static final double CYMBAL_FULL_HZ = 10_000;
    /** Harmonic energy below the crossover is bass. */
    static final double BASS_FULL_HZ = 100;
    static final double BASS_NONE_HZ = 200;
    /** Voice band: rises 80–150 Hz, falls gently 1–10 kHz (the formant region is 0.2–4 kHz). */
    static final double VOICE_LOW_HZ = 80;
    static final double VOICE_IN_HZ = 150;
    static final double VOICE_OUT_FROM_HZ = 1_000;
    static final double VOICE_OUT_HZ = 10_000;
    /** Share of centred voice-band percussive energy (consonants, note onsets) given to vocals. */
    static final float VOCAL_ONSET_SHARE = 0.3f;
    /**
     * Prior weight of "other" against the three named stems when the masks are renormalised: the
     * named stems' cues are uncertain, so doubtful energy leans towards the remainder.
     */
    static final float OTHER_WEIGHT = 1.3f;
    private static final float TINY = 1e-30f;

    /** 1 − cymbal prior: how much of a bin's sustained energy can be tonal. */
    private final float[] tonal = new float[BINS];
    private final float[] bass = new float[BINS];
    /** Voice-band weight, zero where bass takes the harmonic energy. */
    private final float[] voice = new float[BINS];

    SourceMasks(int sampleRate) {
        for (int k = 0; k < BINS; k++) {
            double f = k * (double) sampleRate / N;
            double b = fall(f, BASS_FULL_HZ, BASS_NONE_HZ);
            tonal[k] = (float) fall(f, CYMBAL_FROM_HZ, CYMBAL_FULL_HZ);
            bass[k] = (float) b;
            voice[k] = (float) ((1 - b) * (1 - fall(f, VOICE_LOW_HZ, VOICE_IN_HZ))
                    * fall(f, VOICE_OUT_FROM_HZ, VOICE_OUT_HZ));
        }
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
     * mask into {@code vocals}.
     */
    void compute(float[] left, float[] right, int frames, float[] harmonicToDrums, float[] percussiveToBass,
            float[] vocals) {
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            // DC and Nyquist are real: use their products directly.
            maskBin(m, 0, left[row], 0f, right[row], 0f, harmonicToDrums, percussiveToBass, vocals);
            for (int k = 1, i = row + 2; k < BINS - 1; k++, i += 2) {
                maskBin(m + k, k, left[i], left[i + 1], right[i], right[i + 1], harmonicToDrums,
                        percussiveToBass, vocals);
            }
            maskBin(m + BINS - 1, BINS - 1, left[row + 1], 0f, right[row + 1], 0f, harmonicToDrums,
                    percussiveToBass, vocals);
        }
    }

    private void maskBin(int i, int k, float lr, float li, float rr, float ri, float[] harmonicToDrums,
            float[] percussiveToBass, float[] vocals) {
        float h = harmonicToDrums[i];
        float p = percussiveToBass[i];
        float h2 = h * h;
        float p2 = p * p;
        float hp = h2 + p2;
        // Wiener-style split of the bin between sustained (harmonic) and transient (percussive).
        float sustained = (hp > TINY ? h2 / hp : 0.5f) * tonal[k];
        float percussive = 1f - sustained;
        // Centre-panning cue: 2 Re(L R*) / (|L|^2 + |R|^2), 1 only when L and R agree; the 16th
        // power keeps bins where a centred source clearly dominates.
        float pl = lr * lr + li * li;
        float pr = rr * rr + ri * ri;
        float c = 2f * (lr * rr + li * ri) / (pl + pr + TINY);
        float centre = c > 0f ? c : 0f;
        centre *= centre;
        centre *= centre;
        centre *= centre;
        centre *= centre;
        float bassWeight = bass[k];
        float vocalShare = voice[k] * centre;
        float d = percussive * (1f - VOCAL_ONSET_SHARE * vocalShare);
        float b = sustained * bassWeight;
        float v = (sustained + VOCAL_ONSET_SHARE * percussive) * vocalShare;
        float o = 1f - d - b - v;
        if (o < 0f) {
            o = 0f;
        }
        float norm = 1f / (d + b + v + OTHER_WEIGHT * o);
        harmonicToDrums[i] = d * norm;
        percussiveToBass[i] = b * norm;
        vocals[i] = v * norm;
    }
}
