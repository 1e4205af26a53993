package dme.job.separate.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.SongStats;
import dme.core.Stem;
import dme.core.audio.PcmFormat;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpectralSeparatorTest {
    /** Each stem must beat the best scaled copy of the mixture by this much (dB). */
    private static final double MARGIN_DB = 2.0;

    private static SyntheticBand band;
    private static SpectralSeparator separator;
    private static float[][][] estimate;

    @BeforeAll
    static void separateTheBand() {
        band = SyntheticBand.make(10, 42);
        separator = new SpectralSeparator();
        estimate = separator.separate(band.mixture, SongStats.IDENTITY);
    }

    @AfterAll
    static void close() {
        separator.close();
    }

    @Test
    void everyStemIsCloserToItsSourceThanAnyScaledMixture() {
        StringBuilder table = new StringBuilder("stem     estimate  mixture  best-scaled-mixture (SDR dB)\n");
        boolean allBetter = true;
        for (Stem stem : Stem.values()) {
            int s = stem.trackId() - 1;
            double est = SyntheticBand.sdr(band.stems[s], estimate[s]);
            double identity = SyntheticBand.sdr(band.stems[s], band.mixture);
            double scaled = SyntheticBand.bestScaledMixtureSdr(band.stems[s], band.mixture);
            table.append(String.format("%-7s %9.2f %8.2f %9.2f%n", stem.id(), est, identity, scaled));
            allBetter &= est > identity + MARGIN_DB && est > scaled + MARGIN_DB;
        }
        System.out.print(table);
        assertTrue(allBetter, "every stem must beat the mixture and the best scaled mixture by "
                + MARGIN_DB + " dB:\n" + table);
    }

    @Test
    void noStemFallsBelowItsRecordedSdr() {
        StringBuilder table = new StringBuilder("stem     estimate  recorded (SDR dB)\n");
        boolean kept = true;
        for (Stem stem : Stem.values()) {
            int s = stem.trackId() - 1;
            double est = SyntheticBand.sdr(band.stems[s], estimate[s]);
            table.append(String.format("%-7s %9.2f %9.2f%n", stem.id(), est, SyntheticBand.RECORDED_DB[s]));
            kept &= est >= SyntheticBand.floor(s);
        }
        System.out.print(table);
        assertTrue(kept, "a stem lost more than " + SyntheticBand.REGRESSION_MARGIN_DB + " dB:\n" + table);
    }

    @Test
    void theRegressionFloorsWouldCatchTheOldTuning() {
        // Guards the check above: the v2 values (no voice comb, no bass comb depth, no short STFT,
        // no narrow low-band frequency median, no repeating model) lose more than the margin on some
        // stem of this band.
        Tuning previous = DevsetCrossValidation.override(Tuning.DEFAULT, "cymbalFullHz=10000,voiceOutHz=10000,"
                + "otherWeight=1.5,bassCombDepth=0,bassCombGain=0.5,vocalCombDepth=0,vocalOnsetShare=0.7,"
                + "voiceInHz=200,shortHpWeight=0,kickShare=0,lowFreqMedian=17,centrePower=16,repeatShare=0");
        float[][][] old = new SpectralSeparator(PcmFormat.SAMPLE_RATE, previous).separate(band.mixture,
                SongStats.IDENTITY);
        StringBuilder table = new StringBuilder();
        boolean someStemLower = false;
        for (int s = 0; s < 4; s++) {
            double sdr = SyntheticBand.sdr(band.stems[s], old[s]);
            table.append(String.format("%d %.2f%n", s, sdr));
            someStemLower |= sdr < SyntheticBand.floor(s);
        }
        assertTrue(someStemLower, table.toString());
    }

    @Test
    void aSeparatorThatReturnsScaledMixturesWouldFailTheSdrCheck() {
        // Guards the check above: mixture/4 for every stem is not "better than the mixture".
        for (int s = 0; s < 4; s++) {
            float[][] quarter = new float[2][];
            for (int c = 0; c < 2; c++) {
                quarter[c] = band.mixture[c].clone();
                for (int i = 0; i < quarter[c].length; i++) {
                    quarter[c][i] *= 0.25f;
                }
            }
            assertTrue(SyntheticBand.sdr(band.stems[s], quarter)
                    < SyntheticBand.bestScaledMixtureSdr(band.stems[s], band.mixture) + MARGIN_DB);
        }
    }

    @Test
    void stemsSumToTheMixture() {
        assertEquals(0, maxSumError(band.mixture, estimate), 1e-4);
        // Full-scale noise: the loudest input a chunk can carry.
        float[][] noise = noise(3 * 44_100 + 17, 5, 1f);
        assertEquals(0, maxSumError(noise, separator.separate(noise, SongStats.IDENTITY)), 1e-4);
    }

    @Test
    void anyLengthGivesFourStereoStemsOfThatLength() {
        for (int n : new int[] {0, 1, 2, 100, 1023, 1024, 2047, 2048, 4095, 4096, 4097, 441_000}) {
            float[][] mix = noise(n, n, 0.5f);
            float[][][] stems = separator.separate(mix, SongStats.IDENTITY);
            assertEquals(4, stems.length, "n=" + n);
            for (float[][] stem : stems) {
                assertEquals(2, stem.length, "n=" + n);
                for (float[] channel : stem) {
                    assertEquals(n, channel.length, "n=" + n);
                    for (float v : channel) {
                        assertTrue(Float.isFinite(v), "n=" + n);
                    }
                }
            }
            assertEquals(0, maxSumError(mix, stems), 1e-4, "n=" + n);
        }
    }

    @Test
    void silenceGivesSilentStems() {
        float[][][] stems = separator.separate(new float[2][10_000], SongStats.IDENTITY);
        for (float[][] stem : stems) {
            for (float[] channel : stem) {
                assertArrayEquals(new float[10_000], channel);
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSerialResults() throws Exception {
        float[][] a = band.mixture;
        float[][] b = noise(3 * 44_100 + 5, 9, 0.3f);
        float[][][] serialA = separator.separate(a, SongStats.IDENTITY);
        float[][][] serialB = separator.separate(b, SongStats.IDENTITY);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            for (int round = 0; round < 3; round++) {
                // Alternate the inputs so each thread's buffers see both sizes.
                float[][] first = round % 2 == 0 ? a : b;
                float[][] second = round % 2 == 0 ? b : a;
                Future<float[][][]> x = pool.submit(() -> {
                    start.await();
                    return separator.separate(first, SongStats.IDENTITY);
                });
                Future<float[][][]> y = pool.submit(() -> {
                    start.await();
                    return separator.separate(second, SongStats.IDENTITY);
                });
                assertSame(round % 2 == 0 ? serialA : serialB, x.get());
                assertSame(round % 2 == 0 ? serialB : serialA, y.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nameIsStable() {
        assertEquals("spectral-hpss-v6", separator.name());
    }

    private static void assertSame(float[][][] expected, float[][][] actual) {
        for (int s = 0; s < 4; s++) {
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(expected[s][c], actual[s][c], "stem " + s + " channel " + c);
            }
        }
    }

    private static double maxSumError(float[][] mixture, float[][][] stems) {
        double max = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < mixture[c].length; i++) {
                float sum = stems[0][c][i] + stems[1][c][i] + stems[2][c][i] + stems[3][c][i];
                max = Math.max(max, Math.abs(sum - mixture[c][i]));
            }
        }
        return max;
    }

    private static float[][] noise(int n, long seed, float amplitude) {
        Random rnd = new Random(seed);
        float[][] x = new float[2][n];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                x[c][i] = amplitude * (2 * rnd.nextFloat() - 1);
            }
        }
        return x;
    }
}
