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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 uploads from 10 concurrent clients over loopback HTTP, all processed by the streaming job; the
 * gateway's upload and status latencies are recorded (printed and written to the build folder, not
 * asserted), and no file descriptor or temporary file is left behind.
 */
class GatewayLoadTest {
    static final int CLIENTS = 10;
    static final int SONGS_PER_CLIENT = 5;

    @TempDir
    Path dir;

    private static long openFds() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void fiftyUploadsFromTenClients() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.TRIGGER_SECONDS, "0.5")
                .with(DmeConfig.MAX_FILES_PER_TRIGGER, "50");
        Path song = dir.resolve("short.wav");
        TestAudio.write(song, TestAudio.song(1.2, 3), OutputFormat.WAV16, 0);
        SparkSession spark = JobSession.create(config);
        DmeJob query = StreamingJob.start(spark, config, false);
        List<Long> uploadMs = Collections.synchronizedList(new ArrayList<>());
        List<Long> statusMs = Collections.synchronizedList(new ArrayList<>());
        List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        try (Gateway gateway = Gateway.start(config, 0)) {
            String base = "http://127.0.0.1:" + gateway.port();
            HttpClient http = HttpClient.newHttpClient();
            // Warm-up request so the first measurement is not class loading.
            http.send(HttpRequest.newBuilder(URI.create(base + "/music")).build(), HttpResponse.BodyHandlers.ofString());
            long fdsBefore = openFds();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < SONGS_PER_CLIENT; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/music"))
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.ofFile(song)).build(), HttpResponse.BodyHandlers.ofString());
                        uploadMs.add((System.nanoTime() - t0) / 1_000_000);
                        assertEquals(200, r.statusCode(), r.body());
                        long id = Json.mapper().readTree(r.body()).get("music_id").asLong();
                        HttpResponse<String> p = http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id))
                                .POST(HttpRequest.BodyPublishers.ofString("[2]")).build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, p.statusCode(), p.body());
                        ids.add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();
            assertEquals(CLIENTS * SONGS_PER_CLIENT, ids.stream().distinct().count(), "every upload got its own id");

            long deadline = System.currentTimeMillis() + 600_000;
            List<Long> pending = new ArrayList<>(ids);
            while (!pending.isEmpty()) {
                assertTrue(System.currentTimeMillis() < deadline, pending.size() + " songs never finished");
                for (Long id : new ArrayList<>(pending)) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    statusMs.add((System.nanoTime() - t0) / 1_000_000);
                    assertEquals(200, r.statusCode(), "GET /music/" + id + ": " + r.body());
                    JsonNode p = Json.mapper().readTree(r.body());
                    if (p.get("progress").asInt() == 100) {
                        pending.remove(id);
                    }
                }
                Thread.sleep(500);
            }
            query.processAllAvailable(); // batches commit their table rows after their songs are done
            assertEquals(ids.size(), spark.sql("SELECT * FROM songs WHERE status = 'DONE'").count());
            long fdsAfter = openFds();
            assertTrue(fdsAfter <= fdsBefore + 30, "no file descriptor leak: " + fdsBefore + " before, " + fdsAfter + " after");
            try (var staged = Files.walk(Path.of(config.layout().tmpDir().toUri()))) {
                assertEquals(0, staged.filter(Files::isRegularFile).count(), "no staged file or chunk scratch left");
            }
            Path scratch = Gateway.scratchRoot(config);
            if (Files.exists(scratch)) {
                try (var left = Files.walk(scratch)) {
                    assertEquals(0, left.filter(Files::isRegularFile).count(), "no upload temp file left");
                }
            }
        } finally {
            query.stop();
            spark.stop();
        }
        String report = String.format("gateway under load (%d clients x %d uploads, loopback): upload p50 %d ms, p99 %d ms; "
                + "status p50 %d ms, p99 %d ms (%d status calls)%n", CLIENTS, SONGS_PER_CLIENT,
                pct(uploadMs, 50), pct(uploadMs, 99), pct(statusMs, 50), pct(statusMs, 99), statusMs.size());
        System.out.print(report); // kept in target/surefire-reports/dme.job.GatewayLoadTest-output.txt
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
