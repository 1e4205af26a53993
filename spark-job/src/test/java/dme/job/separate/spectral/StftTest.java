package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;

class StftTest {

    @Test
    void unitMaskReconstructsTheInput() {
        Stft stft = new Stft();
        FloatFFT_1D fft = new FloatFFT_1D(N);
        Random rnd = new Random(1);
        for (int n : new int[] {1, 5, 1024, 3000, 4096, 10_000, 44_100}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = 2 * rnd.nextFloat() - 1;
            }
            int frames = Stft.frames(n);
            float[] spec = new float[frames * N];
            stft.forward(x, n, frames, spec, fft);
            float[] ones = new float[frames * BINS];
            Arrays.fill(ones, 1f);
            float[] y = new float[n];
            stft.inverseAdd(spec, ones, frames, y, n, new float[N], fft);
            double max = 0;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, Math.abs(y[i] - x[i]));
            }
            assertEquals(0, max, 1e-5, "n=" + n);
        }
    }

    @Test
    void halfMaskHalvesTheInput() {
        // Linearity in the mask: this is what makes masks that sum to one give stems that sum to the input.
        Stft stft = new Stft();
        FloatFFT_1D fft = new FloatFFT_1D(N);
        int n = 9_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.01);
        }
        int frames = Stft.frames(n);
        float[] spec = new float[frames * N];
        stft.forward(x, n, frames, spec, fft);
        float[] half = new float[frames * BINS];
        Arrays.fill(half, 0.5f);
        float[] y = new float[n];
        stft.inverseAdd(spec, half, frames, y, n, new float[N], fft);
        for (int i = 0; i < n; i++) {
            assertEquals(0.5 * x[i], y[i], 1e-5);
        }
    }
}
