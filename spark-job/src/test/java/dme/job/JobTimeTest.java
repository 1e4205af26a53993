package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /job/{id}} reports {@code time} in seconds, as the original contract says: a chunk on a
 * separator that takes a known time reports that time (within 10 %) in seconds, and {@code time_ms}
 * the same in milliseconds.
 */
class JobTimeTest {
    @TempDir
    Path dir;

    @Test
    void jobTimeIsTheChunksProcessingTimeInSeconds() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.TRIGGER_SECONDS, "0.5")
                .with(DmeConfig.CHUNK_SECONDS, "10")
                .with(DmeConfig.SEPARATOR_CLASS, SlowSeparator.class.getName());
        Path song = dir.resolve("song.wav");
        TestAudio.write(song, TestAudio.song(3.0, 3), OutputFormat.WAV16, 0);

        SparkSession spark = JobSession.create(config);
        DmeJob query = StreamingJob.start(spark, config, false);
        HttpClient http = HttpClient.newHttpClient();
        try (Gateway gateway = Gateway.start(config, 0)) {
            String base = "http://127.0.0.1:" + gateway.port();
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/music"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(song)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode(), up.body());
            long id = Json.mapper().readTree(up.body()).get("music_id").asLong();
            HttpResponse<String> req = http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id))
                    .POST(HttpRequest.BodyPublishers.ofString("[4]")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, req.statusCode(), req.body());

            JsonNode jobs = Json.mapper().createArrayNode();
            long deadline = System.currentTimeMillis() + 180_000;
            while (jobs.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(300);
                jobs = Json.mapper().readTree(get(http, base + "/music/" + id + "/jobs"));
            }
            assertEquals(1, jobs.size(), "a 3 s song is one 10 s chunk: " + jobs);
            JsonNode job = Json.mapper().readTree(get(http, base + "/job/" + jobs.get(0).get("job_id").asLong()));
            double expected = SlowSeparator.millisPerChunk() / 1000.0;
            assertTrue(job.get("time").isNumber(), job.toString());
            double seconds = job.get("time").asDouble();
            assertTrue(Math.abs(seconds - expected) <= 0.1 * expected,
                    "time is " + seconds + " s, the separator took " + expected + " s: " + job);
            assertEquals(job.get("time_ms").asLong() / 1000.0, seconds, 1e-9, job.toString());
            assertEquals("slow-test", job.get("model").asText());
        } finally {
            query.stop();
            spark.stop();
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
