package dme.job.bench;

import dme.core.DmeConfig;
import dme.core.SongStats;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioWriter;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.core.format.Json;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.Separator;
import dme.job.separate.spectral.SpectralSeparator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Benchmarks 1 and 4: the whole job in batch mode ({@code StreamingJob.start(spark, config, once=true)})
 * against the same separator in a plain loop over the same chunks, and the job on several masters.
 *
 * <p>The same synthetic songs (FLAC files) are first decoded, separated by a 2-thread loop and stitched
 * and encoded in plain Java; then, for every master, a session is started, one song goes through as
 * the first (cold) batch, and timed batches of all songs follow (the fastest counts). A {@link SparkRecorder} records
 * every Spark job, stage and task, from which the batch's wall time is broken down; the job's own
 * {@code jobs} table gives each chunk's separation time and slot.
 */
public final class PipelineBench {
    private PipelineBench() {}

    /** One batch through the job. */
    record Batch(String master, String label, List<Long> ids, double songSeconds, double wall, long from, long to,
            List<SparkRecorder.Job> jobs, List<SparkRecorder.Stage> stages, Map<Integer, List<SparkRecorder.Task>> tasks,
            List<long[]> chunks, List<String> executors) {}

    /** A master's session: its start-up time and its batches. */
    /**
     * A master's session: its start-up time, its batches, and what the machine gave just before the
     * timed batch ({@code probe}: the plain loop's speed-up from 1 to all threads on one song's chunks).
     */
    record Session(String master, double startSeconds, List<Batch> batches, double probe) {
        /** The fastest of the timed batches (all but the first, cold one): least disturbed by other load. */
        Batch best() {
            return batches.subList(1, batches.size()).stream().min(Comparator.comparingDouble(Batch::wall)).orElseThrow();
        }
    }

    /** The plain loop on one song's chunks, run before each timed batch to see how many cores are free. */
    static final class Probe {
        private final Separator sep = new SpectralSeparator();
        private final List<float[][]> audio;
        private final List<ChunkPlan> plans;
        private final List<int[]> work = new ArrayList<>();

        Probe(Path song, DmeConfig config) throws IOException {
            audio = List.<float[][]>of(TestAudio.read(song));
            plans = List.of(ChunkPlan.of(audio.get(0)[0].length, config.chunkSeconds(), config.chunkOverlap(), SyntheticSong.RATE));
            for (int i = 0; i < plans.get(0).chunkCount(); i++) {
                work.add(new int[] {0, i});
            }
        }

        double speedup() throws Exception {
            float[][][][] out = new float[work.size()][][][];
            double one = separateAll(sep, audio, plans, work, out, 1, new double[1]);
            double all = separateAll(sep, audio, plans, work, out, Bench.cores(), new double[1]);
            return one / all;
        }
    }

    /** The plain-Java reference on the same songs. */
    record Plain(double decodeCpu, double decodeWall, double separate1, double separateN, int threads, double separatorCpu,
            double stitchCpu, double stitchWall, int chunks) {}

    public static void main(String[] args) throws Exception {
        String load0 = Bench.loadavg();
        int songs = Bench.intProp("pipeline.songs", 3);
        double seconds = Bench.doubleProp("pipeline.song.seconds", 60);
        int repeats = Bench.intProp("pipeline.repeats", 2);
        List<String> masters = new ArrayList<>(Bench.listProp("pipeline.masters", "local[2] local[1]"));
        List<String> cluster = Bench.listProp("pipeline.cluster", "");
        String home = System.getenv("SPARK_HOME");
        boolean clusterOk = !cluster.isEmpty() && home != null && Files.isDirectory(Paths.get(home, "jars"));
        if (clusterOk) {
            masters.addAll(cluster);
        }
        Path dir = Files.createDirectories(Bench.work().resolve("pipeline"));
        DmeConfig defaults = DmeConfig.of(Map.of());
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < songs; i++) {
            files.add(writeSong(dir.resolve("song-" + (i + 1) + ".flac"), new SyntheticSong(100 + i), seconds));
        }
        System.err.println("bench: plain-Java reference");
        Plain plain = plain(files, defaults, Bench.cores());
        Probe probe = new Probe(files.get(0), defaults);
        List<Session> sessions = new ArrayList<>();
        for (String master : masters) {
            System.err.println("bench: job on " + master);
            sessions.add(session(master, dir, files, repeats, probe));
        }
        String load1 = Bench.loadavg();
        Batch main = sessions.get(0).best();

        String md1 = sectionOverhead(main, plain, songs, seconds, defaults, sessions.get(0)) + "\n" + Bench.loadLine(load0, load1) + "\n";
        String md4 = sectionParallelism(sessions, plain, songs, seconds, cluster, clusterOk) + "\n" + Bench.loadLine(load0, load1) + "\n";
        System.out.println(md1);
        System.out.println(md4);
        Bench.fragment("10-pipeline", md1);
        Bench.fragment("40-parallelism", md4);
    }

    // ---------------------------------------------------------------- songs and the plain reference

    static Path writeSong(Path file, SyntheticSong song, double seconds) throws IOException {
        long n = Math.round(seconds * SyntheticSong.RATE);
        try (AudioWriter w = AudioWriter.open(file, OutputFormat.FLAC, 0)) {
            for (long off = 0; off < n; off += 10 * SyntheticSong.RATE) {
                int len = (int) Math.min(10 * SyntheticSong.RATE, n - off);
                w.write(song.mix(off, len), 0, len);
            }
        }
        return file;
    }

    /** Decode, separate (1 and {@code threads} threads over all chunks) and stitch + encode in plain Java. */
    static Plain plain(List<Path> files, DmeConfig config, int threads) throws Exception {
        Separator sep = new SpectralSeparator();
        List<float[][]> audio = new ArrayList<>();
        double c0 = Bench.threadCpu();
        double w0 = Bench.now();
        for (Path f : files) {
            audio.add(TestAudio.read(f));
        }
        double decodeCpu = Bench.threadCpu() - c0;
        double decodeWall = Bench.now() - w0;
        List<ChunkPlan> plans = new ArrayList<>();
        List<int[]> work = new ArrayList<>();
        for (int s = 0; s < audio.size(); s++) {
            ChunkPlan p = ChunkPlan.of(audio.get(s)[0].length, config.chunkSeconds(), config.chunkOverlap(), SyntheticSong.RATE);
            plans.add(p);
            for (int i = 0; i < p.chunkCount(); i++) {
                work.add(new int[] {s, i});
            }
        }
        float[][][][] out = new float[work.size()][][][];
        float[][] warm = {Arrays.copyOf(audio.get(0)[0], 441_000), Arrays.copyOf(audio.get(0)[1], 441_000)};
        for (int i = 0; i < 6; i++) {
            sep.separate(warm, SongStats.IDENTITY);
        }
        double[] cpu = new double[1];
        double one = separateAll(sep, audio, plans, work, out, 1, cpu);
        double many = Double.MAX_VALUE;
        for (int r = 0; r < 2; r++) {
            many = Math.min(many, separateAll(sep, audio, plans, work, out, threads, new double[1]));
        }
        // stitch + encode every song as SongOutput does: 4 stems and the mix, 16-bit WAV (the default format)
        c0 = Bench.threadCpu();
        w0 = Bench.now();
        Path tmp = Files.createTempDirectory(Bench.work(), "plain-out-");
        int k = 0;
        for (int s = 0; s < audio.size(); s++) {
            ChunkPlan p = plans.get(s);
            AudioWriter[] writers = new AudioWriter[5];
            for (int w = 0; w < 5; w++) {
                writers[w] = AudioWriter.open(tmp.resolve("s" + s + "-" + w + ".wav"), OutputFormat.parse(config.outputFormat()),
                        config.mp3BitrateKbps());
            }
            float[][] mixBuf = new float[2][p.strideFrames()];
            OverlapAddStitcher st = new OverlapAddStitcher(p, 8, (rows, off, len) -> {
                if (mixBuf[0].length < len) {
                    throw new IllegalStateException("stride");
                }
                Arrays.fill(mixBuf[0], 0, len, 0f);
                Arrays.fill(mixBuf[1], 0, len, 0f);
                for (int stem = 0; stem < 4; stem++) {
                    float[][] stereo = {rows[2 * stem], rows[2 * stem + 1]};
                    writers[stem].write(stereo, off, len);
                    for (int c = 0; c < 2; c++) {
                        for (int i = 0; i < len; i++) {
                            mixBuf[c][i] += stereo[c][off + i];
                        }
                    }
                }
                writers[4].write(mixBuf, 0, len);
            });
            for (int i = 0; i < p.chunkCount(); i++, k++) {
                float[][][] r = out[k];
                st.add(i, new float[][] {r[0][0], r[0][1], r[1][0], r[1][1], r[2][0], r[2][1], r[3][0], r[3][1]});
            }
            st.finish();
            for (AudioWriter w : writers) {
                w.close();
            }
        }
        double stitchCpu = Bench.threadCpu() - c0;
        double stitchWall = Bench.now() - w0;
        try (var l = Files.list(tmp)) {
            for (Path p : l.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(tmp);
        return new Plain(decodeCpu, decodeWall, one, many, threads, cpu[0], stitchCpu, stitchWall, work.size());
    }

    /** Wall seconds to separate every chunk with {@code threads} threads taking the next chunk in turn. */
    static double separateAll(Separator sep, List<float[][]> audio, List<ChunkPlan> plans, List<int[]> work,
            float[][][][] out, int threads, double[] cpu) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        double w0 = Bench.now();
        List<Future<Double>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                double c0 = Bench.threadCpu();
                for (int j; (j = next.getAndIncrement()) < work.size(); ) {
                    int[] w = work.get(j);
                    ChunkPlan p = plans.get(w[0]);
                    int from = (int) p.offset(w[1]);
                    int len = p.length(w[1]);
                    float[][] a = audio.get(w[0]);
                    out[j] = sep.separate(new float[][] {Arrays.copyOfRange(a[0], from, from + len),
                        Arrays.copyOfRange(a[1], from, from + len)}, SongStats.IDENTITY);
                }
                return Bench.threadCpu() - c0;
            }));
        }
        for (Future<Double> f : fs) {
            cpu[0] += f.get();
        }
        double wall = Bench.now() - w0;
        pool.shutdown();
        return wall;
    }

    // ---------------------------------------------------------------- the job

    static Session session(String master, Path dir, List<Path> files, int repeats, Probe probe) throws Exception {
        String name = master.replaceAll("[^a-z0-9]+", "-");
        Path root = Files.createDirectories(dir.resolve("root-" + name));
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + name));
        DmeConfig config = DmeConfig.of(Map.of(
                DmeConfig.ROOT, root.toUri().toString(),
                DmeConfig.SPARK_MASTER, master,
                DmeConfig.SEPARATOR, "spectral",
                DmeConfig.LOCAL_TMP, tmp.toString()));
        boolean cluster = master.startsWith("local-cluster");
        if (cluster) {
            Path conf = Paths.get(System.getProperty("dme.conf.dir", "conf")).toAbsolutePath();
            System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            System.setProperty("spark.executor.extraJavaOptions", "@" + conf.resolve("jvm.options")
                    + " -Dlog4j2.configurationFile=" + conf.resolve("log4j2-test.properties"));
        }
        double w0 = Bench.now();
        SparkSession spark;
        try {
            spark = JobSession.create(config);
        } finally {
            System.clearProperty("spark.executor.extraClassPath");
            System.clearProperty("spark.executor.extraJavaOptions");
        }
        double start = Bench.now() - w0;
        SparkRecorder recorder = new SparkRecorder();
        spark.sparkContext().addSparkListener(recorder);
        List<Batch> batches = new ArrayList<>();
        double probed;
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            batches.add(batch(spark, config, storage, recorder, master, "first batch: 1 song (cold)", files.subList(0, 1)));
            probed = probe.speedup();
            for (int r = 0; r < repeats; r++) {
                batches.add(batch(spark, config, storage, recorder, master,
                        files.size() + " songs" + (repeats > 1 ? " #" + (r + 1) : ""), files));
            }
        } finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        return new Session(master, start, batches, probed);
    }

    /** Stores FLAC songs as the gateway would and asks for all four stems of each; returns their ids. */
    static List<Long> submit(Storage storage, List<Path> files) throws IOException {
        Submissions submit = new Submissions(storage);
        List<Long> ids = new ArrayList<>();
        for (Path f : files) {
            long id = submit.issueId();
            try (InputStream in = Files.newInputStream(f)) {
                String stored = submit.storeOriginal(id, "flac", in, Long.MAX_VALUE);
                submit.storeMeta(new SongMeta(id, f.getFileName().toString(), "bench", stored, Files.size(f), 0, 44_100, 2,
                        "flac", System.currentTimeMillis()));
            }
            submit.requestProcessing(id, List.of(1, 2, 3, 4), null);
            ids.add(id);
        }
        return ids;
    }

    private static Batch batch(SparkSession spark, DmeConfig config, Storage storage, SparkRecorder recorder, String master,
            String label, List<Path> files) throws Exception {
        List<Long> ids = submit(storage, files);
        double songSeconds = 0;
        long from = System.currentTimeMillis();
        double w0 = Bench.now();
        StreamingJob.start(spark, config, true).awaitTermination();
        double wall = Bench.now() - w0;
        long to = System.currentTimeMillis();
        spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
        for (long id : ids) {
            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
            if (s.state() != SongState.DONE) {
                throw new IllegalStateException("song " + id + " ended " + s.state() + ": " + s.error());
            }
            songSeconds += s.durationSeconds();
        }
        String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<long[]> chunks = new ArrayList<>();
        List<String> executors = new ArrayList<>();
        for (Row r : spark.sql("SELECT music_id, chunk_index, unix_millis(started_at), unix_millis(finished_at), processing_ms, "
                + "executor_id FROM jobs WHERE music_id IN (" + in + ")").collectAsList()) {
            String ex = r.isNullAt(5) ? "?" : r.getString(5);
            if (!executors.contains(ex)) {
                executors.add(ex);
            }
            chunks.add(new long[] {r.getLong(0), r.getInt(1), r.getLong(2), r.getLong(3), r.getLong(4), executors.indexOf(ex)});
        }
        List<SparkRecorder.Stage> stages = recorder.stages(from, to);
        Map<Integer, List<SparkRecorder.Task>> tasks = new LinkedHashMap<>();
        for (SparkRecorder.Stage s : stages) {
            tasks.put(s.id(), recorder.tasks(s.id()));
        }
        if (Boolean.parseBoolean(Bench.prop("debug", "false"))) {
            for (SparkRecorder.Job j : recorder.jobs(from, to)) {
                System.err.printf("job %d at +%d ms: %d ms, stages %s%n", j.id(), j.start() - from, j.end() - j.start(), j.stages());
            }
            for (SparkRecorder.Stage s : stages) {
                System.err.printf("stage %d %d ms %d tasks [%s] -> %s%n", s.id(), s.completed() - s.submitted(), s.tasks(),
                        String.join("; ", s.callSites()), stageClass(s));
                for (SparkRecorder.Task t : tasks.get(s.id())) {
                    System.err.println("   " + t);
                }
            }
        }
        return new Batch(master, label, ids, songSeconds, wall, from, to, recorder.jobs(from, to), stages, tasks, chunks, executors);
    }

    // ---------------------------------------------------------------- analysis

    static final String DECODE = "decode + chunk (DecodeSong)";
    static final String SEPARATE = "separate (SeparateChunk)";
    static final String STITCH = "read scratch + stitch + encode + publish (StitchSongs), jobs rows (Delta write)";

    static final String PLOTS = "job page plots (Plots: Spark SQL over the jobs table)";
    static final String DELTA = "Delta: log replay, songs upsert, table state (Tables)";
    static final String REQUESTS = "reading the batch's request files";
    static final String OTHER = "other Spark jobs";

    /**
     * Which part of the batch each stage is. A streaming query's jobs all carry the query's call site,
     * so stages are told apart by their RDDs ({@code name@operation}): the separation job by its RDD
     * operations (parallelize + flatMap, partitionBy, repartitionAndSortWithinPartitions), every
     * other job as a whole by what it reads.
     */
    static Map<Integer, String> classes(Batch b) {
        Map<Integer, SparkRecorder.Stage> byId = new LinkedHashMap<>();
        for (SparkRecorder.Stage s : b.stages()) {
            byId.put(s.id(), s);
        }
        Map<Integer, String> out = new LinkedHashMap<>();
        for (SparkRecorder.Job j : b.jobs()) {
            StringBuilder all = new StringBuilder();
            for (int id : j.stages()) {
                SparkRecorder.Stage s = byId.get(id);
                if (s != null) {
                    all.append(String.join(" ", s.callSites())).append(' ');
                }
            }
            String job = jobClass(all.toString());
            for (int id : j.stages()) {
                SparkRecorder.Stage s = byId.get(id);
                if (s != null) {
                    out.put(id, job == null ? stageClass(s) : job);
                }
            }
        }
        for (SparkRecorder.Stage s : b.stages()) {
            out.putIfAbsent(s.id(), stageClass(s));
        }
        // With adaptive execution a query's later stages (aggregations, shuffle reads) run as jobs of
        // their own that show no table: they belong to the query of the stage just before them.
        List<SparkRecorder.Stage> byTime = new ArrayList<>(b.stages());
        byTime.sort(Comparator.comparingLong(SparkRecorder.Stage::submitted));
        String previous = null;
        for (SparkRecorder.Stage s : byTime) {
            String c = out.get(s.id());
            if (c.equals(OTHER) && previous != null && !List.of(DECODE, SEPARATE, STITCH).contains(previous)) {
                out.put(s.id(), previous);
            } else {
                previous = c;
            }
        }
        return out;
    }

    /** The class of a non-separation job from its stages' RDDs; null for the separation job. */
    static String jobClass(String sites) {
        if (sites.contains("@parallelize") && sites.contains("@flatMap") || sites.contains("@partitionBy")
                || sites.contains("@repartitionAndSortWithinPartitions")) {
            return null;
        }
        if (sites.contains("spark_catalog.default.jobs")) {
            return PLOTS;
        }
        if (sites.contains("Delta Table State") || sites.contains("_delta_log") || sites.contains("mergeMaterializedSource")
                || sites.contains("LocalTableScan") || sites.contains("DeltaInvariantChecker") || sites.contains("Scan parquet")
                || sites.contains("Scan json") && sites.contains("@Exchange")) {
            return DELTA;
        }
        if (sites.contains("Scan json")) {
            return REQUESTS;
        }
        return OTHER;
    }

    static String stageClass(SparkRecorder.Stage s) {
        String sites = String.join(" ", s.callSites());
        if (sites.contains("@repartitionAndSortWithinPartitions")) {
            return STITCH;
        }
        if (sites.contains("@partitionBy")) {
            return SEPARATE;
        }
        if (sites.contains("@parallelize") && sites.contains("@flatMap")) {
            return DECODE;
        }
        String job = jobClass(sites);
        return job == null ? OTHER : job;
    }

    /** Seconds of the batch per part: Spark stages by class, and the driver-only time when no stage ran. */
    static Map<String, Double> breakdown(Batch b) {
        Map<Integer, String> classes = classes(b);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(DECODE, 0.0);
        out.put(SEPARATE, 0.0);
        out.put(STITCH, 0.0);
        List<long[]> busy = new ArrayList<>();
        for (SparkRecorder.Stage s : b.stages()) {
            long a = Math.max(s.submitted(), b.from());
            long e = Math.min(s.completed(), b.to());
            if (e <= a) {
                continue;
            }
            out.merge(classes.get(s.id()), (e - a) / 1000.0, Double::sum);
            busy.add(new long[] {a, e});
        }
        out.put("driver only, no stage running (query start, planning, Delta commits, status files, stop)",
                Math.max(0, b.wall() - union(busy) / 1000.0));
        return out;
    }

    static long union(List<long[]> intervals) {
        List<long[]> s = new ArrayList<>(intervals);
        s.sort(Comparator.comparingLong(x -> x[0]));
        long total = 0;
        long curA = -1;
        long curB = -1;
        for (long[] iv : s) {
            if (iv[0] > curB) {
                total += curB - curA;
                curA = iv[0];
                curB = iv[1];
            } else {
                curB = Math.max(curB, iv[1]);
            }
        }
        return total + (curB - curA);
    }

    static SparkRecorder.Stage stageOf(Batch b, String kind) {
        Map<Integer, String> classes = classes(b);
        return b.stages().stream().filter(s -> kind.equals(classes.get(s.id()))).findFirst().orElse(null);
    }

    static double stageWall(Batch b, String kind) {
        SparkRecorder.Stage s = stageOf(b, kind);
        return s == null ? Double.NaN : (s.completed() - s.submitted()) / 1000.0;
    }

    /** Σ of chunk separation times (jobs.processing_ms) in seconds. */
    static double separatorSeconds(Batch b) {
        return b.chunks().stream().mapToLong(c -> c[4]).sum() / 1000.0;
    }

    /** Chunks in flight on average while the batch separated: Σ chunk time / (last end − first start). */
    static double concurrency(Batch b) {
        long a = b.chunks().stream().mapToLong(c -> c[2]).min().orElse(0);
        long e = b.chunks().stream().mapToLong(c -> c[3]).max().orElse(1);
        return b.chunks().stream().mapToLong(c -> c[3] - c[2]).sum() / (double) Math.max(1, e - a);
    }

    /** Lanes (task slots) the chunks ran in: per executor, greedy, by start time; returns lane per chunk. */
    static int[] lanes(Batch b, List<String> laneNames) {
        List<long[]> cs = b.chunks();
        Integer[] order = new Integer[cs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> cs.get(i)[2]));
        int[] lane = new int[cs.size()];
        List<long[]> laneEnd = new ArrayList<>(); // {executor, end}
        for (int i : order) {
            long[] c = cs.get(i);
            int found = -1;
            for (int l = 0; l < laneEnd.size(); l++) {
                if (laneEnd.get(l)[0] == c[5] && laneEnd.get(l)[1] <= c[2] + 2) {
                    found = l;
                    break;
                }
            }
            if (found < 0) {
                laneEnd.add(new long[] {c[5], 0});
                found = laneEnd.size() - 1;
                long slot = laneEnd.stream().filter(x -> x[0] == c[5]).count();
                laneNames.add("executor " + b.executors().get((int) c[5]) + ", slot " + slot);
            }
            laneEnd.get(found)[1] = c[3];
            lane[i] = found;
        }
        return lane;
    }

    /** A part's name without its explanation in parentheses. */
    private static String shortLabel(String part) {
        int i = part.indexOf(" (");
        return i > 0 ? part.substring(0, i) : part;
    }

    private static String s1(double v) {
        return Double.isNaN(v) ? "n/a" : Bench.f("%.1f", v);
    }

    private static String s2(double v) {
        return Double.isNaN(v) ? "n/a" : Bench.f("%.2f", v);
    }

    private static String pct(double part, double whole) {
        return Bench.f("%.0f %%", 100 * part / whole);
    }

    static String sectionOverhead(Batch b, Plain p, int songs, double seconds, DmeConfig cfg, Session session) throws IOException {
        StringBuilder md = new StringBuilder("## 1. Pipeline overhead: the job against a plain loop\n\n");
        double audio = b.songSeconds();
        double ratio = b.wall() / p.separateN();
        md.append(Bench.f("%d synthetic songs of %.0f s (FLAC) in one batch (the fastest of the timed batches) through the job in batch mode "
                + "(`StreamingJob.start(spark, config, once=true)`) on `%s`, built-in separator, %.0f s chunks with "
                + "%.0f %% overlap (%d chunks), 16-bit WAV output (the defaults); the Spark session was started and "
                + "had run one song before (the first batch, cold, is in section 4). The reference is the same "
                + "separator over the same chunks in a plain loop with %d threads, the audio already decoded in "
                + "memory.\n\n", songs, seconds, b.master(), cfg.chunkSeconds(), cfg.chunkOverlap() * 100, p.chunks(),
                p.threads()));
        double plainAll = p.decodeCpu() / p.threads() + p.separateN() + p.stitchCpu() / p.threads();
        md.append(Bench.table(List.of("measure", "seconds", "× real time"), List.of(
                List.of("job, whole batch (wall)", s2(b.wall()), s1(audio / b.wall())),
                List.of(Bench.f("plain loop: separation only, %d threads (wall)", p.threads()), s2(p.separateN()), s1(audio / p.separateN())),
                List.of("plain loop: separation only, 1 thread (wall)", s2(p.separate1()), s1(audio / p.separate1())),
                List.of("plain Java: decode (1 thread, CPU)", s2(p.decodeCpu()), s1(audio / p.decodeCpu())),
                List.of("plain Java: stitch + encode 4 stems and the mix (1 thread, CPU)", s2(p.stitchCpu()), s1(audio / p.stitchCpu())),
                List.of(Bench.f("plain Java: decode + separate + stitch/encode, ideal split over %d cores", p.threads()),
                        s2(plainAll), s1(audio / plainAll)))));
        md.append(Bench.f("%n**Overhead ratio: job ÷ plain separation loop = %.1f** (1.0 is the limit); job ÷ the whole plain-Java "
                + "pipeline = %.1f. The Spark session itself took %.1f s to start (JobSession.create, Delta tables "
                + "registered), not counted above.%n%n", ratio, b.wall() / plainAll, session.startSeconds()));

        Map<String, Double> parts = breakdown(b);
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : parts.entrySet()) {
            rows.add(List.of(e.getKey(), s2(e.getValue()), pct(e.getValue(), b.wall())));
        }
        md.append("Where the batch's wall time goes (Spark stages from a `SparkListener`, clipped to the batch; "
                + "stages of one Spark job run one after the other, so the rows add up to the wall time):\n\n");
        md.append(Bench.table(List.of("part of the batch", "seconds", "share"), rows));

        List<List<String>> detail = new ArrayList<>();
        for (String kind : List.of(DECODE, SEPARATE, STITCH)) {
            SparkRecorder.Stage s = stageOf(b, kind);
            if (s == null) {
                continue;
            }
            List<SparkRecorder.Task> ts = b.tasks().get(s.id());
            double run = ts.stream().mapToLong(SparkRecorder.Task::runMs).sum() / 1e3;
            double cpu = ts.stream().mapToLong(SparkRecorder.Task::cpuNs).sum() / 1e9;
            double gc = ts.stream().mapToLong(SparkRecorder.Task::gcMs).sum() / 1e3;
            double sched = ts.stream().mapToLong(t -> t.schedulingMs() + t.deserMs()).sum() / 1e3;
            long wb = ts.stream().mapToLong(SparkRecorder.Task::shuffleWriteBytes).sum();
            long wr = ts.stream().mapToLong(SparkRecorder.Task::shuffleWriteRecords).sum();
            double wt = ts.stream().mapToLong(SparkRecorder.Task::shuffleWriteNs).sum() / 1e9;
            double fetch = ts.stream().mapToLong(SparkRecorder.Task::fetchWaitMs).sum() / 1e3;
            detail.add(List.of(kind, String.valueOf(ts.size()), s2((s.completed() - s.submitted()) / 1e3), s2(run), s2(cpu), s2(gc),
                    s2(sched), wr == 0 ? "–" : Bench.f("%.1f MB / %s", wb / 1e6, wb / wr >= 100_000 ? Bench.f("%.2f MB", wb / 1e6 / wr)
                            : Bench.f("%.1f KB", wb / 1e3 / wr)), s2(wt), s2(fetch)));
        }
        md.append("\nThe three stages of the separation job, from their tasks' metrics (seconds summed over tasks; "
                + "\"scheduling\" = launch-to-finish time not spent running, deserialising or serialising the result):\n\n");
        md.append(Bench.table(List.of("stage", "tasks", "stage wall", "Σ task run", "Σ task CPU", "Σ GC", "Σ scheduling + deserialisation",
                "shuffle write / per row", "Σ shuffle write", "Σ fetch wait"), detail));
        double sepSum = separatorSeconds(b);
        double sepStage = stageWall(b, SEPARATE);
        md.append(Bench.f("%nInside the separate stage the separator itself (jobs.processing_ms, which includes decoding the "
                + "row's PCM, encoding the stems' and writing them to their scratch file) accounts for %.2f s of chunk time over %d chunks, %.2f chunks "
                + "in flight on average; the plain loop needed %.2f s of CPU for the same chunks.%n%n",
                sepSum, b.chunks().size(), concurrency(b), p.separatorCpu()));

        // what dominates
        List<Map.Entry<String, Double>> ranked = parts.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3).toList();
        double fixed = b.wall() - (Double.isNaN(sepStage) ? 0 : sepStage);
        md.append(Bench.f("**What dominates:** %s: %.0f %% of the batch; then %s: %.0f %%, and %s: %.0f %%. ",
                shortLabel(ranked.get(0).getKey()), 100 * ranked.get(0).getValue() / b.wall(),
                shortLabel(ranked.get(1).getKey()), 100 * ranked.get(1).getValue() / b.wall(),
                shortLabel(ranked.get(2).getKey()), 100 * ranked.get(2).getValue() / b.wall()));
        md.append(Bench.f("Everything but the separate stage takes %.1f s for %.0f s of audio, and that part hardly grows "
                + "with the separator's speed: Delta commits and the songs upsert, listing and reading the request files, "
                + "writing status JSON, and the job page plots (a few small Spark SQL jobs over the jobs table) cost the "
                + "same whatever separates. The built-in separator does %.0f s of audio per second on %d threads, "
                + "so for it the job is overhead-bound. ", fixed, audio, audio / p.separateN(), p.threads()));
        double v = Bench.doubleProp("demucs.rt", 2.2);
        double demucs = audio / (1 - cfg.chunkOverlap()) / (v * p.threads());
        md.append(Bench.f("For a separator at v × real time per core on c cores the ratio is about "
                + "1 + %.1f s / (%.0f s × %.2f / (v·c)). Demucs on CPU does about v = %.1f audio seconds per CPU second "
                + "(the DJL figure of the Demucs section, one thread per task): on these %d cores it would separate "
                + "the same chunks in about %.0f s and the ratio would be about %.2f; more cores shrink the separation "
                + "and raise it again, bigger batches spread the per-batch part (Delta, plots, driver) over more songs. "
                + "Section 1b measures it with a full-size Demucs model.%n",
                fixed, audio, 1 / (1 - cfg.chunkOverlap()), v, p.threads(), demucs, 1 + fixed / demucs));

        CategoryChart chart = Charts.bars(Bench.f("%d × %.0f s songs: the job vs plain Java", songs, seconds), "", "seconds");
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setLabelsVisible(false);
        List<String> cats = List.of("job on " + b.master(), "plain Java (ideal " + p.threads() + "-core split)", "plain separation loop");
        chart.addSeries("decode", cats, List.of(parts.get(DECODE), p.decodeCpu() / p.threads(), 0.0));
        chart.addSeries("separate", cats, List.of(parts.get(SEPARATE), p.separateN(), p.separateN()));
        chart.addSeries("stitch + encode", cats, List.of(parts.get(STITCH), p.stitchCpu() / p.threads(), 0.0));
        double driver = parts.entrySet().stream().filter(e -> e.getKey().startsWith("driver only")).mapToDouble(Map.Entry::getValue).sum();
        double other = b.wall() - parts.get(DECODE) - parts.get(SEPARATE) - parts.get(STITCH) - driver;
        chart.addSeries("Delta, plots, requests (other Spark jobs)", cats, List.of(other, 0.0, 0.0));
        chart.addSeries("driver only (no stage running)", cats, List.of(driver, 0.0, 0.0));
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        md.append('\n').append(Charts.save(chart, "perf-pipeline", "batch time of the job against plain Java"));
        return md.toString();
    }

    static String sectionParallelism(List<Session> sessions, Plain p, int songs, double seconds, List<String> cluster,
            boolean clusterOk) throws IOException {
        StringBuilder md = new StringBuilder("## 4. Parallelism\n\n");
        md.append(Bench.f("The same songs on each master: the first batch (one %.0f s song, right after the session "
                + "started) and the timed batches (%d songs each; the fastest, marked best, is the one compared). \"Separate stage\" is the stage that runs the separator; "
                + "\"in flight\" = Σ chunk separation time / (last chunk end − first chunk start), i.e. how many task "
                + "slots were separating on average; lanes and chunks per lane come from the jobs table "
                + "(executor_id, started_at, finished_at).%n%n", seconds, songs));
        Batch ref = null;
        for (Session s : sessions) {
            if (s.master().equals("local[1]")) {
                ref = s.best();
            }
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        List<Double> walls = new ArrayList<>();
        List<Double> sepWalls = new ArrayList<>();
        for (Session s : sessions) {
            for (Batch b : s.batches()) {
                List<String> laneNames = new ArrayList<>();
                int[] lane = lanes(b, laneNames);
                int[] perLane = new int[laneNames.size()];
                for (int l : lane) {
                    perLane[l]++;
                }
                boolean timed = b == s.best();
                String speedup = "–";
                if (timed && ref != null) {
                    speedup = Bench.f("%.2f / %.2f", ref.wall() / b.wall(), stageWall(ref, SEPARATE) / stageWall(b, SEPARATE));
                }
                rows.add(List.of("`" + s.master() + "`", b.label() + (timed && s.batches().size() > 2 ? " (best)" : ""),
                        b == s.batches().get(1) ? Bench.f("%.2f×", s.probe()) : "–",
                        s1(s.startSeconds()), s2(b.wall()), s2(stageWall(b, SEPARATE)),
                        s2(separatorSeconds(b)), s2(concurrency(b)), String.valueOf(b.executors().size()),
                        Arrays.stream(perLane).mapToObj(String::valueOf).collect(Collectors.joining(" / ")), speedup));
                if (timed) {
                    cats.add(s.master());
                    walls.add(b.wall());
                    sepWalls.add(stageWall(b, SEPARATE));
                }
            }
        }
        md.append(Bench.table(List.of("master", "batch", "free cores (probe)", "session start s", "batch wall s", "separate stage wall s",
                "Σ separator s", "in flight", "executors", "chunks per lane", "speed-up vs local[1]: batch / separate stage"), rows));
        md.append(Bench.f("%n\"Free cores (probe)\": right before the timed batches the plain loop separated one song's chunks "
                + "with 1 and with %d threads; its speed-up is what the machine's cores gave at that moment, the ceiling for "
                + "any speed-up in that row (%.2f× in section 1's reference run, %.2f s vs %.2f s). ",
                Bench.cores(), p.separate1() / p.separateN(), p.separateN(), p.separate1()));
        Batch single = null;
        Batch multi = null;
        for (Session s : sessions) {
            Batch b = s.best();
            if (s.master().equals("local[1]")) {
                single = b;
            } else if (s.master().equals("local[" + Bench.cores() + "]")) {
                multi = b;
            }
        }
        if (single != null && multi != null) {
            double r = separatorSeconds(multi) / separatorSeconds(single);
            md.append(Bench.f("The same chunks cost %.1f s of separator time on local[%d] against %.1f s on local[1] (%.2f×)%s%n%n",
                    separatorSeconds(multi), Bench.cores(), separatorSeconds(single), r,
                    r > 1.4 ? ": each chunk took longer while two ran at once, i.e. the two task threads shared less than two "
                            + "free cores; on a loaded machine local[" + Bench.cores() + "] cannot beat local[1] by much."
                            : ": the slots ran side by side without slowing each other."));
        } else {
            md.append("\n\n");
        }
        md.append("""
                **Reading.** One song's chunks are spread over all task slots: the separation stage has one \
                partition per slot and `Partitioners.Spread` deals consecutive chunks to consecutive partitions, \
                so even the single-song first batch separates on every slot at once (chunks per lane above, \
                and the lanes of the chart below). Decoding is one task per song and stitching one task per \
                song, so with few songs those stages use one slot; with the built-in separator they, and the \
                fixed per-batch costs of section 1, weigh as much as separation, which is why the batch speeds up \
                less than its separate stage.
                """);
        if (cluster.isEmpty()) {
            md.append("\n`local-cluster` masters were not run (set BENCH_CLUSTER=1).\n");
        } else if (!clusterOk) {
            md.append("\n`local-cluster` masters were skipped: SPARK_HOME with a jars/ folder is needed (scripts/bench.sh makes one).\n");
        } else {
            md.append("\nWith `local-cluster[n,1,1024]` every executor is a JVM of its own (1 core, 1 GB), the classpath "
                    + "passed as `spark.executor.extraClassPath`, as in LocalClusterTest; chunks and rows cross JVMs through "
                    + "the shuffle service, and each executor JVM loads its own separator.\n");
        }
        CategoryChart chart = Charts.bars(Bench.f("%d × %.0f s songs per master", songs, seconds), "", "seconds");
        chart.addSeries("whole batch", cats, walls);
        chart.addSeries("separate stage", cats, sepWalls);
        md.append('\n').append(Charts.save(chart, "perf-parallelism", "batch and separate-stage time per master"));
        Batch two = sessions.get(0).best();
        md.append('\n').append(gantt(two, "perf-gantt", Bench.f("Chunks of %d songs per task slot on %s", songs, two.master())));
        for (Session s : sessions) {
            Batch b = s.best();
            if (s.master().startsWith("local-cluster") && b.executors().size() > 1) {
                md.append('\n').append(gantt(b, "perf-gantt-cluster", Bench.f("Chunks of %d songs per executor JVM on %s",
                        songs, s.master())));
            }
        }
        return md.toString();
    }

    /** A Gantt chart of a batch's chunks: one lane per task slot, one colour per song. */
    static String gantt(Batch b, String name, String title) throws IOException {
        List<String> laneNames = new ArrayList<>();
        int[] lane = lanes(b, laneNames);
        long t0 = b.from();
        XYChart chart = new org.knowm.xchart.XYChartBuilder().width(900).height(260 + 60 * laneNames.size()).title(title)
                .xAxisTitle("seconds since the batch started").yAxisTitle("task slot").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setYAxisMin(-0.7);
        chart.getStyler().setYAxisMax(laneNames.size() - 0.3);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        // XChart drops every tick label when several are equal, so the ticks between lanes get distinct blanks.
        chart.setCustomYAxisTickLabelsFormatter(v -> {
            int l = (int) Math.round(v);
            return Math.abs(v - l) < 1e-6 && l >= 0 && l < laneNames.size() ? laneNames.get(l)
                    : " ".repeat(1 + Math.floorMod((int) Math.round(v * 100), 997));
        });
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(b.wall());
        Map<Long, Integer> songIndex = new LinkedHashMap<>();
        for (long id : b.ids()) {
            songIndex.put(id, songIndex.size());
        }
        boolean[] legend = new boolean[b.ids().size()];
        for (int i = 0; i < b.chunks().size(); i++) {
            long[] c = b.chunks().get(i);
            int song = songIndex.getOrDefault(c[0], 0);
            String label = legend[song] ? "song " + c[0] + " chunk " + c[1] : "song " + (song + 1);
            XYSeries s = chart.addSeries(label, new double[] {(c[2] - t0) / 1e3, Math.max((c[2] - t0) / 1e3 + 0.01, (c[3] - t0) / 1e3)},
                    new double[] {lane[i], lane[i]});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Charts.PALETTE[song % Charts.PALETTE.length]);
            s.setLineStyle(new java.awt.BasicStroke(22f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER));
            s.setShowInLegend(!legend[song]);
            legend[song] = true;
        }
        // stage boundaries as thin vertical marks
        Map<Integer, String> classes = classes(b);
        for (SparkRecorder.Stage st : b.stages()) {
            String kind = classes.get(st.id());
            if (kind.equals(DECODE) || kind.equals(SEPARATE) || kind.equals(STITCH)) {
                double x = (st.submitted() - t0) / 1e3;
                XYSeries m = chart.addSeries("start of " + kind.substring(0, kind.indexOf(' ')) + " stage " + st.id(),
                        new double[] {x, x}, new double[] {-0.6, laneNames.size() - 0.4});
                m.setMarker(SeriesMarkers.NONE);
                m.setLineColor(java.awt.Color.GRAY);
                m.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                        10f, new float[] {4f, 4f}, 0f));
            }
        }
        return Charts.save(chart, name, title);
    }
}
