package dme.core.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Whole-file conveniences for small files and tests; the pipeline itself streams. */
public final class AudioFiles {
    private AudioFiles() {}

    /** Decodes a whole file to 44.1 kHz stereo float. */
    public static float[][] decodeAll(Path localFile) throws AudioDecodeException {
        try (AudioReader r = AudioReader.open(localFile)) {
            float[][] out = new float[2][1 << 16];
            int n = 0;
            while (true) {
                if (n == out[0].length) {
                    out[0] = Arrays.copyOf(out[0], n * 2);
                    out[1] = Arrays.copyOf(out[1], n * 2);
                }
                int got = r.read(out, n, out[0].length - n);
                if (got <= 0) {
                    break;
                }
                n += got;
            }
            return new float[][] {Arrays.copyOf(out[0], n), Arrays.copyOf(out[1], n)};
        }
    }

    public static void write(Path localFile, float[][] audio, OutputFormat format, int mp3BitrateKbps) throws IOException {
        try (AudioWriter w = AudioWriter.open(localFile, format, mp3BitrateKbps)) {
            w.write(audio, 0, audio[0].length);
        }
    }
}
