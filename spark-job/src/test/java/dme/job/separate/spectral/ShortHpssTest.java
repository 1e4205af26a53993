package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.audio.PcmFormat;
import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;

class ShortHpssTest {
    private static final int SR = PcmFormat.SAMPLE_RATE;
    private static final int N = SR;

    @Test
    void aSteadyToneIsSustainedAndClicksAreTransient() {
        float[][] tone = new float[2][N];
        float[][] clicks = new float[2][N];
        for (int i = 0; i < N; i++) {
            float s = 0.5f * (float) Math.sin(2 * Math.PI * 1000.0 * i / SR);
            tone[0][i] = s;
            tone[1][i] = s;
        }
        // One click every 0.25 s, both channels.
        for (int i = 4096; i < N; i += SR / 4) {
            clicks[0][i] = 1f;
            clicks[1][i] = 1f;
        }
        int frames = Stft.frames(N);
        int k1000 = (int) Math.round(1000.0 * Stft.N / SR);
        float[] toneEvidence = evidence(tone, frames);
        float[] clickEvidence = evidence(clicks, frames);
        // Frames away from the edges: the tone's bin is sustained.
        for (int f = 8; f < frames - 8; f++) {
            float t = toneEvidence[f * BINS + k1000];
            assertTrue(t < 0.1f, "tone frame " + f + ": transient fraction " + t);
        }
        // The long frame centred on the first click: transient at every bin from 200 Hz to 5 kHz.
        int f = (4096 + 1024) / Stft.HOP;
        for (int k = 20; k < 460; k++) {
            float c = clickEvidence[f * BINS + k];
            assertTrue(c > 0.9f, "click bin " + k + ": transient fraction " + c);
        }
    }

    private static float[] evidence(float[][] x, int frames) {
        ShortHpss hpss = new ShortHpss(SR, 6000, 5, 33, 2);
        Workspace ws = new Workspace();
        ws.ensureShort(frames, ShortHpss.frames(N), hpss);
        hpss.evidence(x, N, frames, ws.shortMagnitude, ws.shortHarmonic, ws.shortPercussive, ws.shortFrame,
                ws.shortWindows, ws.shortWindow, ws.shortRatio, new FloatFFT_1D(ShortHpss.N), ws.shortTransient);
        return ws.shortTransient;
    }
}
