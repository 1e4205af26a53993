package dme.job;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioFiles;
import dme.core.audio.OutputFormat;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Audio made by the tests, and songs stored exactly as the gateway stores them. */
final class TestSongs {
    private TestSongs() {}

    /** A small "song": a kick-like pulse, a bass sine, a centred vibrato voice and a wide pad. */
    static float[][] music(double seconds, long seed) {
        int n = (int) Math.round(seconds * 44_100);
        Random rnd = new Random(seed);
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / 44_100.0;
            double beat = t % 0.5;
            double kick = Math.exp(-beat * 30) * Math.sin(2 * Math.PI * 60 * beat) * 0.3
                    + Math.exp(-beat * 80) * rnd.nextGaussian() * 0.05;
            double bass = 0.15 * Math.sin(2 * Math.PI * (55 + 27.5 * ((int) (t * 2) % 2)) * t);
            double f0 = 220 * (1 + 0.01 * Math.sin(2 * Math.PI * 5.5 * t));
            double voice = 0.08 * (Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(4 * Math.PI * f0 * t));
            double pad = 0.05 * Math.sin(2 * Math.PI * 330 * t + 0.3);
            x[0][i] = (float) (kick + bass + voice + pad);
            x[1][i] = (float) (kick + bass + voice - pad);
        }
        return x;
    }

    /** Stores a song file (any bytes) with its meta, as the gateway does; returns the id. */
    static long store(Storage storage, Path file, String ext, String name) throws IOException {
        Submissions s = new Submissions(storage);
        long id = s.issueId();
        String stored;
        try (InputStream in = Files.newInputStream(file)) {
            stored = s.storeOriginal(id, ext, in, Long.MAX_VALUE);
        }
        s.storeMeta(new SongMeta(id, name, "Test Band", stored, Files.size(file), 0, 44_100, 2, "test",
                System.currentTimeMillis()));
        return id;
    }

    static long storeMusic(Storage storage, Path dir, float[][] audio, String name) throws IOException {
        Path f = Files.createTempFile(dir, "song-", ".flac");
        AudioFiles.write(f, audio, OutputFormat.FLAC, 320);
        return store(storage, f, "flac", name);
    }

    /** A tone file in a foreign format, written by FFmpeg directly (rates, layouts, sample formats). */
    static Path foreign(Path file, String format, int codec, int sampleFormat, int rate, int channels, double seconds)
            throws IOException {
        int n = (int) (rate * seconds);
        float[] interleaved = new float[n * channels];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                interleaved[i * channels + c] = (float) (0.3 * Math.sin(2 * Math.PI * (220 + 110 * c) * i / (double) rate));
            }
        }
        try (org.bytedeco.javacv.FFmpegFrameRecorder r = new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), channels)) {
            r.setFormat(format);
            r.setAudioCodec(codec);
            r.setSampleRate(rate);
            r.setSampleFormat(sampleFormat);
            r.start();
            if (n > 0) {
                r.recordSamples(rate, channels, java.nio.FloatBuffer.wrap(interleaved));
            }
            r.stop();
        }
        return file;
    }

    static DmeConfig config(Path root) {
        return DmeConfig.of(java.util.Map.of(
                DmeConfig.ROOT, root.toUri().toString(),
                DmeConfig.CHUNK_SECONDS, "2",
                DmeConfig.SPARK_MASTER, "local[2]",
                DmeConfig.OUTPUT_FORMAT, "wav-float",
                DmeConfig.SEPARATOR, "spectral"));
    }
}
