package dme.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.format.RenderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixEffectsTest {
    private static final int RATE = TestAudio.RATE;

    @TempDir
    Path dir;

    @Test
    void slowerTempoIsLongerAndKeepsItsPitch() throws IOException {
        float[][] in = stereoTone(440, 4);
        float[][] out = render(in, new RenderOptions(0.8, 0, false, null), List.of());
        assertEquals(1.25, out[0].length / (double) in[0].length, 0.01);
        assertCents(440, middleFrequency(out), 3);
    }

    @Test
    void transpositionKeepsTheLengthAndMovesThePitch() throws IOException {
        float[][] in = stereoTone(440, 4);
        float[][] down = render(in, new RenderOptions(1.0, -2, false, null), List.of());
        assertEquals(1.0, down[0].length / (double) in[0].length, 0.01);
        assertCents(440 * Math.pow(2, -2 / 12.0), middleFrequency(down), 3);
        float[][] upAndFast = render(in, new RenderOptions(1.25, 7, false, null), List.of());
        assertEquals(0.8, upAndFast[0].length / (double) in[0].length, 0.01);
        assertCents(440 * Math.pow(2, 7 / 12.0), middleFrequency(upAndFast), 3);
        float[][] octaveDownSlow = render(in, new RenderOptions(0.5, -12, false, null), List.of());
        assertEquals(2.0, octaveDownSlow[0].length / (double) in[0].length, 0.01);
        assertCents(220, middleFrequency(octaveDownSlow), 3);
    }

    @Test
    void loudnessLandsOnTheTargetByFfmpegsOwnMeter() throws IOException {
        float[][] quiet = TestAudio.music(RATE * 6, 4);
        scale(quiet, 0.1f);
        double before = ffmpegLoudness(quiet);
        assertTrue(before < -25, "test signal starts quiet: " + before);
        LoudnessMeter ours = new LoudnessMeter(RATE);
        ours.accept(quiet, 0, quiet[0].length);
        assertEquals(before, ours.integratedLufs(), 0.1, "our R128 meter agrees with FFmpeg's ebur128");
        float[][] out = render(quiet, new RenderOptions(1.0, 0, false, -14.0), List.of());
        assertEquals(quiet[0].length, out[0].length);
        assertEquals(-14.0, ffmpegLoudness(out), 0.5);
        float[][] slowLoud = render(quiet, new RenderOptions(0.8, -3, true, -16.0), List.of(0.5, 1.0, 1.5));
        assertEquals(-16.0, ffmpegLoudness(slowLoud), 0.5);
    }

    @Test
    void aLoudTargetIsLimitedBelowFullScale() throws IOException {
        float[][] peaky = TestAudio.music(RATE * 6, 9);
        scale(peaky, 0.05f);
        for (int i = RATE; i < peaky[0].length; i += RATE / 2) {
            peaky[0][i] = 0.9f; // isolated spikes: a plain gain to -8 LUFS would clip them
            peaky[1][i] = -0.9f;
        }
        float[][] out = render(peaky, new RenderOptions(1.0, 0, false, -8.0), List.of());
        assertTrue(TestAudio.peak(out[0]) <= 0.95 && TestAudio.peak(out[1]) <= 0.95,
                "peaks " + TestAudio.peak(out[0]) + ", " + TestAudio.peak(out[1]));
        assertEquals(peaky[0].length, out[0].length, RATE / 100.0);
        assertEquals(-8.0, ffmpegLoudness(out), 0.5);
    }

    @Test
    void clickTicksOnTheBeatsScaledByTheTempo() throws IOException {
        float[][] silence = new float[2][RATE * 4];
        List<Double> beats = List.of(0.5, 1.0, 1.5, 2.0);
        float[][] out = render(silence, new RenderOptions(0.8, 0, true, null), beats);
        int window = RATE / 50;
        for (double b : beats) {
            int at = (int) Math.round(b / 0.8 * RATE);
            assertTrue(energy(out[0], at, window) > 0.1, "tick at " + b / 0.8 + " s");
            assertTrue(energy(out[0], at - 2 * window, window) < 1e-6, "silence before the tick at " + b / 0.8 + " s");
        }
        assertTrue(energy(out[0], (int) (0.5 / 0.8 * RATE) + RATE / 4, window) < 1e-6, "silence between ticks");
        float[][] none = render(silence, new RenderOptions(0.8, 0, false, null), beats);
        assertTrue(TestAudio.peak(none[0]) < 1e-6, "no click unless asked");
    }

    private float[][] render(float[][] in, RenderOptions o, List<Double> beats) throws IOException {
        Path mix = Files.createTempFile(dir, "mix", ".wav");
        TestAudio.write(mix, in, OutputFormat.WAV_FLOAT, 0);
        Collector c = new Collector();
        MixEffects.render(mix, o, beats, c::write);
        return c.audio();
    }

    /** Integrated loudness by FFmpeg's ebur128 filter, read from the frame metadata it prints. */
    private double ffmpegLoudness(float[][] audio) throws IOException {
        Path log = dir.resolve("r128-" + System.nanoTime() + ".txt");
        try (MixEffects.Filter f = new MixEffects.Filter("ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=" + log, (s, o, l) -> {})) {
            f.write(audio, 0, audio[0].length);
            f.finish();
        }
        Matcher m = Pattern.compile("lavfi\\.r128\\.I=(-?[0-9.]+)").matcher(Files.readString(log));
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }

    private static float[][] stereoTone(double hz, double seconds) {
        float[] t = TestAudio.tone(hz, 0.5, (int) (seconds * RATE), RATE);
        return new float[][] {t, t.clone()};
    }

    /** Frequency over the middle half (away from the filters' start and end transients). */
    private static double middleFrequency(float[][] audio) {
        int n = audio[0].length;
        return TestAudio.zeroCrossingFrequency(Arrays.copyOfRange(audio[0], n / 4, 3 * n / 4), RATE);
    }

    private static void assertCents(double expectedHz, double actualHz, double cents) {
        double off = 1200 * Math.log(actualHz / expectedHz) / Math.log(2);
        assertTrue(Math.abs(off) <= cents, actualHz + " Hz is " + off + " cents from " + expectedHz + " Hz");
    }

    private static void scale(float[][] x, float g) {
        for (float[] ch : x) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] *= g;
            }
        }
    }

    private static double energy(float[] x, int from, int len) {
        double s = 0;
        for (int i = Math.max(0, from); i < Math.min(x.length, from + len); i++) {
            s += x[i] * x[i];
        }
        return s;
    }

    private static final class Collector {
        private float[][] data = new float[2][RATE];
        private int n;

        void write(float[][] src, int off, int len) {
            if (n + len > data[0].length) {
                data = new float[][] {Arrays.copyOf(data[0], 2 * (n + len)), Arrays.copyOf(data[1], 2 * (n + len))};
            }
            System.arraycopy(src[0], off, data[0], n, len);
            System.arraycopy(src[1], off, data[1], n, len);
            n += len;
        }

        float[][] audio() {
            return new float[][] {Arrays.copyOf(data[0], n), Arrays.copyOf(data[1], n)};
        }
    }
}
