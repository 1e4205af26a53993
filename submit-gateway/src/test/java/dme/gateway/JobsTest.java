package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.audio.TestAudio;
import dme.core.format.ChunkRecord;
import dme.core.format.JobIds;
import dme.core.format.SongState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** GET /job, GET /job/{id} and GET /music/{id}/jobs from the chunk records the executors write. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobsTest {
    @TempDir
    Path dir;

    @Test
    void jobsComeFromChunkRecords() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 1.0, 440);
            long a = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            long b = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            assertEquals(0, json(g.get("/job")).size());

            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            g.post("/music/" + a, "[1,4]", null);
            g.post("/music/" + b, "[2]", null);
            job.state(a, 1, SongState.SEPARATING, 3, List.of(1, 4), null, null, null);
            ChunkRecord a1 = job.chunk(a, 1, 1, 3);
            job.chunk(a, 1, 0, 3);
            job.chunk(b, 1, 0, 1);

            JsonNode ids = json(g.get("/job"));
            assertEquals(List.of(JobIds.of(a, 0), JobIds.of(a, 1), JobIds.of(b, 0)),
                    List.of(ids.get(0).asLong(), ids.get(1).asLong(), ids.get(2).asLong()));

            JsonNode j = json(g.get("/job/" + a1.jobId()));
            assertEquals(a1.jobId(), j.get("job_id").asLong());
            assertEquals(a1.inputBytes(), j.get("size").asLong());
            // the contract's unit is seconds; dme's page reads the milliseconds
            assertTrue(j.get("time").isNumber(), j.toString());
            assertEquals(a1.processingMs() / 1000.0, j.get("time").asDouble(), 1e-9);
            assertEquals(a1.processingMs(), j.get("time_ms").asLong());
            assertEquals(a, j.get("music_id").asLong());
            assertEquals(2, j.get("track_id").size());
            assertEquals(1, j.get("track_id").get(0).asInt());
            assertEquals(4, j.get("track_id").get(1).asInt());
            assertEquals(a1.startedAt(), j.get("start").asLong());
            assertEquals(a1.finishedAt(), j.get("end").asLong());
            assertEquals("executor-1", j.get("executor").asText());
            assertEquals("host-a", j.get("host").asText());
            assertEquals("spectral", j.get("model").asText());
            assertEquals(0, j.get("attempt").asInt());
            assertEquals(1, j.get("chunk").asInt());
            assertEquals(3, j.get("total_chunks").asInt());
            assertEquals(7.5, j.get("offset_seconds").asDouble(), 1e-9);

            JsonNode songJobs = json(g.get("/music/" + a + "/jobs"));
            assertEquals(2, songJobs.size());
            assertEquals(0, songJobs.get(0).get("chunk").asInt());
            assertEquals(1, songJobs.get(1).get("chunk").asInt());
            assertEquals(1, json(g.get("/music/" + b + "/jobs")).size());

            assertError(g.get("/job/" + JobIds.of(a, 2)), 404);
            assertError(g.get("/job/" + JobIds.of(99, 0)), 404);
            for (String bad : List.of("0", "-5", "x", "99999999999999999999", "%2e%2e")) {
                var r = g.get("/job/" + bad);
                assertError(r, r.statusCode() == 400 ? 400 : 404);
            }
            assertError(g.get("/music/77/jobs"), 404);
        }
    }
}
