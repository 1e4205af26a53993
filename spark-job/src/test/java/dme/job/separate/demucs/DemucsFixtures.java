package dme.job.separate.demucs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed tiny model and Python reference (spark-job/src/test/resources/demucs/, see its README). */
final class DemucsFixtures {
    static final int RATE = 44_100;

    private DemucsFixtures() {}

    static Path resource(String name) {
        URL url = DemucsFixtures.class.getResource("/demucs/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource demucs/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tinyModel() {
        return resource("tiny-hdemucs.pt");
    }

    /** Little-endian int16 planar rows scaled to floats. */
    static float[][] readS16(Path file, int rows, int frames, double scale) {
        ByteBuffer buf = ByteBuffer.wrap(bytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        check(file, buf.remaining(), rows * frames * 2);
        float[][] out = new float[rows][frames];
        for (float[] row : out) {
            for (int i = 0; i < frames; i++) {
                row[i] = (float) (buf.getShort() * scale);
            }
        }
        return out;
    }

    /** Little-endian float32 planar rows. */
    static float[][] readF32(Path file, int rows, int frames) {
        ByteBuffer buf = ByteBuffer.wrap(bytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        check(file, buf.remaining(), rows * frames * 4);
        float[][] out = new float[rows][frames];
        for (float[] row : out) {
            buf.asFloatBuffer().get(row);
            buf.position(buf.position() + frames * 4);
        }
        return out;
    }

    private static void check(Path file, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalStateException(file + " has " + actual + " bytes, expected " + expected);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stereo test mixture: two tones and a noise burst, deterministic. */
    static float[][] mixture(int frames, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[][] x = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            double t = (double) i / RATE;
            double noise = (i / 2000) % 3 == 0 ? 0.2 * (random.nextDouble() * 2 - 1) : 0;
            x[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 110 * t) + noise);
            x[1][i] = (float) (0.25 * Math.sin(2 * Math.PI * 440 * t + 0.3) + 0.5 * noise);
        }
        return x;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
