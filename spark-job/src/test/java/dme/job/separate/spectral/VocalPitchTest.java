package dme.job.separate.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.audio.PcmFormat;
import org.junit.jupiter.api.Test;

class VocalPitchTest {
    private static final double BIN_HZ = PcmFormat.SAMPLE_RATE / (double) Stft.N;
    private final VocalPitch pitch = new VocalPitch(PcmFormat.SAMPLE_RATE, 4_000);

    /** A sung-vowel-like frame: partials of {@code f0Hz} falling as 1/h, each spread over ±1 bin. */
    private static float[] vowel(double f0Hz) {
        float[] x = new float[Stft.BINS];
        for (int h = 1; h * f0Hz < 4_000; h++) {
            double bin = h * f0Hz / BIN_HZ;
            int k = (int) Math.round(bin);
            x[k] += 1f / h;
            x[k - 1] += 0.3f / h;
            x[k + 1] += 0.3f / h;
        }
        return x;
    }

    @Test
    void aHarmonicFrameGivesItsPitchAConfidentComb() {
        double f0 = 220;
        float[] comb = new float[Stft.BINS];
        float confidence = pitch.track(vowel(f0), comb);
        assertTrue(confidence > 0.5f, "confidence " + confidence);
        for (int h = 1; h <= 5; h++) {
            int onPartial = (int) Math.round(h * f0 / BIN_HZ);
            int between = (int) Math.round((h + 0.5) * f0 / BIN_HZ);
            assertTrue(comb[onPartial] > 0.8f, "partial " + h + ": " + comb[onPartial]);
            assertEquals(0f, comb[between], "between partials " + h + " and " + (h + 1));
        }
        assertEquals(0f, comb[(int) Math.round(0.5 * f0 / BIN_HZ)], "below the fundamental");
    }

    @Test
    void aFlatFrameIsNotConfident() {
        float[] flat = new float[Stft.BINS];
        java.util.Arrays.fill(flat, 1f);
        float confidence = pitch.track(flat, new float[Stft.BINS]);
        assertTrue(confidence < 0.1f, "confidence " + confidence);
    }
}
