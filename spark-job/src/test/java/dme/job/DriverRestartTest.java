package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver is killed (SIGKILL) while one song is separating and two more wait for a place (one song
 * in flight), and started again on the same checkpoint and queue: every admitted song is processed
 * exactly once, outputs are complete, and the tables count each song and chunk once.
 */
class DriverRestartTest {
    @TempDir
    Path dir;

    private Process startJob(DmeConfig config, Path log, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path conf = Paths.get(System.getProperty("dme.conf.dir", "../conf")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1500m",
                "@" + conf.resolve("jvm.options"), "-Dlog4j2.configurationFile=" + conf.resolve("log4j2-test.properties"),
                "-cp", classpath, StreamingJob.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        config.asMap().forEach((k, v) -> pb.environment().put(DmeConfig.envName(k), v));
        return pb.start();
    }

    @Test
    void killedDriverRestartsWithoutLossOrDoubleCounting() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.SPARK_MASTER, "local[2]")
                .with(DmeConfig.MAX_SONGS_IN_FLIGHT, "1");
        Storage storage = Storage.open(config.layout());
        Submissions submit = new Submissions(storage);
        float[][] music = TestAudio.song(24, 9);
        long first = TestSongs.storeMusic(storage, dir, music, "first");
        long second = TestSongs.storeMusic(storage, dir, TestAudio.song(5, 10), "second");
        long third = TestSongs.storeMusic(storage, dir, TestAudio.song(4, 11), "third");
        submit.requestProcessing(first, List.of(1, 4), null);
        submit.requestProcessing(second, List.of(2), null);
        submit.requestProcessing(third, List.of(3), null);

        Process job = startJob(config, dir.resolve("job1.log"));
        long deadline = System.currentTimeMillis() + 180_000;
        while (storage.list(config.layout().chunksDir(first)).size() < 2) {
            assertTrue(job.isAlive(), "the first driver died by itself");
            assertTrue(System.currentTimeMillis() < deadline, "no chunk finished in time");
            Thread.sleep(200);
        }
        job.destroyForcibly();
        assertTrue(job.waitFor(30, TimeUnit.SECONDS));
        SongStatus midway = Json.read(storage.readAll(config.layout().songStatus(first)), SongStatus.class);
        assertEquals(SongState.SEPARATING, midway.state(), "the driver was killed mid-song");
        for (long waiting : List.of(second, third)) {
            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(waiting)), SongStatus.class);
            assertEquals(SongState.QUEUED, s.state(), "song " + waiting + " was waiting for a place");
            assertTrue(storage.exists(config.layout().queueEntry(waiting)), "song " + waiting + " was admitted");
        }

        Process again = startJob(config, dir.resolve("job2.log"), "--once");
        assertTrue(again.waitFor(300, TimeUnit.SECONDS), "the restarted batch finished");
        assertEquals(0, again.exitValue(), "restarted job exit code");

        for (long id : List.of(first, second, third)) {
            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
            assertEquals(SongState.DONE, s.state(), "song " + id + ": " + s.error());
        }
        float[][] vocals = TestAudio.read(Paths.get(config.layout().stem(first, Stem.VOCALS, "wav").toUri()));
        assertEquals(music[0].length, vocals[0].length, "the stem is complete");

        SparkSession spark = JobSession.create(config);
        try {
            assertEquals(3, spark.sql("SELECT * FROM songs").count(), "one row per song");
            assertEquals(3, spark.sql("SELECT * FROM songs WHERE status = 'DONE'").count());
            List<Row> dup = spark.sql("SELECT job_id, count(*) c FROM jobs GROUP BY job_id, attempt HAVING c > 1").collectAsList();
            assertTrue(dup.isEmpty(), "no job row counted twice: " + dup);
            int chunks = dme.core.chunk.ChunkPlan.of(music[0].length, 2, 0.25, 44_100).chunkCount();
            assertEquals(chunks, spark.sql("SELECT DISTINCT job_id FROM jobs WHERE music_id = " + first).count());
            assertTrue(storage.list(config.layout().queueDir()).isEmpty(), "nothing is left in the queue");
        } finally {
            spark.stop();
        }
    }
}
