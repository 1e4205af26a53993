package dme.job.separate.spectral;

/**
 * Running medians over a frames × bins magnitude array (row-major, one row per frame). Windows are
 * short (17), so an insertion sort of the window per output is fast and allocation-free.
 */
final class MedianFilter {
    private MedianFilter() {}

    /** Median across time for each bin; windows are clipped at the edges. */
    static void alongTime(float[] x, int frames, int bins, int width, float[] out, float[] scratch) {
        int half = width / 2;
        for (int k = 0; k < bins; k++) {
            for (int f = 0; f < frames; f++) {
                int lo = Math.max(0, f - half);
                int hi = Math.min(frames - 1, f + half);
                int m = 0;
                for (int j = lo; j <= hi; j++) {
                    m = insert(scratch, m, x[j * bins + k]);
                }
                out[f * bins + k] = scratch[m / 2];
            }
        }
    }

    /** Median across frequency within each frame. */
    static void alongFrequency(float[] x, int frames, int bins, int width, float[] out, float[] scratch) {
        int half = width / 2;
        for (int f = 0; f < frames; f++) {
            int base = f * bins;
            for (int k = 0; k < bins; k++) {
                int lo = Math.max(0, k - half);
                int hi = Math.min(bins - 1, k + half);
                int m = 0;
                for (int j = lo; j <= hi; j++) {
                    m = insert(scratch, m, x[base + j]);
                }
                out[base + k] = scratch[m / 2];
            }
        }
    }

    /** Inserts v into the sorted prefix a[0..m); returns the new length. */
    private static int insert(float[] a, int m, float v) {
        int i = m - 1;
        while (i >= 0 && a[i] > v) {
            a[i + 1] = a[i];
            i--;
        }
        a[i + 1] = v;
        return m + 1;
    }
}
