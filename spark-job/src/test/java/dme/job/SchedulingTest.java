package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.DmeJob;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.SlowSeparator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Songs in flight share the executors: a short song submitted while a long one is separating is done
 * first, its chunks between the long song's. A separator with a fixed pace per chunk makes the long
 * song long enough to be caught in the middle whatever the machine's speed.
 */
class SchedulingTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pace() {
        System.setProperty(SlowSeparator.MILLIS_PROPERTY, "150");
    }

    @AfterEach
    void unpace() {
        System.clearProperty(SlowSeparator.MILLIS_PROPERTY);
    }

    @Test
    void aShortSongOvertakesALongOneAndSharesTheSlots() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root"))
                .with(DmeConfig.SEPARATOR_CLASS, SlowSeparator.class.getName());
        SparkSession spark = JobSession.create(config);
        DmeJob job = null;
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Submissions submit = new Submissions(storage);
            long longSong = TestSongs.storeMusic(storage, dir, TestAudio.song(90, 1), "long");
            long shortSong = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 2), "short");
            job = StreamingJob.start(spark, config, false);
            submit.requestProcessing(longSong, List.of(1, 2, 3, 4), null);
            long deadline = System.currentTimeMillis() + 300_000;
            while (storage.list(config.layout().chunksDir(longSong)).size() < 2) {
                assertTrue(System.currentTimeMillis() < deadline, "the long song started separating");
                Thread.sleep(50);
            }
            submit.requestProcessing(shortSong, List.of(4), null);
            SongStatus shortDone = awaitFinished(storage, config, shortSong, deadline);
            assertEquals(SongState.DONE, shortDone.state(), shortDone.error());
            SongStatus longNow = storage.readJson(storage.layout().songStatus(longSong), SongStatus.class).orElseThrow();
            assertFalse(longNow.state().finished(), "the long song was still in flight when the short one was done: " + longNow);
            SongStatus longDone = awaitFinished(storage, config, longSong, deadline);
            assertEquals(SongState.DONE, longDone.state(), longDone.error());
            job.processAllAvailable();

            List<Row> order = spark.sql("SELECT music_id FROM jobs WHERE music_id IN (" + longSong + ", " + shortSong
                    + ") ORDER BY started_at, job_id").collectAsList();
            List<Long> ids = order.stream().map(r -> r.getLong(0)).toList();
            int firstShort = ids.indexOf(shortSong);
            int lastShort = ids.lastIndexOf(shortSong);
            assertTrue(firstShort > 0, "the long song's chunks began first: " + ids);
            assertTrue(ids.subList(lastShort, ids.size()).contains(longSong),
                    "long-song chunks ran after the short song's: they shared the slots, not queued behind: " + ids);
            long shortChunks = ids.stream().filter(i -> i == shortSong).count();
            assertEquals(dme.core.chunk.ChunkPlan.of(3 * 44_100, 2, 0.25, 44_100).chunkCount(), shortChunks);
        } finally {
            if (job != null) {
                job.stop();
            }
            spark.stop();
        }
    }

    static SongStatus awaitFinished(Storage storage, DmeConfig config, long id, long deadline) throws Exception {
        while (true) {
            Optional<SongStatus> s = storage.readJson(storage.layout().songStatus(id), SongStatus.class);
            if (s.isPresent() && s.get().state().finished()) {
                return s.get();
            }
            assertTrue(System.currentTimeMillis() < deadline, "song " + id + " finished in time: " + s);
            Thread.sleep(100);
        }
    }
}
