package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.HOP;
import static dme.job.separate.spectral.Stft.N;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import java.util.Arrays;
import java.util.Random;
import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;

/**
 * The repeating model on audio made by the test: a 1.5 s bar (two chords, a click every 0.375 s, a
 * 660 Hz note in each bar's first half) played over and over, and a 1 kHz note heard once. Longer
 * than the 10 s similarity band, so frames near the end find their neighbours only behind them.
 */
class RepeatingModelTest {
    private static final int RATE = PcmFormat.SAMPLE_RATE;
    private static final double SECONDS = 25;
    private static final double ONCE_FROM = 12.0;
    private static final double ONCE_TO = 12.6;

    private static float[] song() {
        int n = (int) (SECONDS * RATE);
        float[] x = new float[n];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double inBar = t % 1.5;
            boolean first = inBar < 0.75;
            double s = first ? tone(110, t) + tone(165, t) : tone(147, t) + tone(220, t);
            if (first) {
                s += 0.5 * tone(660, t);
            }
            double sinceClick = t % 0.375;
            s += 0.5 * rnd.nextGaussian() * Math.exp(-sinceClick / 0.01);
            if (t >= ONCE_FROM && t < ONCE_TO) {
                s += tone(1000, t);
            }
            x[i] = (float) (0.1 * s);
        }
        return x;
    }

    private static double tone(double hz, double t) {
        return Math.sin(2 * Math.PI * hz * t);
    }

    private static int bin(double hz) {
        return (int) Math.round(hz * N / RATE);
    }

    @Test
    void aNoteHeardOnceIsNotRepeatingWhileTheLoopAroundItIs() {
        float[] x = song();
        int frames = Stft.frames(x.length);
        float[] spec = new float[frames * N];
        new Stft().forward(x, x.length, frames, spec, new FloatFFT_1D(N));
        float[] magnitude = new float[frames * BINS];
        SourceMasks.magnitude(spec, spec, frames, magnitude);
        RepeatingModel model = new RepeatingModel(RATE, 6_000, 8);
        float[] repeating = new float[frames * model.bins];
        model.fraction(magnitude, frames, repeating, new float[frames * model.features],
                new float[frames * (model.maxLag + 1)], new int[model.neighbours], new float[model.neighbours]);

        int onceFrames = 0;
        int loopFrames = 0;
        for (int f = 0; f < frames; f++) {
            int start = f * HOP - (N - HOP);
            int row = f * model.bins;
            boolean insideOnce = start >= ONCE_FROM * RATE && start + N <= ONCE_TO * RATE;
            if (insideOnce) {
                onceFrames++;
                assertTrue(repeating[row + bin(1000)] < 0.2f,
                        "frame " + f + ": the 1 kHz note is heard once: " + repeating[row + bin(1000)]);
                assertTrue(repeating[row + bin(110)] > 0.8f || repeating[row + bin(147)] > 0.8f,
                        "frame " + f + ": the chord under it repeats every bar");
            }
            double t = (start + N / 2.0) / RATE;
            double inBar = t % 1.5;
            boolean wholeFirstHalf = start >= 0 && inBar > 0.1 && inBar < 0.65;
            if (wholeFirstHalf && !insideOnce && f > 0 && f < frames - 1) {
                loopFrames++;
                assertTrue(repeating[row + bin(660)] > 0.8f,
                        "frame " + f + ": the 660 Hz note plays in every bar: " + repeating[row + bin(660)]);
            }
        }
        assertTrue(onceFrames >= 3 && loopFrames > 100, onceFrames + " / " + loopFrames + " frames checked");
    }

    @Test
    void aLowSampleRateReadsNoBinPastTheLast() {
        // At 8 kHz the 5 kHz feature band would lie beyond the Nyquist bin.
        float[] x = song();
        float[][] mixture = {Arrays.copyOf(x, 8000 * 3), Arrays.copyOf(x, 8000 * 3)};
        float[][][] stems = new SpectralSeparator(8000).separate(mixture, SongStats.IDENTITY);
        for (int i = 0; i < mixture[0].length; i += 997) {
            float sum = stems[0][0][i] + stems[1][0][i] + stems[2][0][i] + stems[3][0][i];
            assertTrue(Math.abs(sum - mixture[0][i]) < 1e-4f, "the stems add up to the mixture at " + i);
        }
    }

    @Test
    void needsAtLeastTwoNeighbours() {
        assertThrows(IllegalArgumentException.class, () -> new RepeatingModel(RATE, 6_000, 1));
    }
}
