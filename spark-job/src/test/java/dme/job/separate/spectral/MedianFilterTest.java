package dme.job.separate.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MedianFilterTest {

    @Test
    void runningMediansEqualSortingEveryWindow() {
        Random rnd = new Random(3);
        int[][] shapes = {{1, 1}, {1, 40}, {40, 1}, {5, 30}, {30, 5}, {64, 100}};
        for (int[] shape : shapes) {
            int frames = shape[0];
            int bins = shape[1];
            float[] x = new float[frames * bins];
            for (int i = 0; i < x.length; i++) {
                // Few distinct values, so windows hold duplicates.
                x[i] = rnd.nextInt(8) * 0.25f;
            }
            for (int width : new int[] {1, 3, 17}) {
                float[] time = new float[x.length];
                float[] freq = new float[x.length];
                MedianFilter.alongTime(x, frames, bins, width, time, new float[bins * width]);
                MedianFilter.alongFrequency(x, frames, bins, width, freq, new float[width]);
                String where = frames + "x" + bins + " width " + width;
                assertArrayEquals(bruteForce(x, frames, bins, width, true), time, "time " + where);
                assertArrayEquals(bruteForce(x, frames, bins, width, false), freq, "frequency " + where);
                // the low bins alone: the same values there, nothing written above
                int low = Math.max(1, bins / 3);
                float[] lowTime = new float[x.length];
                float[] lowFreq = new float[x.length];
                MedianFilter.alongTime(x, frames, bins, low, width, lowTime, new float[bins * width]);
                MedianFilter.alongFrequency(x, frames, bins, low, width, lowFreq, new float[width]);
                assertArrayEquals(lowBins(time, bins, low), lowTime, "time, low bins " + where);
                assertArrayEquals(lowBins(freq, bins, low), lowFreq, "frequency, low bins " + where);
            }
        }
    }

    /** {@code full} with every bin from {@code low} up set to 0. */
    private static float[] lowBins(float[] full, int bins, int low) {
        float[] out = full.clone();
        for (int i = 0; i < out.length; i++) {
            if (i % bins >= low) {
                out[i] = 0;
            }
        }
        return out;
    }

    /** Sorts every window, with the edge rows or bins repeated beyond the edges. */
    private static float[] bruteForce(float[] x, int frames, int bins, int width, boolean alongTime) {
        float[] out = new float[x.length];
        float[] w = new float[width];
        int half = width / 2;
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < bins; k++) {
                for (int j = -half; j <= half; j++) {
                    int ff = alongTime ? Math.min(frames - 1, Math.max(0, f + j)) : f;
                    int kk = alongTime ? k : Math.min(bins - 1, Math.max(0, k + j));
                    w[j + half] = x[ff * bins + kk];
                }
                Arrays.sort(w);
                out[f * bins + k] = w[half];
            }
        }
        return out;
    }
}
