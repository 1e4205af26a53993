package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DecodeLimitException;
import dme.core.DecodeLimits;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioProbe;
import dme.core.audio.AudioReader;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.gateway.Gateway;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.stage.DecodeSong;
import dme.job.stage.HadoopConf;
import dme.job.stage.JobContext;
import dme.job.stage.SongTask;
import dme.job.stage.SparkTask;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose headers lie about how much audio they hold: the length is measured, not believed, at
 * upload and while the job decodes, and decoding stops at the configured limits. Audio made by the
 * test with the ffmpeg program (headerless MP3s, a 384 kHz 7.1 FLAC) and decoded by the real pipeline.
 */
class DecodeLimitsTest {
    @TempDir
    Path dir;

    /**
     * 10 s at 160 kbit/s, then {@code lowSeconds} at 8 kbit/s, as one MP3 stream without a Xing header:
     * FFmpeg estimates the length from the first frames' bit rate, 20 times too short.
     */
    private Path lyingMp3(double lowSeconds) throws Exception {
        Path high = ffmpeg("high.mp3", "sine=frequency=440:sample_rate=24000:duration=10", "-ac", "2", "-c:a",
                "libmp3lame", "-b:a", "160k", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3");
        Path low = ffmpeg("low.mp3", "sine=frequency=330:sample_rate=24000:duration=" + lowSeconds, "-ac", "2", "-c:a",
                "libmp3lame", "-b:a", "8k", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3");
        Path lying = Files.write(dir.resolve("lying.mp3"), Files.readAllBytes(high));
        Files.write(lying, Files.readAllBytes(low), StandardOpenOption.APPEND);
        return lying;
    }

    /** A few seconds of 384 kHz 7.1 silence in FLAC: a few kB that decode to megabytes. */
    private Path flacBomb(double seconds) throws Exception {
        return ffmpeg("bomb.flac", "anullsrc=r=384000:cl=7.1", "-t", String.valueOf(seconds), "-c:a", "flac");
    }

    private Path ffmpeg(String name, String lavfi, String... args) throws Exception {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", lavfi));
        cmd.addAll(Arrays.asList(args));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg " + cmd + ": " + log);
        return out;
    }

    private static double headerSeconds(Path f) throws IOException {
        try (AudioReader r = AudioReader.open(f)) {
            return r.info().durationSeconds();
        }
    }

    @Test
    void probeMeasuresWhatTheFileHolds() throws Exception {
        Path lying = lyingMp3(120);
        assertTrue(headerSeconds(lying) < 20, "FFmpeg's bit rate estimate is fooled: " + headerSeconds(lying));
        assertEquals(130, AudioProbe.probe(lying).durationSeconds(), 0.5, "the probe counts the packets");
        double bounded = AudioProbe.probe(lying, 60).durationSeconds();
        assertTrue(bounded > 60 && bounded < 130, "counting stops just past the limit it is given: " + bounded);

        // 30 s with a Xing header that says so, cut after a few frames.
        Path full = dir.resolve("full.mp3");
        TestAudio.write(full, TestAudio.song(30, 3), OutputFormat.MP3, 128);
        Path cut = Files.write(dir.resolve("cut.mp3"), Arrays.copyOf(Files.readAllBytes(full), 7000));
        assertEquals(30, headerSeconds(cut), 0.1, "the header claims the whole song");
        double decoded = TestAudio.read(cut)[0].length / 44_100.0;
        assertTrue(decoded < 1, "a few frames decode: " + decoded);
        assertEquals(decoded, AudioProbe.probe(cut).durationSeconds(), 0.1, "the probe reports what is there");
    }

    @Test
    void probedFilesAreCheckedAgainstTheLimitsBeforeAnyDecoding() throws Exception {
        DecodeLimits limits = TestSongs.config(dir).with(DmeConfig.UPLOAD_MAX_SECONDS, "60")
                .with(DmeConfig.DECODE_MAX_BYTES, String.valueOf(8 << 20)).decodeLimits();
        DecodeLimitException tooLong = assertThrows(DecodeLimitException.class,
                () -> limits.checkSource(AudioProbe.probe(lyingMp3(120), 60)));
        assertTrue(tooLong.getMessage().contains("longer than the limit of 60 s"), tooLong.getMessage());
        DecodeLimitException bomb = assertThrows(DecodeLimitException.class,
                () -> limits.checkSource(AudioProbe.probe(flacBomb(4), 60)));
        assertTrue(bomb.getMessage().contains("4 s of 384000 Hz 8-channel audio"), bomb.getMessage());
        Path good = dir.resolve("good.flac");
        TestAudio.write(good, TestAudio.song(3, 1), OutputFormat.FLAC, 0);
        limits.checkSource(AudioProbe.probe(good, 60));
    }

    @Test
    void scratchAndFreeSpaceLimitsNameTheirSetting() throws Exception {
        DecodeLimits limits = new DecodeLimits(60, 1L << 30, 1L << 20, Long.MAX_VALUE);
        limits.check(44_100, 44_100, 88_200, 1L << 20);
        DecodeLimitException scratch = assertThrows(DecodeLimitException.class,
                () -> limits.check(44_100, 44_100, 88_200, (1L << 20) + 1));
        assertTrue(scratch.getMessage().contains("1 MiB of local scratch space (" + DmeConfig.LOCAL_SCRATCH_MAX_BYTES + ")"),
                scratch.getMessage());
        DecodeLimitException full = assertThrows(DecodeLimitException.class, () -> limits.checkFreeSpace(dir, 1.5));
        assertTrue(full.getMessage().contains(DmeConfig.LOCAL_MIN_FREE_BYTES) && full.getMessage().contains("1.5 s"),
                full.getMessage());
    }

    @Test
    void gatewayRefusesAnUploadLongerThanTheLimitWhateverItsHeaderSays() throws Exception {
        Path lying = lyingMp3(120);
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.UPLOAD_MAX_SECONDS, "60");
        HttpClient http = HttpClient.newHttpClient();
        try (Gateway gateway = Gateway.start(config, 0)) {
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/music?name=Lying"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(lying)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(up.statusCode() >= 400 && up.statusCode() < 500, up.statusCode() + " " + up.body());
            assertTrue(up.body().contains("too long"), up.body());
        }
    }

    /**
     * One batch: a song longer than the limit (its header says it is short), a decompression bomb and a
     * good song. The first two fail with errors that name the limit and leave no local scratch; the good
     * one is separated. The run starts by sweeping a crash leftover of an earlier run.
     */
    @Test
    void jobStopsDecodingAtTheLimits() throws Exception {
        Path lying = lyingMp3(120);
        Path bomb = flacBomb(4);
        assertTrue(Files.size(bomb) < 200_000, "the bomb is small: " + Files.size(bomb));
        Path scratch = Files.createDirectories(dir.resolve("local"));
        DmeConfig config = TestSongs.config(dir.resolve("root"))
                .with(DmeConfig.LOCAL_TMP, scratch.toString())
                .with(DmeConfig.UPLOAD_MAX_SECONDS, "60")
                // 4 s of 384 kHz 7.1 are 24.6 MB as 16-bit samples; 60 s of 24 kHz stereo 5.8 MB
                .with(DmeConfig.DECODE_MAX_BYTES, String.valueOf(8 << 20));
        SparkSession spark = JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Path stalePart = Files.createDirectories(Path.of(config.layout().tmpDir().toUri())).resolve("crashed.part");
            Files.write(stalePart, new byte[1000]);
            Files.setLastModifiedTime(stalePart, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() - (config.scratchMaxAgeSeconds() + 60) * 1000));

            Submissions submit = new Submissions(storage);
            long lyingId = TestSongs.store(storage, lying, "mp3", "Lying MP3");
            long bombId = TestSongs.store(storage, bomb, "flac", "Bomb");
            long goodId = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 4), "Good");
            for (long id : List.of(lyingId, bombId, goodId)) {
                submit.requestProcessing(id, List.of(1, 4), null);
            }
            StreamingJob.start(spark, config, true).awaitTermination();

            SongStatus lyingStatus = status(storage, config, lyingId);
            assertEquals(SongState.FAILED, lyingStatus.state());
            assertTrue(lyingStatus.error().contains("longer than the limit of 60 s (" + DmeConfig.UPLOAD_MAX_SECONDS + ")"),
                    lyingStatus.error());
            SongStatus bombStatus = status(storage, config, bombId);
            assertEquals(SongState.FAILED, bombStatus.state());
            assertTrue(bombStatus.error().contains("more than the limit of 8 MiB of audio")
                    && bombStatus.error().contains(DmeConfig.DECODE_MAX_BYTES), bombStatus.error());
            for (long id : List.of(lyingId, bombId)) {
                assertFalse(storage.exists(config.layout().stemsDir(id)), "a failed song has no stems");
            }
            SongStatus goodStatus = status(storage, config, goodId);
            assertEquals(SongState.DONE, goodStatus.state(), goodStatus.error());
            assertEquals(3.0, goodStatus.durationSeconds(), 0.01);

            try (Stream<Path> left = Files.list(scratch)) {
                assertEquals(List.of(), left.toList(), "no local scratch remains");
            }
            assertFalse(Files.exists(stalePart), "the job's start swept a stale staging file");
        } finally {
            spark.stop();
        }
    }

    private static SongStatus status(Storage storage, DmeConfig config, long id) throws IOException {
        SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
        assertNotNull(s);
        return s;
    }

    /**
     * A cancelled Spark job stops a decoding in progress: the task ends (killed, not finished) long
     * before the song is decoded, and its scratch is removed.
     */
    @Test
    void cancellingTheJobStopsDecoding() throws Exception {
        // An hour of 8 kHz mono: 29 MB that decode to 1.27 GB of 44.1 kHz stereo scratch.
        Path hour = u8Wav(dir.resolve("hour.wav"), 8000, 3600);
        Path scratch = Files.createDirectories(dir.resolve("local"));
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.LOCAL_TMP, scratch.toString());
        SparkSession spark = JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            long id = TestSongs.store(storage, hour, "wav", "An hour");
            SongMeta meta = storage.readJson(config.layout().meta(id), SongMeta.class).orElseThrow();
            SongTask song = SongTask.of(new dme.core.format.ProcessRequest(id, 1, List.of(1), "wav", 0), meta, "wav");
            JobContext ctx = new JobContext(config, new HadoopConf(spark.sparkContext().hadoopConfiguration()));
            DecodeSong decode = new DecodeSong(ctx);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Throwable[] failure = new Throwable[1];
            Thread job = new Thread(() -> {
                // No thread interrupt: the task's kill flag alone must stop the decoding.
                jsc.setJobGroup("decode", "decode to be cancelled", false);
                try {
                    jsc.parallelize(List.of(song), 1).map(s -> decode.decode(s, SparkTask.current())).count();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            job.start();
            long seen = 0;
            while (seen < 20_000_000 && job.isAlive()) {
                seen = pcmBytes(scratch);
                Thread.sleep(10);
            }
            assertTrue(job.isAlive(), "the decoding was still running when it was cancelled (" + seen + " bytes)");
            jsc.cancelJobGroup("decode");
            long most = seen;
            while (job.isAlive()) {
                most = Math.max(most, pcmBytes(scratch));
                Thread.sleep(10);
            }
            assertNotNull(failure[0], "the job did not complete");
            assertTrue(String.valueOf(failure[0].getMessage()).contains("cancelled"), String.valueOf(failure[0]));
            long full = 3600L * 44_100 * 8;
            assertTrue(most < full / 4, "decoding stopped soon after the cancel: " + most + " of " + full + " bytes");
            long deadline = System.currentTimeMillis() + 30_000;
            while (pcmBytes(scratch) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            try (Stream<Path> left = Files.list(scratch)) {
                assertEquals(List.of(), left.toList(), "the killed task's scratch is removed");
            }
            assertFalse(storage.exists(config.layout().songStatus(id)), "the killed task wrote no song state");
        } finally {
            spark.stop();
        }
    }

    /** A mono 8-bit PCM WAV of a tone, written directly (long files without holding them in memory). */
    private static Path u8Wav(Path file, int rate, int seconds) throws IOException {
        int n = rate * seconds;
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate).putShort((short) 1)
                .putShort((short) 8).put("data".getBytes()).putInt(n);
        byte[] second = new byte[rate];
        for (int i = 0; i < rate; i++) {
            second[i] = (byte) (128 + 60 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(h.array());
            for (int s = 0; s < seconds; s++) {
                out.write(second);
            }
        }
        return file;
    }

    private static long pcmBytes(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().startsWith(dme.core.LocalScratch.PCM_PREFIX)) {
                    try {
                        total += Files.size(p);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // removed meanwhile
                    }
                }
            }
        }
        return total;
    }
}
