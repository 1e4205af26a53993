package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload over HTTP → process request → the streaming job → progress reaches 100 → the stems and the
 * mix download over HTTP and decode to the song's length.
 */
class GatewayEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void uploadProcessWatchAndDownload() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.TRIGGER_SECONDS, "0.5")
                .with(DmeConfig.OUTPUT_FORMAT, "flac");
        float[][] music = TestAudio.song(6.2, 8);
        Path song = dir.resolve("song.mp3");
        TestAudio.write(song, music, OutputFormat.MP3, 192);
        int frames = TestAudio.read(song)[0].length;

        SparkSession spark = JobSession.create(config);
        DmeJob query = StreamingJob.start(spark, config, false);
        HttpClient http = HttpClient.newHttpClient();
        try (Gateway gateway = Gateway.start(config, 0)) {
            String base = "http://127.0.0.1:" + gateway.port();
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/music?name=E2E&band=Tests"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(song)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode(), up.body());
            JsonNode music1 = Json.mapper().readTree(up.body());
            long id = music1.get("music_id").asLong();
            assertEquals(4, music1.get("tracks").size());

            HttpResponse<String> req = http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id))
                    .POST(HttpRequest.BodyPublishers.ofString("[1,4]")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, req.statusCode(), req.body());

            JsonNode progress = null;
            int lastSeen = -1;
            long deadline = System.currentTimeMillis() + 240_000;
            while (System.currentTimeMillis() < deadline) {
                progress = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                int p = progress.get("progress").asInt();
                assertTrue(p >= lastSeen, "progress never goes back: " + lastSeen + " then " + p);
                lastSeen = p;
                if (p == 100) {
                    break;
                }
                Thread.sleep(300);
            }
            assertNotNull(progress);
            assertEquals(100, progress.get("progress").asInt(), progress.toString());
            assertEquals(4, progress.get("instruments").size(), progress.toString());
            for (JsonNode inst : progress.get("instruments")) {
                assertEquals(frames, download(http, base, inst.get("track").asText(), dir.resolve(inst.get("name").asText() + ".flac")));
            }
            assertEquals(frames, download(http, base, progress.get("final").asText(), dir.resolve("final.flac")));

            query.processAllAvailable(); // the batch commits its table rows after the song is done
            JsonNode jobs = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/job")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(spark.sql("SELECT DISTINCT job_id FROM jobs").count(), jobs.size(), "GET /job agrees with the table");

            // Another format of the separated song (POST /music/{id}?format=mp3): rendered from the
            // masters, the separator is not run again, so no job row is added.
            long rows = spark.sql("SELECT * FROM jobs").count();
            HttpResponse<String> mp3 = http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id + "?format=mp3"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tracks\":[1,4],\"gains\":{\"4\":0.5},\"bitrate\":128}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, mp3.statusCode(), mp3.body());
            long seq = Json.mapper().readTree(mp3.body()).get("request_seq").asLong();
            deadline = System.currentTimeMillis() + 240_000;
            do {
                Thread.sleep(300);
                progress = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } while (!(progress.get("request_seq").asLong() == seq && progress.get("progress").asInt() == 100)
                    && !"failed".equals(progress.get("state").asText()) && System.currentTimeMillis() < deadline);
            assertEquals(100, progress.get("progress").asInt(), progress.toString());
            assertTrue(progress.get("final").asText().endsWith("/mixes/1-4x0.5.mp3"), progress.toString());
            assertTrue(progress.get("instruments").get(0).get("track").asText().endsWith(".mp3"), progress.toString());
            assertEquals(frames, download(http, base, progress.get("final").asText(), dir.resolve("final.mp3")), 1152);
            query.processAllAvailable();
            assertEquals(rows, spark.sql("SELECT * FROM jobs").count(), "no new job rows: nothing was separated again");
        } finally {
            query.stop();
            spark.stop();
        }
    }

    private static int download(HttpClient http, String base, String url, Path to) throws Exception {
        URI uri = url.startsWith("http") ? URI.create(url) : URI.create(base + url);
        HttpResponse<Path> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofFile(to));
        assertEquals(200, r.statusCode(), url);
        assertTrue(Files.size(to) > 1000);
        return TestAudio.read(to)[0].length;
    }
}
