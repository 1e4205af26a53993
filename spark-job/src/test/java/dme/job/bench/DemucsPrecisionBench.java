package dme.job.bench;

import com.sun.management.OperatingSystemMXBean;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.driver.Tables;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Demucs in the job at each precision, side by side in one JVM: the same songs through the job in
 * batch mode on {@code local[T]} with {@code dme.djl.precision} = each of the variants, alternating
 * (A B A B ...), each batch into a store of its own (so every song is separated, never remixed). Every
 * variant first runs a 10 s song of its own (model load, the precision probe, each task thread's first
 * forward): the figures are a running service's, not a one-shot CLI's. Measured per batch: wall, the
 * JVM's CPU time (every thread: Spark, decoding, separation, stitching, the tables), and the sum of the
 * chunks' separation times from the jobs table.
 */
public final class DemucsPrecisionBench {
    private DemucsPrecisionBench() {}

    record Run(String variant, double wall, double cpu, double chunkSeconds, long chunks, String load) {}

    public static void main(String[] args) throws Exception {
        String model = Bench.prop("demucs.model", "");
        if (model.isEmpty() || !Files.isRegularFile(Path.of(model))) {
            throw new IllegalArgumentException("-Dbench.demucs.model=FILE.pt (scripts/export_demucs.py) is needed");
        }
        List<String> variants = Bench.listProp("demucs.precisions", "fp32 bf16");
        int rounds = Bench.intProp("demucs.rounds", 2);
        int songs = Bench.intProp("demucs.songs", 2);
        double seconds = Bench.doubleProp("demucs.song.seconds", 60);
        int slots = Bench.intProp("demucs.slots", 2);
        Path dir = Files.createDirectories(Bench.work().resolve("demucs-precision"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < songs; i++) {
            files.add(PipelineBench.writeSong(dir.resolve("song-" + i + ".flac"), new SyntheticSong(200 + i), seconds));
        }
        Path warmSong = PipelineBench.writeSong(dir.resolve("warm-up.flac"), new SyntheticSong(199), 30);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String load0 = Bench.loadavg();
        SparkSession spark = JobSession.create(config(dir, "session", model, slots, "fp32"));
        List<Run> runs = new ArrayList<>();
        try {
            for (String v : variants) { // warm: load, probe, first forward of each task thread
                DmeConfig c = config(dir, "warm-" + v, model, slots, v);
                Tables.register(spark, c.layout());
                PipelineBench.submit(Storage.open(c.layout(), spark.sparkContext().hadoopConfiguration()), List.of(warmSong));
                StreamingJob.start(spark, c, true).awaitTermination();
            }
            for (int round = 0; round < rounds; round++) {
                for (String v : variants) {
                    DmeConfig c = config(dir, "run-" + round + "-" + v, model, slots, v);
                    Tables.register(spark, c.layout());
                    Storage storage = Storage.open(c.layout(), spark.sparkContext().hadoopConfiguration());
                    List<Long> ids = PipelineBench.submit(storage, files);
                    String l0 = Bench.f("%.2f", Bench.load1());
                    double cpu0 = os.getProcessCpuTime() / 1e9;
                    double w0 = Bench.now();
                    StreamingJob.start(spark, c, true).awaitTermination();
                    double wall = Bench.now() - w0;
                    double cpu = os.getProcessCpuTime() / 1e9 - cpu0;
                    for (long id : ids) {
                        SongStatus s = Json.read(storage.readAll(c.layout().songStatus(id)), SongStatus.class);
                        if (s.state() != SongState.DONE) {
                            throw new IllegalStateException("song " + id + " ended " + s.state() + ": " + s.error());
                        }
                    }
                    String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
                    Row r = spark.read().format("delta").load(c.layout().jobsTable().toString())
                            .where("ok AND music_id IN (" + in + ")").selectExpr("count(*)", "sum(processing_ms)", "max(separator)").first();
                    String variant = v + " (" + r.getString(2) + ")";
                    runs.add(new Run(variant, wall, cpu, r.getLong(1) / 1000.0, r.getLong(0), l0 + " → " + Bench.f("%.2f", Bench.load1())));
                    System.err.println(Bench.f("bench: %s round %d: wall %.1f s, cpu %.1f s", variant, round, wall, cpu));
                }
            }
        } finally {
            spark.stop();
        }
        double audio = songs * seconds;
        StringBuilder md = new StringBuilder(Bench.f("%d synthetic songs of %.0f s (%d chunks of 10 s each batch), "
                + "`local[%d]`, one libtorch thread per task, model `%s`; variants alternating, %d rounds, each after a "
                + "warm-up song of its own. Load before: %s; after: %s.\n\n", songs, seconds, runs.get(0).chunks(), slots,
                Path.of(model).getFileName(), rounds, load0, Bench.loadavg()));
        List<List<String>> rows = new ArrayList<>();
        Map<String, List<Run>> byVariant = new HashMap<>();
        for (Run r : runs) {
            byVariant.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
            rows.add(List.of(r.variant(), Bench.f("%.1f", r.wall()), Bench.f("%.1f", r.cpu()),
                    Bench.f("%.2f", audio / r.cpu()), Bench.f("%.1f", r.chunkSeconds()), Bench.f("%.2f", audio / r.chunkSeconds()), r.load()));
        }
        md.append(Bench.table(List.of("variant (separator)", "batch wall s", "JVM CPU s", "audio s per CPU s",
                "chunk separation s (sum)", "audio s per separation s", "load 1 min"), rows));
        md.append("\nMedians per variant (audio s per JVM CPU s): ");
        List<String> med = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byVariant.entrySet()) {
            List<Double> v = e.getValue().stream().map(r -> audio / r.cpu()).sorted().toList();
            double m = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
            med.add(e.getKey() + " " + Bench.f("%.2f", m));
        }
        md.append(String.join("; ", med)).append(".\n");
        System.out.println(md);
        Bench.fragment("16-demucs-precision", md.toString());
    }

    /**
     * A variant: {@code fp32}, {@code bf16} or {@code auto}, with {@code :noopt} for the graph
     * optimizer off; {@code spectral} (the built-in separator) measures what the job costs besides
     * the model.
     */
    private static DmeConfig config(Path dir, String name, String model, int slots, String variant) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put(DmeConfig.ROOT, Files.createDirectories(dir.resolve(name.replace(':', '-'))).toUri().toString());
        m.put(DmeConfig.SPARK_MASTER, "local[" + slots + "]");
        if (variant.equals("spectral")) {
            m.put(DmeConfig.SEPARATOR, "spectral");
        } else {
            m.put(DmeConfig.SEPARATOR, "demucs");
            m.put(DmeConfig.MODEL, model);
            m.put(DmeConfig.DJL_PRECISION, variant.replace(":noopt", ""));
            m.put(DmeConfig.DJL_GRAPH_OPTIMIZER, String.valueOf(!variant.endsWith(":noopt")));
        }
        m.put(DmeConfig.LOCAL_TMP, Files.createDirectories(dir.resolve("tmp")).toString());
        return DmeConfig.of(m);
    }
}
