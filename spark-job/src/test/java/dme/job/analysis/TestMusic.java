package dme.job.analysis;

import java.util.Random;

/** Songs the analysis tests build: a drum kit at a known tempo and chord progressions in a known key. */
final class TestMusic {
    static final int RATE = 44_100;

    private TestMusic() {}

    /**
     * A rock beat: kick on beats 1 and 3, snare on 2 and 4, closed hi-hat on every eighth note,
     * starting at {@code offsetSeconds}. Planar stereo, peaks below 1.
     */
    static float[][] drums(double bpm, double seconds, double offsetSeconds, long seed) {
        int n = (int) (seconds * RATE);
        float[] x = new float[n];
        Random rnd = new Random(seed);
        double beat = 60 / bpm;
        for (int i = 0; offsetSeconds + i * beat / 2 < seconds; i++) {
            int at = (int) Math.round((offsetSeconds + i * beat / 2) * RATE);
            addHat(x, at, rnd);
            if (i % 2 == 0) {
                int beatNo = (i / 2) % 4;
                if (beatNo == 0 || beatNo == 2) {
                    addKick(x, at);
                } else {
                    addSnare(x, at, rnd);
                }
            }
        }
        return new float[][] {x, x.clone()};
    }

    /** True beat times of {@link #drums}. */
    static double[] beatTimes(double bpm, double seconds, double offsetSeconds) {
        int count = (int) Math.floor((seconds - offsetSeconds) / (60 / bpm)) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = offsetSeconds + i * 60 / bpm;
        }
        return t;
    }

    /**
     * The key's cadence I-IV-V-I (minor: i-iv-V-i with the raised leading tone), one chord per bar
     * of four beats, each chord a bass note plus a three-note triad of harmonic tones.
     */
    static float[][] chords(MusicalKey key, double bpm, double seconds) {
        int[][] major = {{0, 4, 7}, {5, 9, 12}, {7, 11, 14}, {0, 4, 7}, {9, 12, 16}, {2, 5, 9}, {7, 11, 14}, {0, 4, 7}};
        int[][] minor = {{0, 3, 7}, {5, 8, 12}, {7, 11, 14}, {0, 3, 7}, {8, 12, 15}, {5, 8, 12}, {7, 11, 14}, {0, 3, 7}};
        int[][] progression = key.minor() ? minor : major;
        int n = (int) (seconds * RATE);
        float[] x = new float[n];
        int bar = (int) Math.round(4 * 60 / bpm * RATE);
        // Tonic between E3 and D#4 (MIDI 52..63).
        int root = 48 + key.tonic() + (key.tonic() < 4 ? 12 : 0);
        for (int start = 0, c = 0; start < n; start += bar, c++) {
            int[] chord = progression[c % progression.length];
            int len = Math.min(bar, n - start);
            addNote(x, start, len, root + chord[0] - 12, 0.12);
            for (int interval : chord) {
                addNote(x, start, len, root + interval, 0.08);
            }
        }
        return new float[][] {x, x.clone()};
    }

    static float[][] mix(float[][] a, float[][] b) {
        int n = Math.min(a[0].length, b[0].length);
        float[][] out = new float[2][n];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                out[c][i] = a[c][i] + b[c][i];
            }
        }
        return out;
    }

    /** A note with four decaying partials, a soft attack and release so it starts no onset of its own. */
    private static void addNote(float[] x, int start, int len, int midi, double amplitude) {
        double f = 440 * Math.pow(2, (midi - 69) / 12.0);
        int ramp = Math.min(len / 4, RATE / 50);
        for (int i = 0; i < len; i++) {
            double env = Math.min(1, Math.min(i, len - 1 - i) / (double) ramp);
            double t = i / (double) RATE;
            double v = 0;
            for (int h = 1; h <= 4; h++) {
                v += Math.sin(2 * Math.PI * f * h * t) / (h * h);
            }
            x[start + i] += (float) (amplitude * env * v);
        }
    }

    private static void addKick(float[] x, int at) {
        int len = RATE / 5;
        for (int i = 0; i < len && at + i < x.length; i++) {
            double t = i / (double) RATE;
            double f = 50 + 100 * Math.exp(-t * 40);
            x[at + i] += (float) (0.5 * Math.exp(-t * 18) * Math.sin(2 * Math.PI * f * t));
        }
    }

    private static void addSnare(float[] x, int at, Random rnd) {
        int len = RATE / 6;
        for (int i = 0; i < len && at + i < x.length; i++) {
            double t = i / (double) RATE;
            x[at + i] += (float) (0.25 * Math.exp(-t * 25) * (rnd.nextGaussian() * 0.7 + Math.sin(2 * Math.PI * 190 * t)));
        }
    }

    private static void addHat(float[] x, int at, Random rnd) {
        int len = RATE / 20;
        double prev = 0;
        for (int i = 0; i < len && at + i < x.length; i++) {
            double t = i / (double) RATE;
            double noise = rnd.nextGaussian();
            // First difference: a crude high-pass, the hat's hiss sits high.
            x[at + i] += (float) (0.06 * Math.exp(-t * 80) * (noise - prev));
            prev = noise;
        }
    }
}
