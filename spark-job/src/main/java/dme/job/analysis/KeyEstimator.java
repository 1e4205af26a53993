package dme.job.analysis;

/**
 * Key from a chroma vector: the major or minor key whose profile, rotated to each tonic, correlates
 * best with it (Krumhansl-Schmuckler). Profiles: Krumhansl and Kessler's probe-tone ratings, or
 * Temperley's corpus-derived (Kostka-Payne) ones, the default: on the devset it confused the key
 * with its dominant less often (docs/ANALYSIS.md).
 */
final class KeyEstimator {
    enum Profile {
        KRUMHANSL(
                new double[] {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88},
                new double[] {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}),
        TEMPERLEY(
                new double[] {0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400},
                new double[] {0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330});

        private final double[] major;
        private final double[] minor;

        Profile(double[] major, double[] minor) {
            this.major = major;
            this.minor = minor;
        }
    }

    /** The best key and its correlation (-1..1). */
    record Estimate(MusicalKey key, double correlation) {}

    private KeyEstimator() {}

    /** {@code null} when the chroma is flat (silence, noise or drums only). */
    static Estimate estimate(double[] chroma, Profile profile) {
        Estimate best = null;
        for (int mode = 0; mode < 2; mode++) {
            double[] p = mode == 0 ? profile.major : profile.minor;
            for (int tonic = 0; tonic < 12; tonic++) {
                double r = correlation(chroma, p, tonic);
                if (!Double.isNaN(r) && (best == null || r > best.correlation())) {
                    best = new Estimate(new MusicalKey(tonic, mode == 1), r);
                }
            }
        }
        return best;
    }

    /** Pearson correlation of {@code chroma[(tonic + i) % 12]} with {@code profile[i]}. */
    private static double correlation(double[] chroma, double[] profile, int tonic) {
        double mc = 0;
        double mp = 0;
        for (int i = 0; i < 12; i++) {
            mc += chroma[i];
            mp += profile[i];
        }
        mc /= 12;
        mp /= 12;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < 12; i++) {
            double x = chroma[(tonic + i) % 12] - mc;
            double y = profile[i] - mp;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }
        return sxx > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }
}
