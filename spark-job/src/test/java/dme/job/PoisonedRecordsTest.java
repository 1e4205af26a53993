package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record the job reads back from storage is untrusted: request files with a negative or zero
 * id, no tracks, bad JSON, a request for a song whose meta.json is truncated, a damaged cancel
 * request and a damaged queue entry lie next to a good song. A batch run ({@code --once}) separates
 * the good song, fails the damaged one with a clear message, and a second run over the same
 * checkpoint and queue (a restart) does the same instead of dying on the same records.
 */
class PoisonedRecordsTest {
    @TempDir
    Path dir;

    @Test
    void poisonedRecordsFailTheirOwnSongAndNeverTheStream() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root"));
        Storage storage = Storage.open(config.layout());
        Submissions submit = new Submissions(storage);
        long good = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 1), "good");
        long damaged = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 2), "damaged meta");
        long cancelled = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 3), "damaged cancel record");
        submit.requestProcessing(good, List.of(1, 4), null);
        submit.requestProcessing(damaged, List.of(2), null);
        submit.requestProcessing(cancelled, List.of(3), null);
        byte[] meta = storage.readAll(config.layout().meta(damaged));
        storage.writeAtomically(config.layout().meta(damaged), java.util.Arrays.copyOf(meta, meta.length / 2));
        storage.writeAtomically(config.layout().cancelRequest(cancelled), "{\"music_id\": ".getBytes(StandardCharsets.UTF_8));
        String[] poisoned = {
            "{\"music_id\": -5, \"seq\": 1, \"tracks\": [1]}",
            "{\"music_id\": 0, \"seq\": 1, \"tracks\": [1]}",
            "{\"music_id\": 77, \"seq\": 1}",
            "{\"music_id\": 78, \"seq\": 1, \"tracks\": [1, null]}",
            "[1, 2, 3]",
            "{not json",
            "",
        };
        for (int i = 0; i < poisoned.length; i++) {
            storage.writeAtomically(new org.apache.hadoop.fs.Path(config.layout().requestsDir(), "poison-" + i + ".json"),
                    poisoned[i].getBytes(StandardCharsets.UTF_8));
        }
        storage.writeAtomically(config.layout().queueEntry(4242), "{\"request\": {\"music_id\"".getBytes(StandardCharsets.UTF_8));

        for (int run = 1; run <= 2; run++) {
            SparkSession spark = JobSession.create(config);
            try {
                StreamingJob.start(spark, config, true).awaitTermination();
            } finally {
                spark.stop();
            }
            SongStatus g = storage.readJson(storage.layout().songStatus(good), SongStatus.class).orElseThrow();
            assertEquals(SongState.DONE, g.state(), "run " + run + ": " + g.error());
            SongStatus c = storage.readJson(storage.layout().songStatus(cancelled), SongStatus.class).orElseThrow();
            assertEquals(SongState.DONE, c.state(), "run " + run + ": an unreadable cancel record is ignored: " + c.error());
            SongStatus d = storage.readJson(storage.layout().songStatus(damaged), SongStatus.class).orElseThrow();
            assertEquals(SongState.FAILED, d.state(), "run " + run);
            assertTrue(d.error().contains("meta.json") && d.error().contains("damaged"), d.error());
            assertTrue(!storage.exists(config.layout().queueEntry(4242)), "the damaged queue entry was dropped");
            if (run == 1) {
                // the restart sees the same records again, and a new request next to them
                submit.requestProcessing(good, List.of(4), null);
            }
        }
        assertEquals(List.of(4), storage.readJson(storage.layout().songStatus(good), SongStatus.class).orElseThrow().tracks(), "the second run's request was served");
    }
}
