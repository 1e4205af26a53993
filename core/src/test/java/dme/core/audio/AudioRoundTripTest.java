package dme.core.audio;

import static dme.core.audio.TestAudio.RATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** AudioWriter then AudioReader, per output format: what comes back, sample for sample. */
class AudioRoundTripTest {
    private static final double LSB16 = 1.0 / 32768;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = OutputFormat.class, names = {"WAV16", "WAV24", "WAV_FLOAT", "FLAC"})
    void losslessFormatsKeepEverySample(OutputFormat format) throws Exception {
        int n = 2 * RATE + 123; // not a multiple of any codec frame size
        float[][] x = TestAudio.music(n, 1);
        Path f = dir.resolve("t." + format.extension());
        TestAudio.write(f, x, format, 0);

        float[][] y = TestAudio.read(f);

        assertEquals(n, y[0].length, "no sample dropped or padded");
        assertEquals(n, y[1].length);
        if (format == OutputFormat.WAV_FLOAT) {
            assertArrayEquals(x[0], y[0], "float WAV is bit-exact (left)");
            assertArrayEquals(x[1], y[1], "float WAV is bit-exact (right)");
        } else {
            // 24-bit WAV: within one 24-bit step, 256 times finer than 16-bit
            double tolerance = format == OutputFormat.WAV24 ? 1.0 / (1 << 23) : LSB16;
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(x[c][i], y[c][i], tolerance, format + " channel " + c + " sample " + i);
                }
            }
        }
        AudioInfo info = AudioProbe.probe(f);
        if (format == OutputFormat.WAV24) {
            assertEquals("pcm_s24le", info.codec());
        }
        assertEquals(RATE, info.sampleRate());
        assertEquals(2, info.channels());
        assertEquals(n / (double) RATE, info.durationSeconds(), 1e-6);
    }

    @Test
    void mp3KeepsLengthAndSignal() throws Exception {
        int n = 3 * RATE + 123;
        float[][] x = TestAudio.music(n, 2);
        Path f = dir.resolve("t.mp3");
        TestAudio.write(f, x, OutputFormat.MP3, 192);

        float[][] y = TestAudio.read(f);

        assertTrue(Math.abs(y[0].length - n) <= 1152, "length within one MP3 frame of " + n + ": " + y[0].length);
        for (int c = 0; c < 2; c++) {
            int lag = TestAudio.bestLag(x[c], y[c], 2000);
            double snr = TestAudio.snrDb(x[c], y[c], lag, 4096, n - 4096);
            assertTrue(snr > 15, "channel " + c + " SNR " + snr + " dB at lag " + lag);
        }
        // The channels are not swapped or mixed: each keeps its own tone.
        assertEquals(0.4, TestAudio.amplitudeAt(y[0], 440, RATE), 0.02);
        assertTrue(TestAudio.amplitudeAt(y[1], 440, RATE) < 0.01);
        assertEquals(0.4, TestAudio.amplitudeAt(y[1], 660, RATE), 0.02);
    }

    @Test
    void mp3BitrateIsConfigurable() throws Exception {
        float[][] x = TestAudio.music(5 * RATE, 3);
        Path low = dir.resolve("low.mp3");
        Path high = dir.resolve("high.mp3");
        TestAudio.write(low, x, OutputFormat.MP3, 64);
        TestAudio.write(high, x, OutputFormat.MP3, 320);
        // CBR: bytes ~ seconds * kbps / 8 (plus a header).
        assertEquals(5 * 64_000 / 8, Files.size(low), 5 * 64_000 / 8 * 0.1);
        assertEquals(5 * 320_000 / 8, Files.size(high), 5 * 320_000 / 8 * 0.1);
        assertThrows(IllegalArgumentException.class, () -> AudioWriter.open(dir.resolve("x.mp3"), OutputFormat.MP3, 0));
        assertThrows(IllegalArgumentException.class, () -> AudioWriter.open(dir.resolve("x.mp3"), OutputFormat.MP3, 500));
    }

    /** Streaming in odd pieces writes the same file as one call, in every format. */
    @ParameterizedTest
    @EnumSource(OutputFormat.class)
    void chunkedWritesEqualOneWrite(OutputFormat format) throws Exception {
        int n = RATE + 777;
        float[][] x = TestAudio.music(n, 4);
        Path whole = dir.resolve("whole." + format.extension());
        Path pieces = dir.resolve("pieces." + format.extension());
        TestAudio.write(whole, x, format, 128);
        try (AudioWriter w = AudioWriter.open(pieces, format, 128)) {
            TestAudio.writeInOddPieces(w, x);
        }
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(pieces));
    }

    /** Reading in odd pieces yields the same samples as decoding the whole file. */
    @ParameterizedTest
    @EnumSource(value = OutputFormat.class, names = {"FLAC", "MP3"})
    void chunkedReadsEqualWholeDecode(OutputFormat format) throws Exception {
        int n = 2 * RATE + 5;
        Path f = dir.resolve("r." + format.extension());
        TestAudio.write(f, TestAudio.music(n, 5), format, 128);
        float[][] whole = TestAudio.read(f);
        float[][] pieces = new float[2][whole[0].length + 10];
        int total = 0;
        try (AudioReader r = AudioReader.open(f)) {
            int[] sizes = {1, 7, 1000, 1152, 4097, 65536};
            for (int i = 0, got; (got = r.read(pieces, total, Math.min(sizes[i % sizes.length],
                    pieces[0].length - total))) > 0; i++) {
                total += got;
            }
            assertEquals(-1, r.read(pieces, 0, 10), "stays at the end");
            assertEquals(0, r.read(pieces, 0, 0));
        }
        assertEquals(whole[0].length, total);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(whole[c], java.util.Arrays.copyOf(pieces[c], total));
        }
    }

    @ParameterizedTest
    @EnumSource(value = OutputFormat.class, names = {"WAV16", "WAV24", "FLAC"})
    void integerFormatsClampAndSilenceNaN(OutputFormat format) throws Exception {
        float[][] x = {{1.5f, -1.5f, 1f, -1f, Float.NaN, 0.25f}, {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, 0, -0.25f}};
        Path f = dir.resolve("clip." + format.extension());
        TestAudio.write(f, x, format, 0);
        float[][] y = TestAudio.read(f);
        float max = format == OutputFormat.WAV24 ? 8388607f / 8388608 : 32767f / 32768;
        assertArrayEquals(new float[] {max, -1f, max, -1f, 0f, 0.25f}, y[0]);
        assertArrayEquals(new float[] {max, -1f, 0, 0, 0, -0.25f}, y[1]);
    }

    @Test
    void floatWavKeepsOverRangeValues() throws Exception {
        float[][] x = {{1.5f, -2f, 1e-30f}, {0.5f, 3f, -0f}};
        Path f = dir.resolve("over.wav");
        TestAudio.write(f, x, OutputFormat.WAV_FLOAT, 0);
        float[][] y = TestAudio.read(f);
        assertArrayEquals(x[0], y[0]);
        assertArrayEquals(x[1], y[1]);
    }

    @Test
    void writerReportsUnwritablePlaces() {
        Path nowhere = dir.resolve("missing-dir").resolve("x.wav");
        IOException e = assertThrows(IOException.class, () -> AudioWriter.open(nowhere, OutputFormat.WAV16, 0));
        assertTrue(e.getMessage().contains("x.wav"), e.getMessage());
    }

    @Test
    void tagsWrittenByTheWriterAreProbed() throws Exception {
        for (OutputFormat format : new OutputFormat[] {OutputFormat.MP3, OutputFormat.FLAC, OutputFormat.WAV16}) {
            Path f = dir.resolve("tagged." + format.extension());
            try (AudioWriter w = AudioWriter.open(f, format, 128, java.util.Map.of("title", "Stem: drums", "artist", "dme"))) {
                w.write(TestAudio.music(RATE, 6), 0, RATE);
            }
            AudioInfo info = AudioProbe.probe(f);
            assertEquals("Stem: drums", info.title(), format.name());
            assertEquals("dme", info.artist(), format.name());
            assertEquals(RATE, TestAudio.read(f)[0].length, 1152, format.name());
        }
    }

    /** Readers and writers share no state: several threads at once get what one thread gets. */
    @Test
    void concurrentReadersAndWritersAgree() throws Exception {
        float[][] x = TestAudio.music(3 * RATE, 13);
        Path f = dir.resolve("shared.mp3");
        TestAudio.write(f, x, OutputFormat.MP3, 160);
        float[][] expected = TestAudio.read(f);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<float[][]>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int id = i;
                reads.add(pool.submit(() -> {
                    Path own = dir.resolve("own-" + id + ".flac");
                    TestAudio.write(own, x, OutputFormat.FLAC, 0);
                    assertEquals(x[0].length, TestAudio.read(own)[0].length);
                    return TestAudio.read(f);
                }));
            }
            for (java.util.concurrent.Future<float[][]> r : reads) {
                float[][] y = r.get();
                assertArrayEquals(expected[0], y[0]);
                assertArrayEquals(expected[1], y[1]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedReadersAndWritersRefuseWork() throws Exception {
        Path f = dir.resolve("c.wav");
        AudioWriter w = AudioWriter.open(f, OutputFormat.WAV16, 0);
        w.write(TestAudio.music(100, 14), 0, 100);
        w.close();
        w.close(); // harmless
        assertThrows(IllegalStateException.class, () -> w.write(new float[2][1], 0, 1));
        AudioReader r = AudioReader.open(f);
        float[][] buf = new float[2][200];
        assertEquals(100, r.read(buf, 0, 200));
        assertThrows(IndexOutOfBoundsException.class, () -> r.read(buf, 150, 100));
        r.close();
        r.close(); // harmless
        assertThrows(IllegalStateException.class, () -> r.read(buf, 0, 10));
    }

    @Test
    void outputFormatNames() {
        assertEquals(OutputFormat.WAV16, OutputFormat.parse("wav"));
        assertEquals(OutputFormat.WAV16, OutputFormat.parse(" WAV16 "));
        assertEquals(OutputFormat.WAV_FLOAT, OutputFormat.parse("wav-float"));
        assertEquals(OutputFormat.WAV_FLOAT, OutputFormat.parse("wav32"));
        assertEquals(OutputFormat.FLAC, OutputFormat.parse("flac"));
        assertEquals(OutputFormat.MP3, OutputFormat.parse("MP3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse("ogg"));
        assertTrue(e.getMessage().contains("ogg") && e.getMessage().contains("flac"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse(null));
        assertEquals("wav", OutputFormat.WAV_FLOAT.extension());
        assertEquals("audio/mpeg", OutputFormat.MP3.mimeType());
        assertEquals("audio/flac", OutputFormat.FLAC.mimeType());
    }
}
