package dme.job.bench;

/**
 * The MUSDB18/MDX "new SDR" the project scores with (shared devset sdr.py):
 * {@code 10 log10((Σ ref² + eps) / (Σ (ref − est)² + eps))} over all samples and channels, eps 1e-7.
 */
final class Sdr {
    private static final double EPS = 1e-7;

    private Sdr() {}

    static double of(float[][] ref, float[][] est) {
        return dme.core.audio.TestAudio.sdr(ref, est);
    }

    /** SDR over the samples where {@code mask} is set (both channels). */
    static double masked(float[][] ref, float[][] est, boolean[] mask) {
        double num = EPS;
        double den = EPS;
        for (int c = 0; c < ref.length; c++) {
            int n = Math.min(Math.min(ref[c].length, est[c].length), mask.length);
            for (int i = 0; i < n; i++) {
                if (mask[i]) {
                    double r = ref[c][i];
                    double d = r - est[c][i];
                    num += r * r;
                    den += d * d;
                }
            }
        }
        return 10 * Math.log10(num / den);
    }

    /** Mean over the four stems of {@link #masked}. */
    static double maskedMean(float[][][] ref, float[][][] est, boolean[] mask) {
        double m = 0;
        for (int s = 0; s < 4; s++) {
            m += masked(ref[s], est[s], mask) / 4;
        }
        return m;
    }

    /** Per-stem SDR of {@code est[stem]} against {@code ref[stem]}, plus their mean at index 4. */
    static double[] stems(float[][][] ref, float[][][] est) {
        double[] out = new double[5];
        for (int s = 0; s < 4; s++) {
            out[s] = of(ref[s], est[s]);
            out[4] += out[s] / 4;
        }
        return out;
    }
}
