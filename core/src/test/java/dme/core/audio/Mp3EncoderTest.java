package dme.core.audio;

import static dme.core.audio.TestAudio.RATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MP3 through the ffmpeg program (Debian's {@code ffmpeg}, installed by .ci/run): the same file
 * qualities as the in-process encoder (length, signal, channels, bit rate, tags), and clear errors when
 * the program is missing, unfit or fails.
 */
class Mp3EncoderTest {
    private static Mp3Encoder program;

    @TempDir
    Path dir;

    @BeforeAll
    static void systemFfmpeg() {
        assertNull(Mp3Encoder.encodesMp3("ffmpeg"), "these tests need an ffmpeg program with libmp3lame on the PATH"
                + " (Debian: apt-get install ffmpeg, as .ci/run does)");
        program = Mp3Encoder.resolve("ffmpeg");
    }

    @Test
    void settingsResolve() {
        assertTrue(Mp3Encoder.resolve("library").inProcess());
        assertTrue(Mp3Encoder.resolve(" Library ").inProcess());
        assertEquals("ffmpeg", Mp3Encoder.resolve("auto").program(), "auto takes the ffmpeg on the PATH");
        assertEquals("ffmpeg", Mp3Encoder.resolve("").program());
        assertFalse(program.inProcess());
        assertTrue(Mp3Encoder.forFormat(OutputFormat.FLAC, "/no/such/ffmpeg").inProcess(), "only MP3 looks at the setting");
    }

    @Test
    void unfitProgramsAreRefusedClearly() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Mp3Encoder.resolve("/no/such/ffmpeg"));
        assertTrue(missing.getMessage().contains("'/no/such/ffmpeg' cannot be used: it does not run"), missing.getMessage());
        // A program that runs but lists no MP3 encoder.
        IllegalArgumentException unfit = assertThrows(IllegalArgumentException.class, () -> Mp3Encoder.resolve("true"));
        assertTrue(unfit.getMessage().contains("do not include libmp3lame"), unfit.getMessage());
    }

    @Test
    void programKeepsLengthSignalAndChannels() throws Exception {
        int n = 3 * RATE + 123;
        float[][] x = TestAudio.music(n, 2);
        Path f = dir.resolve("p.mp3");
        write(f, x, 192, Map.of(), program);

        float[][] y = TestAudio.read(f);

        assertTrue(Math.abs(y[0].length - n) <= 1152, "length within one MP3 frame of " + n + ": " + y[0].length);
        for (int c = 0; c < 2; c++) {
            int lag = TestAudio.bestLag(x[c], y[c], 2000);
            assertEquals(0, lag, "the Xing/LAME header lets the decoder trim the encoder delay");
            double snr = TestAudio.snrDb(x[c], y[c], lag, 4096, n - 4096);
            assertTrue(snr > 15, "channel " + c + " SNR " + snr + " dB");
        }
        assertEquals(0.4, TestAudio.amplitudeAt(y[0], 440, RATE), 0.02);
        assertTrue(TestAudio.amplitudeAt(y[1], 440, RATE) < 0.01);
        assertEquals(0.4, TestAudio.amplitudeAt(y[1], 660, RATE), 0.02);
    }

    @Test
    void programAndLibraryGiveTheSameMusic() throws Exception {
        int n = 4 * RATE;
        float[][] x = TestAudio.music(n, 7);
        Path viaProgram = dir.resolve("program.mp3");
        Path inProcess = dir.resolve("library.mp3");
        write(viaProgram, x, 320, Map.of(), program);
        write(inProcess, x, 320, Map.of(), Mp3Encoder.LIBRARY);
        float[][] a = TestAudio.read(viaProgram);
        float[][] b = TestAudio.read(inProcess);
        assertEquals(b[0].length, a[0].length, "same length as the in-process encoder");
        for (int c = 0; c < 2; c++) {
            double snr = TestAudio.snrDb(b[c], a[c], 0, 4096, n - 4096);
            assertTrue(snr > 30, "channel " + c + ": the two encoders agree to " + snr + " dB");
        }
        // CBR at the asked rate: bytes ~ seconds * kbps / 8.
        assertEquals(4 * 320_000 / 8, Files.size(viaProgram), 4 * 320_000 / 8 * 0.1);
    }

    @Test
    void programWritesTagsAndOddPiecesLikeOneWrite() throws Exception {
        int n = RATE + 777;
        float[][] x = TestAudio.music(n, 4);
        Path whole = dir.resolve("whole.mp3");
        Path pieces = dir.resolve("pieces.mp3");
        Map<String, String> tags = Map.of("title", "Stem: \"drums\" -y; $(rm -rf /)", "artist", "dme");
        write(whole, x, 128, tags, program);
        try (AudioWriter w = AudioWriter.open(pieces, OutputFormat.MP3, 128, tags, program)) {
            TestAudio.writeInOddPieces(w, x);
        }
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(pieces));
        AudioInfo info = AudioProbe.probe(whole);
        assertEquals("Stem: \"drums\" -y; $(rm -rf /)", info.title(), "a tag is an argument, never shell text");
        assertEquals("dme", info.artist());
    }

    @Test
    void programFailuresAreReportedWithItsOwnWords() throws Exception {
        IOException nowhere = assertThrows(IOException.class,
                () -> AudioWriter.open(dir.resolve("missing").resolve("x.mp3"), OutputFormat.MP3, 128, Map.of(), program));
        assertTrue(nowhere.getMessage().contains("x.mp3"), nowhere.getMessage());

        // A program that stops at once: the writer says how it ended, on a write or at close.
        float[][] x = TestAudio.music(2 * RATE, 9);
        IOException refused = assertThrows(IOException.class, () -> {
            try (AudioWriter w = AudioWriter.open(dir.resolve("bad.mp3"), OutputFormat.MP3, 128,
                    Map.of(), new Mp3Encoder("false"))) {
                for (int i = 0; i < 20; i++) {
                    w.write(x, 0, x[0].length);
                }
            }
        });
        assertTrue(refused.getMessage().contains("'false' exited with 1"), refused.getMessage());
    }

    @Test
    void emptyAndSilentSongsEncode() throws Exception {
        Path silent = dir.resolve("silent.mp3");
        write(silent, new float[2][RATE], 128, Map.of(), program);
        float[][] y = TestAudio.read(silent);
        assertEquals(RATE, y[0].length, 1152);
        assertEquals(0.0, TestAudio.peak(y[0]), 1e-4);
    }

    private static void write(Path f, float[][] x, int kbps, Map<String, String> tags, Mp3Encoder encoder)
            throws IOException {
        try (AudioWriter w = AudioWriter.open(f, OutputFormat.MP3, kbps, tags, encoder)) {
            w.write(x, 0, x[0].length);
        }
    }
}
