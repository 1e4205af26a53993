package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.DmeJob;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reset while a song is being separated: nothing of the old song reappears, new songs go on. */
class ResetWhileProcessingTest {
    @TempDir
    Path dir;

    @Test
    void resetDiscardsWorkInFlight() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.TRIGGER_SECONDS, "0.5");
        SparkSession spark = JobSession.create(config);
        DmeJob query = null;
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Submissions submit = new Submissions(storage);
            long old = TestSongs.storeMusic(storage, dir, TestAudio.song(30, 1), "old");
            submit.requestProcessing(old, List.of(1), null);
            query = StreamingJob.start(spark, config, false);
            long deadline = System.currentTimeMillis() + 180_000;
            while (storage.list(config.layout().chunksDir(old)).isEmpty()) {
                assertTrue(System.currentTimeMillis() < deadline, "separation started");
                Thread.sleep(50);
            }
            submit.resetAll();

            long fresh = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 2), "fresh");
            assertTrue(fresh > old, "ids are never reused");
            submit.requestProcessing(fresh, List.of(4), null);
            while (true) {
                assertTrue(System.currentTimeMillis() < deadline, "the new song was processed");
                if (storage.exists(config.layout().songStatus(fresh))) {
                    SongStatus s = Json.read(storage.readAll(config.layout().songStatus(fresh)), SongStatus.class);
                    if (s.state() == SongState.DONE) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
            query.processAllAvailable();
            assertFalse(storage.exists(config.layout().songDir(old)), "no file of the old song reappeared");
            assertFalse(storage.exists(config.layout().statusDir(old)), "no status of the old song reappeared");
            assertEquals(0, spark.sql("SELECT * FROM jobs WHERE music_id = " + old).count(), "its job rows are purged");
            assertEquals(0, spark.sql("SELECT * FROM songs WHERE music_id = " + old).count());
            assertEquals(1, spark.sql("SELECT * FROM songs WHERE music_id = " + fresh).count());
        } finally {
            if (query != null) {
                query.stop();
            }
            spark.stop();
        }
    }
}
