package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.gateway.Gateway;
import dme.job.driver.DmeJob;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.SlowSeparator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel and delete stop a song's work: once {@code POST /music/{id}/cancel} or {@code DELETE
 * /music/{id}} has answered, no task of the song starts any more (Spark's own task launch events),
 * its partial outputs are gone, and the next song is processed.
 */
class CancelTest {
    @TempDir
    Path dir;

    private DmeConfig config;
    private SparkSession spark;
    private DmeJob job;
    private Gateway gateway;
    private Storage storage;
    private TaskLaunches launches;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        System.setProperty(SlowSeparator.MILLIS_PROPERTY, "200");
        // the answer waits for the job's confirmation; generous here, the machine may be busy
        config = TestSongs.config(dir.resolve("root"))
                .with(DmeConfig.SEPARATOR_CLASS, SlowSeparator.class.getName())
                .with(DmeConfig.CANCEL_WAIT_SECONDS, "60");
        spark = JobSession.create(config);
        launches = new TaskLaunches();
        spark.sparkContext().addSparkListener(launches);
        storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
        job = StreamingJob.start(spark, config, false);
        gateway = Gateway.start(config, 0);
    }

    @AfterEach
    void stop() {
        System.clearProperty(SlowSeparator.MILLIS_PROPERTY);
        System.clearProperty(SlowSeparator.LINGER_PROPERTY);
        gateway.close();
        job.stop();
        spark.stop();
    }

    @Test
    void cancelStopsTheSongsTasksAndRemovesItsPartialOutputs() throws Exception {
        long id = startLongSong("to cancel");
        HttpResponse<String> r = send("POST", "/music/" + id + "/cancel");
        long answered = System.currentTimeMillis();
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = Json.mapper().readTree(r.body());
        assertTrue(body.get("stopped").asBoolean(), r.body());

        SongStatus s = SchedulingTest.awaitFinished(storage, config, id, answered + 120_000);
        assertEquals(SongState.CANCELLED, s.state(), String.valueOf(s.error()));
        assertNoTaskAfter(id, 1, answered);
        assertFalse(storage.exists(config.layout().chunkScratchDir(id, 1)), "separated chunks removed");
        assertTrue(storage.list(config.layout().chunksDir(id)).isEmpty(), "its chunk records removed");
        assertTrue(storage.list(config.layout().stemsDir(id)).isEmpty(), "no stems published");
        JsonNode progress = Json.mapper().readTree(send("GET", "/music/" + id).body());
        assertEquals("cancelled", progress.get("state").asText(), progress.toString());
        assertEquals(409, send("POST", "/music/" + id + "/cancel").statusCode(), "nothing left to cancel");

        assertNextSongCompletes();
    }

    @Test
    void deleteStopsTheSongsTasksAndLeavesNothing() throws Exception {
        long id = startLongSong("to delete");
        HttpResponse<String> r = send("DELETE", "/music/" + id);
        long answered = System.currentTimeMillis();
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Json.mapper().readTree(r.body()).get("stopped").asBoolean(), r.body());

        assertNextSongCompletes();
        assertNoTaskAfter(id, 1, answered);
        assertFalse(storage.exists(config.layout().songDir(id)), "its files are gone");
        assertFalse(storage.exists(config.layout().statusDir(id)), "its status is gone");
        assertFalse(storage.exists(config.layout().chunkScratchDir(id, 1)), "its separated chunks are gone");
        assertFalse(storage.exists(config.layout().queueEntry(id)), "nothing of it stays queued");
    }

    /**
     * A task that works on after its interrupt (a model call) still holds its slot and could still
     * write its chunk: the cancel is confirmed only once Spark saw every task of the song end, and
     * nothing it wrote stays behind.
     */
    @Test
    void cancelIsConfirmedOnceTheSongsTasksEnded() throws Exception {
        System.setProperty(SlowSeparator.LINGER_PROPERTY, "1500");
        long id = startLongSong("slow to stop");
        HttpResponse<String> r = send("POST", "/music/" + id + "/cancel");
        long answered = System.currentTimeMillis();
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Json.mapper().readTree(r.body()).get("stopped").asBoolean(), r.body());

        List<Long> starts = launches.of(id, 1);
        long deadline = System.currentTimeMillis() + 60_000;
        while (launches.endsOf(id, 1).size() < starts.size()) { // the test's listener hears it a little later
            assertTrue(System.currentTimeMillis() < deadline, "every task of the song ended");
            Thread.sleep(50);
        }
        long lastEnd = launches.endsOf(id, 1).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(lastEnd <= answered, "the last task ended " + (lastEnd - answered) + " ms after the answer");
        assertFalse(storage.exists(config.layout().chunkScratchDir(id, 1)), "separated chunks removed");
        assertTrue(storage.list(config.layout().chunksDir(id)).isEmpty(), "its chunk records removed");
    }

    @Test
    void aNewerRequestStopsTheOlderOneAndRunsAfterIt() throws Exception {
        long id = startLongSong("changed mind");
        long asked = System.currentTimeMillis();
        assertEquals(200, send("POST", "/music/" + id, "[4]").statusCode());
        SongStatus s = SchedulingTest.awaitFinished(storage, config, id, asked + 300_000);
        while (s.requestSeq() < 2) {
            Thread.sleep(100);
            s = SchedulingTest.awaitFinished(storage, config, id, asked + 300_000);
        }
        assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
        assertEquals(List.of(4), s.tracks());
        assertTrue(storage.exists(config.layout().mix(id, List.of(dme.core.Stem.VOCALS), "wav")), "the new mix");
        List<Long> first = launches.of(id, 1);
        List<Long> second = launches.of(id, 2);
        assertFalse(second.isEmpty(), "the newer request ran");
        long lastOfFirst = first.stream().mapToLong(Long::longValue).max().orElseThrow();
        long firstOfSecond = second.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(lastOfFirst < firstOfSecond, "the two requests never ran at once");
    }

    /** A long song, separating: some of its chunks are done. */
    private long startLongSong(String name) throws Exception {
        long id = TestSongs.storeMusic(storage, dir, TestAudio.song(90, 7), name);
        assertEquals(200, send("POST", "/music/" + id, "[1,2,3,4]").statusCode());
        long deadline = System.currentTimeMillis() + 300_000;
        while (storage.list(config.layout().chunksDir(id)).size() < 2) {
            assertTrue(System.currentTimeMillis() < deadline, "the long song started separating");
            Thread.sleep(50);
        }
        return id;
    }

    private void assertNoTaskAfter(long id, long seq, long answered) {
        List<Long> starts = launches.of(id, seq);
        assertFalse(starts.isEmpty(), "the song's tasks were seen");
        List<Long> late = starts.stream().filter(t -> t > answered).toList();
        assertTrue(late.isEmpty(), late.size() + " of the song's " + starts.size() + " tasks started after the answer");
    }

    private void assertNextSongCompletes() throws Exception {
        long next = TestSongs.storeMusic(storage, dir, TestAudio.song(3, 8), "next");
        assertEquals(200, send("POST", "/music/" + next, "[4]").statusCode());
        SongStatus s = SchedulingTest.awaitFinished(storage, config, next, System.currentTimeMillis() + 120_000);
        assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, null);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
