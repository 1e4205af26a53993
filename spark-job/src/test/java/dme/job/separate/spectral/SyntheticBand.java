package dme.job.separate.spectral;

import dme.core.audio.PcmFormat;
import java.util.Random;

/**
 * A short synthetic "band" with known sources, made the way the cues of {@link SpectralSeparator}
 * expect real music to be: drums are short broadband hits (kick, snare, hi-hat) panned slightly;
 * bass is a centred low saw line; the voice is a centred harmonic line (200–440 Hz fundamentals,
 * partials to 3 kHz under formant peaks) with vibrato; other is a sustained chord pad whose notes
 * are panned wide and detuned between the channels (a stereo chorus). Stems are {@code [2][n]} in
 * {@link dme.core.Stem} order; the mixture is their sum.
 */
final class SyntheticBand {
    static final int DRUMS = 0;
    static final int BASS = 1;
    static final int OTHER = 2;
    static final int VOCALS = 3;

    /**
     * Per-stem SDR (dB: drums, bass, other, vocals) on {@code make(10, 42)}, per stem the highest any
     * default tuning gave, rounded down (v6, the default: 8.04, 5.35, 6.44, 8.27; v5 7.99, 5.34, 6.18, 7.59; v4
     * 6.63, 4.53, 6.16, 7.60; v3 6.04, 4.76, 6.40, 7.55; docs/QUALITY.md): the floors are never
     * lowered. A change that costs a stem more than the margin fails SpectralSeparatorTest, and the
     * cross-validation's search never moves further under them.
     */
    static final double[] RECORDED_DB = {8.04, 5.35, 6.43, 8.27};
    static final double REGRESSION_MARGIN_DB = 0.3;

    /** The lowest SDR stem s may have on {@code make(10, 42)}. */
    static double floor(int s) {
        return floor(RECORDED_DB, s);
    }

    /** The same floor under other recorded figures (a cross-validation run that names its own). */
    static double floor(double[] recorded, int s) {
        return recorded[s] - REGRESSION_MARGIN_DB;
    }

    final float[][][] stems;
    final float[][] mixture;

    private SyntheticBand(float[][][] stems) {
        this.stems = stems;
        int n = stems[0][0].length;
        mixture = new float[2][n];
        for (float[][] stem : stems) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < n; i++) {
                    mixture[c][i] += stem[c][i];
                }
            }
        }
    }

    static SyntheticBand make(double seconds, long seed) {
        int n = (int) Math.round(seconds * PcmFormat.SAMPLE_RATE);
        Random rnd = new Random(seed);
        float[][][] stems = {drums(n, rnd), bass(n), pad(n), voice(n)};
        // Comparable loudness, as in a mix: every stem at the same RMS.
        for (float[][] stem : stems) {
            scaleTo(stem, 0.08);
        }
        return new SyntheticBand(stems);
    }

    private static float[][] drums(int n, Random rnd) {
        float[][] out = new float[2][n];
        double beat = 0.5;
        double hp = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) PcmFormat.SAMPLE_RATE;
            int b = (int) (t / beat);
            double tb = t - b * beat;
            double noise = rnd.nextGaussian();
            double kickPhase = 2 * Math.PI * (50 * tb + (100 / 25.0) * (1 - Math.exp(-25 * tb)));
            double kick = b % 2 == 0 ? Math.sin(kickPhase) * Math.exp(-tb / 0.12) : 0;
            double snare = b % 2 == 1 ? (0.6 * noise + 0.5 * Math.sin(2 * Math.PI * 190 * tb)) * Math.exp(-tb / 0.08) : 0;
            double th = (t % (beat / 2));
            double hiss = noise - hp; // first difference: a crude high-pass for the hi-hat
            hp = noise;
            double hat = 0.25 * hiss * Math.exp(-th / 0.03);
            double s = kick + snare + hat;
            out[0][i] = (float) (0.55 * s);
            out[1][i] = (float) (0.45 * s);
        }
        return out;
    }

    private static float[][] bass(int n) {
        double[] notes = {41.2, 41.2, 55.0, 49.0, 61.7, 55.0, 73.4, 65.4};
        float[][] out = new float[2][n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) PcmFormat.SAMPLE_RATE;
            int k = (int) (t / 0.5);
            double tn = t - k * 0.5;
            double f0 = notes[k % notes.length];
            phase += f0 / PcmFormat.SAMPLE_RATE;
            double env = Math.min(1, tn / 0.01) * Math.exp(-tn / 1.5) * Math.min(1, (0.5 - tn) / 0.02);
            double s = 0;
            for (int h = 1; h <= 8; h++) {
                s += Math.sin(2 * Math.PI * h * phase) / h;
            }
            out[0][i] = (float) (s * env);
            out[1][i] = (float) (s * env);
        }
        return out;
    }

    private static float[][] voice(int n) {
        double[] notes = {220, 247, 262, 294, 330, 294, 262, 392, 349, 330};
        double[] formants = {500, 1500, 2500};
        float[][] out = new float[2][n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) PcmFormat.SAMPLE_RATE;
            int k = (int) (t / 0.75);
            double tn = t - k * 0.75;
            double vibrato = Math.pow(2, 0.5 / 12 * Math.sin(2 * Math.PI * 5.5 * t) * Math.min(1, tn / 0.2));
            double f0 = notes[k % notes.length] * vibrato;
            phase += f0 / PcmFormat.SAMPLE_RATE;
            // A sung phrase: notes with short breaths between them.
            double env = Math.min(1, tn / 0.04) * Math.min(1, Math.max(0, (0.68 - tn) / 0.04));
            double s = 0;
            for (int h = 1; h * f0 < 3_000; h++) {
                double fh = h * f0;
                double a = 0;
                for (double fm : formants) {
                    double d = (fh - fm) / 250;
                    a += Math.exp(-d * d);
                }
                s += (0.3 + a) / h * Math.sin(2 * Math.PI * h * phase);
            }
            out[0][i] = (float) (s * env);
            out[1][i] = (float) (s * env);
        }
        return out;
    }

    private static float[][] pad(int n) {
        double[][] chords = {{130.8, 196.0, 329.6, 523.3}, {110.0, 220.0, 261.6, 440.0},
            {174.6, 261.6, 349.2, 523.3}, {196.0, 246.9, 392.0, 587.3}};
        float[][] out = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) PcmFormat.SAMPLE_RATE;
            int k = (int) (t / 2.0);
            double tc = t - k * 2.0;
            double env = Math.min(1, tc / 0.15) * Math.min(1, (2.0 - tc) / 0.15);
            double[] chord = chords[k % chords.length];
            double l = 0;
            double r = 0;
            for (int j = 0; j < chord.length; j++) {
                // Wide: alternate notes hard left and right, and detune the right channel.
                double gl = j % 2 == 0 ? 0.95 : 0.3;
                double gr = 1.25 - gl;
                for (int h = 1; h <= 3; h++) {
                    double a = 1.0 / (h * h);
                    l += gl * a * Math.sin(2 * Math.PI * h * chord[j] * t);
                    r += gr * a * Math.sin(2 * Math.PI * h * (chord[j] + 0.7) * t + 1.0);
                }
            }
            out[0][i] = (float) (l * env);
            out[1][i] = (float) (r * env);
        }
        return out;
    }

    private static void scaleTo(float[][] stem, double rms) {
        double sum = 0;
        for (float[] ch : stem) {
            for (float v : ch) {
                sum += v * (double) v;
            }
        }
        double g = rms / Math.sqrt(sum / (2.0 * stem[0].length));
        for (float[] ch : stem) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] = (float) (ch[i] * g);
            }
        }
    }

    /** MUSDB "new SDR" over the whole signal, in dB. */
    static double sdr(float[][] reference, float[][] estimate) {
        return dme.core.audio.TestAudio.sdr(reference, estimate);
    }

    /**
     * SDR of the best trivial estimate, the mixture times the least-squares gain for this stem: it
     * is at least as good as both "identity" (gain 1) and "mixture/4" (gain 1/4).
     */
    static double bestScaledMixtureSdr(float[][] reference, float[][] mixture) {
        double rx = 0;
        double xx = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < mixture[c].length; i++) {
                rx += reference[c][i] * (double) mixture[c][i];
                xx += mixture[c][i] * (double) mixture[c][i];
            }
        }
        float g = (float) (rx / xx);
        float[][] scaled = new float[2][mixture[0].length];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < scaled[c].length; i++) {
                scaled[c][i] = g * mixture[c][i];
            }
        }
        return sdr(reference, scaled);
    }
}
