package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad-input corpus made by the test, all in one batch with good songs: each bad file fails with a
 * clear message, each odd-but-valid file is separated, and the good songs are unaffected.
 */
class BadInputTest {
    @TempDir
    Path dir;

    record Case(Path file, String ext, boolean valid, String messagePart) {}

    @Test
    void corpusInOneBatch() throws Exception {
        Path mp3 = dir.resolve("good.mp3");
        TestAudio.write(mp3, TestAudio.song(6, 2), OutputFormat.MP3, 192);
        byte[] mp3Bytes = Files.readAllBytes(mp3);
        byte[] corrupt = mp3Bytes.clone();
        for (int i = corrupt.length / 2; i < corrupt.length / 2 + 1500; i++) {
            corrupt[i] = (byte) (i * 37);
        }
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("empty", new Case(Files.write(dir.resolve("empty.mp3"), new byte[0]), "mp3", false, "empty"));
        cases.put("one byte", new Case(Files.write(dir.resolve("one.wav"), new byte[] {7}), "wav", false, "cannot decode"));
        cases.put("text as mp3", new Case(Files.writeString(dir.resolve("text.mp3"), "not audio\n".repeat(300)), "mp3", false, "cannot decode"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
        cases.put("png as wav", new Case(Files.write(dir.resolve("image.wav"), png), "wav", false, "cannot decode"));
        cases.put("zero-length audio", new Case(TestAudio.foreign(dir.resolve("zero.wav"), "wav",
                avcodec.AV_CODEC_ID_PCM_S16LE, avutil.AV_SAMPLE_FMT_S16, 44_100, 2, 0), "wav", false, "no audio samples"));
        cases.put("truncated mp3", new Case(Files.write(dir.resolve("cut.mp3"),
                java.util.Arrays.copyOf(mp3Bytes, mp3Bytes.length / 2)), "mp3", true, null));
        cases.put("corrupt frame mp3", new Case(Files.write(dir.resolve("corrupt.mp3"), corrupt), "mp3", true, null));
        cases.put("silence", new Case(TestAudio.foreign(dir.resolve("silence.flac"), "flac",
                avcodec.AV_CODEC_ID_FLAC, avutil.AV_SAMPLE_FMT_S16, 44_100, 2, 0.0001), "flac", true, null));
        cases.put("8 kHz mono", new Case(TestAudio.foreign(dir.resolve("mono8k.wav"), "wav",
                avcodec.AV_CODEC_ID_PCM_S16LE, avutil.AV_SAMPLE_FMT_S16, 8000, 1, 3), "wav", true, null));
        cases.put("96 kHz 5.1", new Case(TestAudio.foreign(dir.resolve("surround.flac"), "flac",
                avcodec.AV_CODEC_ID_FLAC, avutil.AV_SAMPLE_FMT_S32, 96_000, 6, 2.5), "flac", true, null));
        cases.put("8-bit wav", new Case(TestAudio.foreign(dir.resolve("u8.wav"), "wav",
                avcodec.AV_CODEC_ID_PCM_U8, avutil.AV_SAMPLE_FMT_U8, 22_050, 2, 2), "wav", true, null));
        cases.put("good song", new Case(mp3, "mp3", true, null));

        DmeConfig config = TestSongs.config(dir.resolve("root"));
        SparkSession spark = JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Submissions submit = new Submissions(storage);
            Map<String, Long> ids = new LinkedHashMap<>();
            for (Map.Entry<String, Case> e : cases.entrySet()) {
                long id = TestSongs.store(storage, e.getValue().file(), e.getValue().ext(), e.getKey());
                submit.requestProcessing(id, List.of(1, 2), null);
                ids.put(e.getKey(), id);
            }
            // A malformed request file next to the good ones must not stop the stream.
            storage.writeAtomically(config.layout().request(999, 1), "{not json".getBytes());

            StreamingJob.start(spark, config, true).awaitTermination();

            for (Map.Entry<String, Case> e : cases.entrySet()) {
                long id = ids.get(e.getKey());
                SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
                Case c = e.getValue();
                if (c.valid()) {
                    assertEquals(SongState.DONE, s.state(), e.getKey() + ": " + s.error());
                    float[][] drums = TestAudio.read(Paths.get(config.layout().stem(id, Stem.DRUMS, "wav").toUri()));
                    assertEquals(Math.round(s.durationSeconds() * 44_100), drums[0].length, 1, e.getKey());
                } else {
                    assertEquals(SongState.FAILED, s.state(), e.getKey());
                    assertTrue(s.error() != null && s.error().contains(c.messagePart()),
                            e.getKey() + " gives a clear error: " + s.error());
                    assertFalse(storage.exists(config.layout().stemsDir(id)), e.getKey() + " leaves no stems");
                }
            }
            assertEquals(cases.size(), spark.sql("SELECT * FROM songs").count(), "every song has its row");
            long good = ids.get("good song");
            float[][] vocals = TestAudio.read(Paths.get(config.layout().stem(good, Stem.VOCALS, "wav").toUri()));
            assertTrue(vocals[0].length > 44_100 * 5, "the good song is whole");
        } finally {
            spark.stop();
        }
    }
}
