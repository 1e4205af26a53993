package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The spectral prior on made-up chunks whose every bin's energy and masks the test sets. */
class SpectralPriorTest {
    private static final int FRAMES = 10;
    private static final int KICK_BIN = 100;
    private static final int BASS_BIN = 600;
    private static final int VOICE_BIN = 300;
    private static final int PAD_BIN = 1200;

    private final float[] left = new float[FRAMES * N];
    private final float[] right = new float[FRAMES * N];
    private final float[] drums = new float[FRAMES * BINS];
    private final float[] bass = new float[FRAMES * BINS];
    private final float[] vocals = new float[FRAMES * BINS];

    private void sound(int f, int k) {
        left[f * N + 2 * k] = 1f;
        right[f * N + 2 * k] = 1f;
    }

    private void apply(float exponent) {
        new SpectralPrior(exponent, 4).apply(left, right, FRAMES, drums, bass, vocals, new double[4 * BINS],
                new float[4 * BINS]);
    }

    @Test
    void aStemThatNeverHoldsAFrequencyLosesItWhereTheCuesAreUnsure() {
        for (int f = 0; f < FRAMES; f++) {
            sound(f, KICK_BIN);
            sound(f, BASS_BIN);
            drums[f * BINS + KICK_BIN] = 1f;
            bass[f * BINS + BASS_BIN] = 1f;
        }
        int unsure = 9 * BINS + KICK_BIN;
        drums[unsure] = 0.5f;
        bass[unsure] = 0.5f;
        apply(0.5f);
        assertTrue(drums[unsure] > 0.75f, "drums own that frequency across the chunk: " + drums[unsure]);
        assertEquals(1f, drums[unsure] + bass[unsure], 1e-5f, "other had none of it and still has none");
        assertEquals(1f, bass[5 * BINS + BASS_BIN], 1e-5f, "a sure bin stays sure");
    }

    @Test
    void aStemThatPlaysOnlyPartOfTheChunkKeepsItsOwnFrequency() {
        // Other holds a pad through the whole chunk; a voice sings two frames at its own frequency,
        // where the cues give it 0.6 and other 0.4. Weighed against its share of the whole chunk
        // (small), the voice's share of that frequency is large: it gains there.
        for (int f = 0; f < FRAMES; f++) {
            sound(f, PAD_BIN);
        }
        for (int f = 3; f <= 4; f++) {
            sound(f, VOICE_BIN);
            vocals[f * BINS + VOICE_BIN] = 0.6f;
        }
        apply(0.5f);
        assertTrue(vocals[3 * BINS + VOICE_BIN] > 0.8f, "the voice gains at its frequency: " + vocals[3 * BINS + VOICE_BIN]);
        assertEquals(0f, vocals[3 * BINS + PAD_BIN], 0f, "and takes nothing from the pad");
    }

    @Test
    void masksStayMasksAndASilentChunkIsLeftAlone() {
        Random random = new Random(7);
        for (int i = 0; i < FRAMES * BINS; i++) {
            float d = random.nextFloat();
            float b = random.nextFloat() * (1f - d);
            drums[i] = d;
            bass[i] = b;
            vocals[i] = random.nextFloat() * (1f - d - b);
        }
        float[][] before = {drums.clone(), bass.clone(), vocals.clone()};
        apply(0.5f);
        assertArrayEquals(before[0], drums, 1e-6f, "no energy: no prior");
        assertArrayEquals(before[2], vocals, 1e-6f);
        for (int i = 0; i < left.length; i++) {
            left[i] = (float) random.nextGaussian();
            right[i] = (float) random.nextGaussian();
        }
        apply(0.75f);
        for (int i = 0; i < FRAMES * BINS; i++) {
            float sum = drums[i] + bass[i] + vocals[i];
            assertTrue(drums[i] >= 0f && bass[i] >= 0f && vocals[i] >= 0f && sum <= 1f + 1e-5f, "bin " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> new SpectralPrior(0f, 4));
        assertThrows(IllegalArgumentException.class, () -> new SpectralPrior(0.5f, -1));
    }
}
