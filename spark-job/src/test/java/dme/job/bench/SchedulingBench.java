package dme.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.format.Json;
import dme.gateway.Gateway;
import dme.job.driver.DmeJob;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.Separator;
import dme.job.separate.spectral.SpectralSeparator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark 8: many users at once, over HTTP against a running service (job on local[2] + gateway,
 * built-in separator, default 10 s chunks). A long song, then a short one while the long one is
 * separating: each song's latency (from its process request to progress 100) against the same song
 * alone; a warm service's latency for the short song against its pure separation time (the same
 * separator over the same chunks in a plain loop with as many threads as task slots); a remix; and
 * the first song after start-up.
 */
public final class SchedulingBench {
    private SchedulingBench() {}

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String load0 = Bench.loadavg();
        double longSeconds = Bench.doubleProp("scheduling.long.seconds", 1800);
        double shortSeconds = Bench.doubleProp("scheduling.short.seconds", 30);
        double gap = Bench.doubleProp("scheduling.gap.seconds", 10);
        int repeats = Bench.intProp("scheduling.repeats", 3);
        String master = Bench.prop("scheduling.master", "local[2]");
        Path dir = Files.createDirectories(Bench.work().resolve("scheduling"));
        Path longSong = PipelineBench.writeSong(dir.resolve("long.flac"), new SyntheticSong(81), longSeconds);
        Path shortSong = PipelineBench.writeSong(dir.resolve("short.flac"), new SyntheticSong(82), shortSeconds);
        Path root = dir.resolve("root");
        Bench.deleteTree(root);
        DmeConfig config = DmeConfig.load().with(DmeConfig.ROOT, root.toUri().toString())
                .with(DmeConfig.SPARK_MASTER, master).with(DmeConfig.SEPARATOR, "spectral")
                .with(DmeConfig.OUTPUT_FORMAT, "wav").with(DmeConfig.HTTP_HOST, "127.0.0.1");

        // the first song after start-up: gateway up, request written, then the job starts cold
        long t0 = System.nanoTime();
        double firstSong;
        double shortAlone;
        double longAlone;
        List<Double> warm = new ArrayList<>();
        List<Double> remix = new ArrayList<>();
        double mixedShort;
        double mixedLong;
        try (Gateway gateway = Gateway.start(config, 0)) {
            String base = "http://127.0.0.1:" + gateway.port();
            long first = upload(base, shortSong);
            long asked = System.nanoTime();
            process(base, first, "[1,2,3,4]");
            SparkSession spark = JobSession.create(config);
            DmeJob job = StreamingJob.start(spark, config, false);
            try {
                awaitDone(base, first);
                firstSong = (System.nanoTime() - asked) / 1e9;
                double sinceStart = (System.nanoTime() - t0) / 1e9;
                System.err.println(Bench.f("bench: first song after start-up %.1f s (%.1f s since the JVM's first line)",
                        firstSong, sinceStart));
                for (int i = 0; i < repeats; i++) {
                    long id = upload(base, shortSong);
                    warm.add(latency(base, id, "[1,2,3,4]"));
                    remix.add(latency(base, id, "[4]"));
                }
                shortAlone = median(warm);
                longAlone = latency(base, upload(base, longSong), "[1,2,3,4]");
                System.err.println(Bench.f("bench: alone: short %.1f s, long %.1f s", shortAlone, longAlone));

                long l = upload(base, longSong);
                long s = upload(base, shortSong);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                Future<Double> longRun = pool.submit(() -> latency(base, l, "[1,2,3,4]"));
                Thread.sleep((long) (gap * 1000));
                Future<Double> shortRun = pool.submit(() -> latency(base, s, "[1,2,3,4]"));
                mixedShort = shortRun.get();
                mixedLong = longRun.get();
                pool.shutdown();
                System.err.println(Bench.f("bench: mixed: short %.1f s, long %.1f s", mixedShort, mixedLong));
            } finally {
                job.stop();
                spark.stop();
            }
        }
        double pure = pureSeparation(shortSong, config, parallelism(master));
        String load1 = Bench.loadavg();

        StringBuilder md = new StringBuilder("## 8. Many users at once: fair scheduling over HTTP\n\n");
        md.append(Bench.f("A service as `scripts/run-local.sh` runs it (job on `%s` + gateway, built-in separator, "
                + "10 s chunks, 16-bit WAV), driven over HTTP: latency = from `POST /music/{id}` to `progress` 100, "
                + "polled every 100 ms. Songs are synthetic FLACs of %.0f s (long) and %.0f s (short). The mixed "
                + "load submits the long song, then the short one %.0f s later. Pure separation = the same "
                + "separator over the short song's chunks in a plain loop on %d threads (no Spark, no I/O).%n%n",
                master, longSeconds, shortSeconds, gap, parallelism(master)));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("short song alone (warm, median of " + repeats + ")", Bench.f("%.1f", shortAlone), ""));
        rows.add(List.of("short song during the long one", Bench.f("%.1f", mixedShort),
                Bench.f("%.2f× alone (target ≤ 2.5×)", mixedShort / shortAlone)));
        rows.add(List.of("long song alone", Bench.f("%.1f", longAlone), ""));
        rows.add(List.of("long song with the short one", Bench.f("%.1f", mixedLong),
                Bench.f("%.2f× alone; budget 1.1× alone + the short song's separation = %.1f s", mixedLong / longAlone,
                        1.1 * longAlone + pure)));
        rows.add(List.of("short song, pure separation", Bench.f("%.2f", pure), ""));
        rows.add(List.of("short song, warm service", Bench.f("%.2f", shortAlone),
                Bench.f("+%.2f s over pure separation (target ≤ +3 s)", shortAlone - pure)));
        rows.add(List.of("remix of a separated song (median)", Bench.f("%.2f", median(remix)), "target < 2 s"));
        rows.add(List.of("first song after start-up", Bench.f("%.1f", firstSong),
                "request waiting before the job starts (session, tables, query); target ≤ 15 s"));
        md.append(Bench.table(List.of("what", "seconds", "ratio"), rows));
        md.append(Bench.f("%nEvery run: warm latencies %s s, remixes %s s.%n", fmt(warm), fmt(remix)));
        md.append('\n').append(Bench.loadLine(load0, load1)).append('\n');
        System.out.println(md);
        Bench.fragment("80-scheduling", md.toString());
    }

    private static int parallelism(String master) {
        String inner = master.replaceAll("[^0-9*]", "");
        return inner.isEmpty() || inner.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(inner);
    }

    /** The separator alone over the song's chunks, on {@code threads} threads. */
    private static double pureSeparation(Path song, DmeConfig config, int threads) throws Exception {
        float[][] audio = TestAudio.read(song);
        ChunkPlan plan = ChunkPlan.of(audio[0].length, config.chunkSeconds(), config.chunkOverlap(), SyntheticSong.RATE);
        Separator sep = new SpectralSeparator();
        List<float[][]> chunks = new ArrayList<>();
        for (int i = 0; i < plan.chunkCount(); i++) {
            int off = (int) plan.offset(i);
            int len = plan.length(i);
            chunks.add(new float[][] {Arrays.copyOfRange(audio[0], off, off + len), Arrays.copyOfRange(audio[1], off, off + len)});
        }
        dme.core.SongStats stats = new dme.core.SongStats(0f, 1f);
        sep.separate(chunks.get(0), stats); // warm-up
        List<Double> runs = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long t = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (float[][] c : chunks) {
                all.add(pool.submit(() -> sep.separate(c, stats)));
            }
            for (Future<?> f : all) {
                f.get();
            }
            runs.add((System.nanoTime() - t) / 1e9);
            pool.shutdown();
        }
        return median(runs);
    }

    private static long upload(String base, Path song) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/music?name=" + song.getFileName()))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(song)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("upload failed: " + r.body());
        }
        return Json.mapper().readTree(r.body()).get("music_id").asLong();
    }

    private static void process(String base, long id, String tracks) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id))
                .POST(HttpRequest.BodyPublishers.ofString(tracks)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("process request failed: " + r.body());
        }
    }

    private static double latency(String base, long id, String tracks) throws Exception {
        long t = System.nanoTime();
        process(base, id, tracks);
        awaitDone(base, id);
        return (System.nanoTime() - t) / 1e9;
    }

    private static void awaitDone(String base, long id) throws Exception {
        while (true) {
            JsonNode p = Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/music/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (p.get("progress").asInt() == 100) {
                return;
            }
            if (p.get("state").asText().equals("failed")) {
                throw new IllegalStateException("song " + id + " failed: " + p);
            }
            Thread.sleep(100);
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }

    private static String fmt(List<Double> v) {
        return String.join(", ", v.stream().map(x -> Bench.f("%.2f", x)).toList());
    }
}
