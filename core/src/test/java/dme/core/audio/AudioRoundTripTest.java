package dme.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AudioRoundTripTest {
    @TempDir
    Path dir;

    static float[][] tones(int n) {
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            x[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 44_100.0));
            x[1][i] = (float) (0.4 * Math.sin(2 * Math.PI * 660 * i / 44_100.0));
        }
        return x;
    }

    /** Frequency of a tone from its zero crossings. */
    static double frequency(float[] x, int rate) {
        int crossings = 0;
        for (int i = 1; i < x.length; i++) {
            if ((x[i - 1] < 0) != (x[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / (x.length / (double) rate);
    }

    /** Writes a tone with FFmpeg directly at any rate/channel count (sources the pipeline must convert). */
    Path source(String name, String format, int codec, int rate, int channels, double seconds, Map<String, String> tags)
            throws Exception {
        Path f = dir.resolve(name);
        int n = (int) (rate * seconds);
        float[] interleaved = new float[n * channels];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                interleaved[i * channels + c] = (float) (0.3 * Math.sin(2 * Math.PI * 1000 * i / (double) rate));
            }
        }
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), channels)) {
            r.setFormat(format);
            r.setAudioCodec(codec);
            r.setSampleRate(rate);
            r.setSampleFormat(codec == avcodec.AV_CODEC_ID_PCM_U8 ? avutil.AV_SAMPLE_FMT_U8
                    : codec == avcodec.AV_CODEC_ID_MP3 ? avutil.AV_SAMPLE_FMT_FLTP : avutil.AV_SAMPLE_FMT_S16);
            r.setMetadata(tags);
            r.start();
            r.recordSamples(rate, channels, java.nio.FloatBuffer.wrap(interleaved));
            r.stop();
        }
        return f;
    }

    @ParameterizedTest
    @EnumSource(OutputFormat.class)
    void eachFormatRoundTrips(OutputFormat format) throws Exception {
        int n = 44_100 * 2 + 123;
        float[][] x = tones(n);
        Path f = dir.resolve("t." + format.extension());
        AudioFiles.write(f, x, format, 192);
        float[][] y = AudioFiles.decodeAll(f);
        if (format == OutputFormat.MP3) {
            assertTrue(Math.abs(y[0].length - n) <= 2 * 1152 + 529, "mp3 length within encoder padding: " + y[0].length);
            assertEquals(440, frequency(y[0], 44_100), 5);
            assertEquals(660, frequency(y[1], 44_100), 5);
            return;
        }
        assertEquals(n, y[0].length, "lossless formats keep every sample");
        double tol = format == OutputFormat.WAV_FLOAT ? 0 : 1.0 / 32768 + 1e-7;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                assertEquals(x[c][i], y[c][i], tol, format + " channel " + c + " sample " + i);
            }
        }
    }

    @Test
    void resamplesAndDuplicatesMono() throws Exception {
        Path f = source("mono8k.wav", "wav", avcodec.AV_CODEC_ID_PCM_S16LE, 8000, 1, 2.0, Map.of());
        float[][] y = AudioFiles.decodeAll(f);
        assertEquals(88_200, y[0].length, 200, "2 s at 44.1 kHz");
        assertEquals(1000, frequency(y[0], 44_100), 10, "the tone keeps its pitch");
        for (int i = 0; i < y[0].length; i += 101) {
            assertEquals(y[0][i], y[1][i], 0f, "mono is duplicated");
        }
        AudioInfo info = AudioProbe.probe(f);
        assertEquals(8000, info.sampleRate());
        assertEquals(1, info.channels());
        assertEquals(2.0, info.durationSeconds(), 0.05);
    }

    @Test
    void downmixesSurroundAndReads96k8bit() throws Exception {
        Path surround = source("s51.wav", "wav", avcodec.AV_CODEC_ID_PCM_S16LE, 48_000, 6, 1.0, Map.of());
        float[][] y = AudioFiles.decodeAll(surround);
        assertEquals(44_100, y[0].length, 100);
        double peak = 0;
        for (float v : y[0]) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertTrue(peak > 0.1 && peak <= 1.0, "downmix keeps the signal without clipping: " + peak);
        Path u8 = source("u8.wav", "wav", avcodec.AV_CODEC_ID_PCM_U8, 96_000, 2, 1.0, Map.of());
        float[][] z = AudioFiles.decodeAll(u8);
        assertEquals(44_100, z[0].length, 100);
        assertEquals(1000, frequency(z[0], 44_100), 10);
    }

    @Test
    void probeReadsTags() throws Exception {
        Path f = source("tagged.mp3", "mp3", avcodec.AV_CODEC_ID_MP3, 44_100, 2, 1.0,
                Map.of("title", "Café <Song>", "artist", "The Testers"));
        AudioInfo info = AudioProbe.probe(f);
        assertEquals("Café <Song>", info.title());
        assertEquals("The Testers", info.artist());
        assertEquals(1.0, info.durationSeconds(), 0.1);
    }

    @Test
    void nonAudioGivesTheTypedError() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp3"), "hello, this is text\n".repeat(100));
        Path empty = Files.write(dir.resolve("empty.wav"), new byte[0]);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
        Path image = Files.write(dir.resolve("image.wav"), png);
        for (Path p : new Path[] {text, empty, image}) {
            AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioProbe.probe(p), p.toString());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        }
    }

    @Test
    void truncatedMp3DecodesWhatIsThere() throws Exception {
        Path f = dir.resolve("full.mp3");
        AudioFiles.write(f, tones(44_100 * 3), OutputFormat.MP3, 128);
        byte[] bytes = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.mp3"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        float[][] y = AudioFiles.decodeAll(cut);
        assertTrue(y[0].length > 44_100 && y[0].length < 44_100 * 2, "about half: " + y[0].length);
        byte[] corrupt = bytes.clone();
        for (int i = bytes.length / 3; i < bytes.length / 3 + 2000; i++) {
            corrupt[i] = (byte) (i * 31);
        }
        Path bad = Files.write(dir.resolve("corrupt.mp3"), corrupt);
        float[][] z = AudioFiles.decodeAll(bad);
        assertTrue(z[0].length > 44_100 * 2, "a corrupt frame in the middle does not lose the song: " + z[0].length);
    }
}
