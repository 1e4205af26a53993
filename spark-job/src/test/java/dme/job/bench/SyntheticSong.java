package dme.job.bench;

/**
 * A deterministic synthetic song whose four sources are kept apart, so a separator's stems can be
 * scored against the truth: drums (kick, snare, hi-hat), bass (a low three-harmonic line), vocals (a
 * centred vibrato voice with syllables) and other (a wide stereo pad and a panned arpeggio), 120 BPM
 * over a four-chord loop. Every sample is a function of its absolute position, so any stretch of any
 * length can be rendered on its own (a 20-minute file is written block by block).
 */
final class SyntheticSong {
    static final int RATE = 44_100;
    private static final int TABLE = 1 << 12;
    private static final float[] SINE = new float[TABLE + 1];
    /** Chord roots in semitones above A (A, F, C, G). */
    private static final int[] ROOTS = {0, -4, 3, -2};
    /** Voice melody, semitones above the chord root, one note per beat. */
    private static final int[] MELODY = {12, 16, 19, 16, 14, 12, 7, 9, 12, 14, 16, 19, 21, 19, 16, 14};

    static {
        for (int i = 0; i <= TABLE; i++) {
            SINE[i] = (float) Math.sin(2 * Math.PI * i / TABLE);
        }
    }

    private final long seed;
    private final int transpose;

    SyntheticSong(long seed) {
        this.seed = seed;
        this.transpose = (int) Math.floorMod(seed * 5, 7L) - 3;
    }

    /** Sources {@code [stem][channel][n]} in dme.core.Stem order (drums, bass, other, vocals) from frame {@code start}. */
    float[][][] render(long start, int n) {
        float[][][] s = new float[4][2][n];
        for (int i = 0; i < n; i++) {
            long idx = start + i;
            double t = idx / (double) RATE;
            double beatT = t * 2; // 120 BPM
            int beat = (int) beatT;
            double inBeat = (beatT - beat) * 0.5; // seconds since the beat
            int bar = beat / 4;
            double root = 110 * Math.pow(2, (ROOTS[Math.floorMod(bar, 4)] + transpose) / 12.0);
            // drums
            double kick = (beat % 2 == 0) ? 0.55 * env(inBeat, 18) * sin(t * (45 + 90 * env(inBeat, 35))) : 0;
            double snare = (beat % 2 == 1) ? env(inBeat, 28) * (0.22 * noise(idx, 1) + 0.12 * sin(t * 185)) : 0;
            double eighth = (t * 4) % 1.0 * 0.25;
            double hat = 0.07 * env(eighth, 90) * (noise(idx, 2) - noise(idx - 1, 2));
            s[0][0][i] = (float) (kick + snare + 1.2 * hat);
            s[0][1][i] = (float) (kick + 0.9 * snare + 0.7 * hat);
            // bass: a note per half bar, root then fifth
            double bf = root / 2 * (((beat / 2) % 2 == 0) ? 1 : 1.5);
            double half = (beatT % 2) * 0.5;
            double bEnv = Math.min(1, half * 200) * (0.6 + 0.4 * env(half, 3));
            double bass = 0.2 * bEnv * (sin(t * bf) + 0.5 * sin(2 * t * bf) + 0.3 * sin(3 * t * bf));
            s[1][0][i] = (float) bass;
            s[1][1][i] = (float) bass;
            // vocals: centred, a syllable per beat with a short gap, rests in every fourth bar
            double vocal = 0;
            if (bar % 4 != 3 && inBeat < 0.42) {
                double f0 = root * 2 * Math.pow(2, MELODY[(beat + (int) seed) % MELODY.length] / 12.0)
                        * (1 + 0.012 * sin(5.5 * t));
                double syl = Math.min(1, inBeat * 60) * Math.min(1, (0.42 - inBeat) * 40);
                double v = 0;
                double[] formant = {1, 0.7, 0.45, 0.5, 0.3, 0.15, 0.1, 0.05};
                for (int h = 0; h < formant.length; h++) {
                    v += formant[h] * sin((h + 1) * f0 * t);
                }
                vocal = 0.075 * syl * v;
            }
            s[3][0][i] = (float) vocal;
            s[3][1][i] = (float) vocal;
            // other: a wide pad (the chord, detuned apart in the two channels) and a right-panned arpeggio
            double padL = 0;
            double padR = 0;
            for (double ratio : new double[] {2, 2.5198, 2.9966}) {
                padL += sin(t * root * ratio * 1.003);
                padR += sin(t * root * ratio * 0.997 + 0.25);
            }
            double sixteenth = (t * 8) % 1.0 / 8;
            int step = (int) (t * 8);
            double arpF = root * 4 * new double[] {1, 1.2599, 1.4983, 2}[step % 4];
            double arp = 0.06 * env(sixteenth, 22) * (sin(t * arpF) + 0.3 * sin(2 * t * arpF));
            s[2][0][i] = (float) (0.03 * padL + 0.3 * arp);
            s[2][1][i] = (float) (0.03 * padR + arp);
        }
        return s;
    }

    /** The mixture of rendered sources. */
    static float[][] mix(float[][][] sources) {
        int n = sources[0][0].length;
        float[][] m = new float[2][n];
        for (float[][] src : sources) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < n; i++) {
                    m[c][i] += src[c][i];
                }
            }
        }
        return m;
    }

    float[][] mix(long start, int n) {
        return mix(render(start, n));
    }

    private static double env(double seconds, double rate) {
        return Math.exp(-seconds * rate);
    }

    /** sin(2π·cycles) from a table (the benchmark needs speed and determinism, not precision). */
    private static double sin(double cycles) {
        double p = (cycles - Math.floor(cycles)) * TABLE;
        int i = (int) p;
        double frac = p - i;
        return SINE[i] + (SINE[i + 1] - SINE[i]) * frac;
    }

    /** White noise in [-1, 1) as a hash of the position (splitmix64), so blocks render independently. */
    private double noise(long idx, int stream) {
        long z = idx * 0x9E3779B97F4A7C15L + seed * 0xBF58476D1CE4E5B9L + stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-52 - 1.0;
    }
}
