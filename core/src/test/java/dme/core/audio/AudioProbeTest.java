package dme.core.audio;

import static dme.core.audio.TestAudio.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upload validation: tags and durations of real files, and typed errors (never a hang or a crash) for
 * what is not audio or is damaged. The timeout only guards against hangs; it asserts nothing about speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AudioProbeTest {
    private static final String TITLE = "Café <Song> – ü 日本";
    private static final String ARTIST = "The Testers & Co";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "id3.mp3,       mp3,  libmp3lame, fltp",
        "vorbis.flac,   flac, flac,       s16",
        "vorbis.ogg,    ogg,  vorbis,     fltp",
        "mp4tags.m4a,   ipod, aac,        fltp",
        "opus.opus,     opus, libopus,    flt",
        "info.wav,      wav,  pcm_s16le,  s16",
    })
    void probeReadsTagsAndDuration(String name, String muxer, String encoder, String sampleFormat) throws Exception {
        float[] tone = TestAudio.tone(440, 0.3, 3 * RATE, RATE);
        int rate = encoder.equals("libopus") ? 48_000 : RATE;
        if (rate != RATE) {
            tone = TestAudio.tone(440, 0.3, 3 * rate, rate);
        }
        Path f = TestAudio.encode(dir.resolve(name), muxer, avcodec.avcodec_find_encoder_by_name(encoder).id(),
                avutil.av_get_sample_fmt(sampleFormat), rate, new float[][] {tone, tone}, 128_000,
                Map.of("title", TITLE, "artist", ARTIST));

        AudioInfo info = AudioProbe.probe(f);

        assertEquals(TITLE, info.title());
        assertEquals(ARTIST, info.artist());
        assertEquals(3.0, info.durationSeconds(), 0.05);
        assertEquals(rate, info.sampleRate());
        assertEquals(2, info.channels());
        assertTrue(info.container() != null && !info.container().isBlank());
        assertTrue(info.codec() != null && !info.codec().isBlank());
    }

    @Test
    void absentTagsAreNull() throws Exception {
        Path f = dir.resolve("plain.flac");
        TestAudio.write(f, TestAudio.music(RATE, 1), OutputFormat.FLAC, 0);
        AudioInfo info = AudioProbe.probe(f);
        assertNull(info.title());
        assertNull(info.artist());
        assertEquals("flac", info.container());
        assertEquals("flac", info.codec());
    }

    @Test
    void headerlessStreamGetsAnEstimatedDuration() throws Exception {
        // ADTS AAC has no duration field: FFmpeg estimates it from the bit rate.
        float[] tone = TestAudio.tone(440, 0.3, 4 * RATE, RATE);
        Path f = TestAudio.encode(dir.resolve("raw.aac"), "adts", avcodec.AV_CODEC_ID_AAC, avutil.AV_SAMPLE_FMT_FLTP,
                RATE, new float[][] {tone, tone}, 128_000, Map.of());
        assertEquals(4.0, AudioProbe.probe(f).durationSeconds(), 0.4);
        assertEquals(4 * RATE, TestAudio.read(f)[0].length, 4096);
    }

    /** A cover-art tag larger than the probe limit does not hide the audio behind it. */
    @Test
    void mp3BehindAHugeTagIsFoundByContent() throws Exception {
        Path mp3 = dir.resolve("s.mp3");
        TestAudio.write(mp3, TestAudio.music(3 * RATE, 15), OutputFormat.MP3, 128);
        int frameLen = 6_000_000;
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int tagSize = 10 + frameLen;
        file.write(new byte[] {'I', 'D', '3', 3, 0, 0,
            (byte) ((tagSize >> 21) & 0x7f), (byte) ((tagSize >> 14) & 0x7f), (byte) ((tagSize >> 7) & 0x7f), (byte) (tagSize & 0x7f)});
        file.write(new byte[] {'P', 'R', 'I', 'V', (byte) (frameLen >>> 24), (byte) (frameLen >>> 16), (byte) (frameLen >>> 8),
            (byte) frameLen, 0, 0});
        byte[] payload = new byte[frameLen];
        new Random(16).nextBytes(payload);
        file.write(payload);
        file.write(Files.readAllBytes(mp3));
        Path tagged = Files.write(dir.resolve("tagged.bin"), file.toByteArray()); // no extension to go by

        assertEquals(3.0, AudioProbe.probe(tagged).durationSeconds(), 0.05);
        assertEquals(3 * RATE, TestAudio.read(tagged)[0].length);
    }

    @Test
    void emptyFile() throws Exception {
        assertFails(Files.write(dir.resolve("empty.wav"), new byte[0]), "empty");
    }

    @Test
    void textRenamedMp3() throws Exception {
        assertFails(Files.writeString(dir.resolve("notes.mp3"), "hello, this is text\n".repeat(500)), "not an audio file");
    }

    @Test
    void imagesRenamedAudio() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(7);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, rnd.nextInt());
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        assertFails(Files.write(dir.resolve("cover.wav"), png.toByteArray()), "no audio stream");
        assertFails(Files.write(dir.resolve("cover.mp3"), png.toByteArray()), "no audio stream");
        byte[] pngHeaderOnly = Arrays.copyOf(png.toByteArray(), 29);
        assertFails(Files.write(dir.resolve("stub.wav"), pngHeaderOnly), "");
    }

    @Test
    void randomBytesNamedAsAudio() throws Exception {
        byte[] noise = new byte[2_000_000];
        new Random(3).nextBytes(noise);
        for (String ext : new String[] {"mp3", "wav", "flac", "ogg", "m4a"}) {
            assertFails(Files.write(dir.resolve("noise." + ext), noise), "");
        }
    }

    @Test
    void missingFile() {
        assertFails(dir.resolve("nothing-here.mp3"), "no such file");
    }

    @Test
    void truncatedFilesDecodeWhatTheyHold() throws Exception {
        int n = 4 * RATE;
        float[][] x = TestAudio.music(n, 9);
        for (OutputFormat format : OutputFormat.values()) {
            Path full = dir.resolve("full-" + format + "." + format.extension());
            TestAudio.write(full, x, format, 128);
            byte[] bytes = Files.readAllBytes(full);
            Path half = Files.write(dir.resolve("half-" + format + "." + format.extension()),
                    Arrays.copyOf(bytes, bytes.length / 2));
            float[][] y = TestAudio.read(half);
            assertEquals(n / 2.0, y[0].length, n * 0.05, format + ": about half comes back");
            int lag = format == OutputFormat.MP3 ? TestAudio.bestLag(x[0], y[0], 2000) : 0;
            double snr = TestAudio.snrDb(Arrays.copyOf(x[0], n / 2), y[0], lag, 2048, n / 2 - 8192);
            assertTrue(snr > 15, format + ": what comes back is the start of the song, SNR " + snr);
            // A few header bytes only: a clear error, not a hang.
            Path stub = Files.write(dir.resolve("stub-" + format + "." + format.extension()), Arrays.copyOf(bytes, 40));
            assertFails(stub, "");
        }
    }

    @Test
    void garbageInTheMiddleOfAnMp3CostsOnlyAGlitch() throws Exception {
        int n = 6 * RATE;
        float[][] x = TestAudio.music(n, 10);
        Path f = dir.resolve("clean.mp3");
        TestAudio.write(f, x, OutputFormat.MP3, 128);
        byte[] bytes = Files.readAllBytes(f);
        Random rnd = new Random(11);
        int from = bytes.length / 2;
        for (int i = from; i < from + 3000; i++) {
            bytes[i] = (byte) rnd.nextInt();
        }
        Path damaged = Files.write(dir.resolve("damaged.mp3"), bytes);

        AudioInfo info = AudioProbe.probe(damaged);
        float[][] y = TestAudio.read(damaged);

        assertEquals(6.0, info.durationSeconds(), 0.1);
        assertEquals(n, y[0].length, 2 * 1152 + 3000 * 8 * RATE / 128_000.0, "the song keeps its length, give or take the damage");
        double before = TestAudio.snrDb(x[0], y[0], 0, 4096, n / 2 - RATE);
        assertTrue(before > 15, "audio before the damage decodes cleanly: " + before);
    }

    @Test
    void videoWithoutAudio() throws Exception {
        // A file with only an image stream: FFmpeg reads it but finds nothing to decode as audio.
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpg);
        assertFails(Files.write(dir.resolve("photo.m4a"), jpg.toByteArray()), "no audio stream");
    }

    private static void assertFails(Path f, String expectedWords) {
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioProbe.probe(f), f.toString());
        assertTrue(e.getMessage().startsWith(f.getFileName().toString() + ": "), "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedWords), "message says why (" + expectedWords + "): " + e.getMessage());
        AudioDecodeException again = assertThrows(AudioDecodeException.class, () -> TestAudio.read(f));
        assertEquals(e.getMessage(), again.getMessage(), "the reader fails the same way");
    }
}
