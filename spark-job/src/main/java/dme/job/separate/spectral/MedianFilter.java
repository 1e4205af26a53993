package dme.job.separate.spectral;

/**
 * Running medians over a frames × bins array (row-major, one row per frame) with edge replication
 * (the first and last row or bin are repeated beyond the edges, so every window is full).
 *
 * <p>Each window is kept sorted; sliding it replaces the value that leaves with the value that
 * enters and moves the new value to its place. Neighbouring spectral values are similar, so the
 * move is usually a few steps: a handful of operations per output instead of sorting 17 values,
 * and no allocation.
 */
public final class MedianFilter {
    private MedianFilter() {}

    /**
     * Median across time (over {@code width} frames, odd) for every bin.
     *
     * @param windows scratch of at least {@code bins * width} floats: one sorted window per bin, so
     *     the pass runs frame by frame over contiguous rows
     */
    public static void alongTime(float[] x, int frames, int bins, int width, float[] out, float[] windows) {
        alongTime(x, frames, bins, bins, width, out, windows);
    }

    /** As above for the first {@code lowBins} bins of each row only (the rest of {@code out} is left alone). */
    public static void alongTime(float[] x, int frames, int bins, int lowBins, int width, float[] out, float[] windows) {
        int half = width / 2;
        for (int k = 0; k < lowBins; k++) {
            int w = k * width;
            for (int t = 0; t < width; t++) {
                windows[w + t] = x[clamp(t - half, frames) * bins + k];
            }
            sort(windows, w, width);
            out[k] = windows[w + half];
        }
        for (int f = 1; f < frames; f++) {
            int leaving = clamp(f - 1 - half, frames) * bins;
            int entering = clamp(f + half, frames) * bins;
            int row = f * bins;
            if (leaving == entering) {
                System.arraycopy(out, row - bins, out, row, lowBins);
                continue;
            }
            for (int k = 0, w = 0; k < lowBins; k++, w += width) {
                replace(windows, w, width, x[leaving + k], x[entering + k]);
                out[row + k] = windows[w + half];
            }
        }
    }

    /**
     * Median across frequency (over {@code width} bins, odd) within every frame.
     *
     * @param window scratch of at least {@code width} floats
     */
    public static void alongFrequency(float[] x, int frames, int bins, int width, float[] out, float[] window) {
        alongFrequency(x, frames, bins, bins, width, out, window);
    }

    /**
     * As above for the first {@code lowBins} bins of each row only, with the same values there: their
     * windows still reach into the bins above (the rest of {@code out} is left alone).
     */
    public static void alongFrequency(float[] x, int frames, int bins, int lowBins, int width, float[] out, float[] window) {
        int half = width / 2;
        for (int f = 0; f < frames; f++) {
            int row = f * bins;
            for (int t = 0; t < width; t++) {
                window[t] = x[row + clamp(t - half, bins)];
            }
            sort(window, 0, width);
            out[row] = window[half];
            for (int k = 1; k < lowBins; k++) {
                int leaving = clamp(k - 1 - half, bins);
                int entering = clamp(k + half, bins);
                if (leaving != entering) {
                    replace(window, 0, width, x[row + leaving], x[row + entering]);
                }
                out[row + k] = window[half];
            }
        }
    }

    private static int clamp(int i, int length) {
        return i < 0 ? 0 : i >= length ? length - 1 : i;
    }

    private static void sort(float[] a, int from, int length) {
        for (int i = from + 1; i < from + length; i++) {
            float v = a[i];
            int j = i - 1;
            while (j >= from && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    /**
     * In the sorted window {@code a[from, from+length)}, replaces one occurrence of {@code old} by
     * {@code v} and restores the order.
     */
    private static void replace(float[] a, int from, int length, float old, float v) {
        // Binary search for the first element >= old (old is in the window, so it is found).
        int lo = from;
        int hi = from + length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < old) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int i = lo;
        int last = from + length - 1;
        if (v > old) {
            while (i < last && a[i + 1] < v) {
                a[i] = a[i + 1];
                i++;
            }
        } else {
            while (i > from && a[i - 1] > v) {
                a[i] = a[i - 1];
                i--;
            }
        }
        a[i] = v;
    }
}
