package dme.gateway;

import dme.core.audio.AudioWriter;
import dme.core.audio.OutputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Audio files the tests make themselves: sine chords at 44.1 kHz stereo. */
final class TestAudio {
    static final int RATE = 44_100;

    private TestAudio() {}

    static float[][] chord(double seconds, double... hz) {
        int n = (int) Math.round(seconds * RATE);
        float[][] a = new float[2][n];
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (double f : hz) {
                v += Math.sin(2 * Math.PI * f * i / RATE);
            }
            a[0][i] = (float) (0.3 * v / hz.length);
            a[1][i] = (float) (0.25 * v / hz.length);
        }
        return a;
    }

    static Path write(Path file, float[][] audio, OutputFormat format, Map<String, String> tags) throws IOException {
        try (AudioWriter w = AudioWriter.open(file, format, 128)) {
            if (tags != null && !tags.isEmpty()) {
                w.metadata(tags);
            }
            w.write(audio, 0, audio[0].length);
        }
        return file;
    }

    static Path wav(Path file, double seconds, double... hz) throws IOException {
        return write(file, chord(seconds, hz), OutputFormat.WAV16, null);
    }
}
