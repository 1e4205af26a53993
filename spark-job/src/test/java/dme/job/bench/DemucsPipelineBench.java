package dme.job.bench;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.Separator;
import dme.job.separate.ExecutorSeparator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark 1b: the pipeline overhead with a Demucs-size model, measured instead of projected. N songs
 * go through the job in batch mode on {@code local[T]}; the reference is the same separator (the JVM's
 * one model, loaded once) over the same chunks in a plain loop with T threads. Both run warm: the model
 * has made its first calls, and the job has run one short batch before the timed one. Needs a
 * TorchScript export ({@code -Dbench.demucs.model}); without one it leaves a note saying how to run it.
 */
public final class DemucsPipelineBench {
    private DemucsPipelineBench() {}

    private static String load1() {
        return Bench.f("%.2f", Bench.load1());
    }

    public static void main(String[] args) throws Exception {
        String load0 = Bench.loadavg();
        String model = Bench.prop("demucs.model", "");
        StringBuilder md = new StringBuilder("## 1b. Pipeline overhead with a Demucs-size model\n\n");
        if (model.isEmpty() || !Files.isRegularFile(Path.of(model))) {
            md.append("_Not run in this run: it needs a TorchScript export, e.g. `/usr/bin/python3 scripts/export_demucs.py "
                    + "--out /tmp/hdemucs_high_random.pt` (319 MB, never committed), then "
                    + "`BENCH_DEMUCS_MODEL=/tmp/hdemucs_high_random.pt scripts/bench.sh`._\n");
            System.out.println(md);
            Bench.fragment("15-demucs-pipeline", md.toString());
            return;
        }
        int songs = Bench.intProp("demucs.songs", 4);
        double seconds = Bench.doubleProp("demucs.song.seconds", 60);
        int slots = Bench.intProp("demucs.slots", 2);
        Path dir = Files.createDirectories(Bench.work().resolve("demucs-pipeline"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < songs; i++) {
            files.add(PipelineBench.writeSong(dir.resolve("song-" + i + ".flac"), new SyntheticSong(100 + i), seconds));
        }
        Path warmSong = PipelineBench.writeSong(dir.resolve("warm-up.flac"), new SyntheticSong(99), 10);
        DmeConfig config = DmeConfig.of(Map.of(
                DmeConfig.ROOT, Files.createDirectories(dir.resolve("root")).toUri().toString(),
                DmeConfig.SPARK_MASTER, "local[" + slots + "]",
                DmeConfig.SEPARATOR, "demucs",
                DmeConfig.MODEL, model,
                DmeConfig.LOCAL_TMP, Files.createDirectories(dir.resolve("tmp")).toString()));

        // The session first: the separator derives its libtorch threads from the task slots, as on an executor.
        SparkSession spark = JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            double l0 = Bench.now();
            // the JVM's one separator, the one the job's tasks use
            Separator sep = ExecutorSeparator.get(config, spark.sparkContext().hadoopConfiguration()).separator();
            double loadSeconds = Bench.now() - l0;

            // Plain loop: decoded audio in memory, the job's chunk plan, `slots` threads taking the next chunk.
            List<float[][]> audio = new ArrayList<>();
            List<ChunkPlan> plans = new ArrayList<>();
            List<int[]> work = new ArrayList<>();
            for (int s = 0; s < files.size(); s++) {
                float[][] a = TestAudio.read(files.get(s));
                audio.add(a);
                ChunkPlan p = ChunkPlan.of(a[0].length, config.chunkSeconds(), config.chunkOverlap(), SyntheticSong.RATE);
                plans.add(p);
                for (int c = 0; c < p.chunkCount(); c++) {
                    work.add(new int[] {s, c});
                }
            }
            double w0 = Bench.now();
            PipelineBench.separateAll(sep, audio, plans, work.subList(0, slots), new float[slots][][][], slots, new double[1]);
            double warmPlain = Bench.now() - w0;
            String loadPlain0 = load1();
            double[] cpu = new double[1];
            double plainBefore = PipelineBench.separateAll(sep, audio, plans, work, new float[work.size()][][][], slots, cpu);
            String loadPlain1 = load1();

            // The job: one short batch to warm Spark, Delta and the task threads, then the timed batch.
            w0 = Bench.now();
            PipelineBench.submit(storage, List.of(warmSong));
            StreamingJob.start(spark, config, true).awaitTermination();
            double warmJob = Bench.now() - w0;
            List<Long> ids = PipelineBench.submit(storage, files);
            String loadJob0 = load1();
            w0 = Bench.now();
            StreamingJob.start(spark, config, true).awaitTermination();
            double job = Bench.now() - w0;
            String loadJob1 = load1();
            // The loop again after the job: on a shared machine the speed drifts between phases, and the
            // faster of the two loops is the separator's own limit.
            String loadPlain2 = load1();
            double plainAfter = PipelineBench.separateAll(sep, audio, plans, work, new float[work.size()][][][], slots, new double[1]);
            String loadPlain3 = load1();
            audio.clear();
            double plain = Math.min(plainBefore, plainAfter);
            for (long id : ids) {
                SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
                if (s.state() != SongState.DONE) {
                    throw new IllegalStateException("song " + id + " ended " + s.state() + ": " + s.error());
                }
            }
            String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
            Row r = spark.sql("SELECT count(*), sum(processing_ms), min(unix_millis(started_at)), max(unix_millis(finished_at)) "
                    + "FROM jobs WHERE ok AND music_id IN (" + in + ")").first();
            long chunks = r.getLong(0);
            double chunkSeconds = r.getLong(1) / 1000.0;
            double span = (r.getLong(3) - r.getLong(2)) / 1000.0;
            double audioSeconds = songs * seconds;

            md.append(Bench.f("%d synthetic songs of %.0f s (FLAC), %d chunks of 10 s with 25 %% overlap, through the job in "
                    + "batch mode on `local[%d]` with `%s` (%s), one libtorch thread per task (the derived setting for %d "
                    + "slots). The reference is the same separator object over the same chunks in a plain loop with %d "
                    + "threads, the audio already decoded in memory, run before and again after the job. Both warm: the model was loaded once (%.1f s) and had "
                    + "made one call per thread (%.1f s); the job had run one 10 s song in a batch of its own (%.1f s) "
                    + "before the timed batch.\n\n", songs, seconds, chunks, slots, sep.name(), Path.of(model).getFileName(),
                    slots, slots, loadSeconds, warmPlain, warmJob));
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("job, whole batch (wall)", Bench.f("%.1f", job), Bench.f("%.2f", audioSeconds / job),
                    loadJob0 + " → " + loadJob1));
            rows.add(List.of("plain loop before the job: separation only, " + slots + " threads (wall)", Bench.f("%.1f", plainBefore),
                    Bench.f("%.2f", audioSeconds / plainBefore), loadPlain0 + " → " + loadPlain1));
            rows.add(List.of("plain loop after the job (wall)", Bench.f("%.1f", plainAfter),
                    Bench.f("%.2f", audioSeconds / plainAfter), loadPlain2 + " → " + loadPlain3));
            rows.add(List.of("job: first chunk started → last chunk separated (jobs table)", Bench.f("%.1f", span),
                    Bench.f("%.2f", audioSeconds / span), ""));
            rows.add(List.of("job: the rest (decode before, stitch + encode + tables after)", Bench.f("%.1f", job - span), "", ""));
            md.append(Bench.table(List.of("measure", "seconds", "× real time", "load average (1 min) before → after"), rows));
            md.append(Bench.f("\n**Overhead ratio with Demucs: job ÷ the faster plain separation loop = %.2f** (target ≤ 1.10; "
                    + "against the slower loop %.2f). The job's time splits into the separation phase, %.1f s against the "
                    + "loop's %.1f s (%+.0f %%: inside the job the separator ran %.1f s of chunk time, Σ jobs.processing_ms "
                    + "with %.2f chunks in flight, against %.1f s of thread time in the loop; the difference per chunk is "
                    + "the row's PCM, the stems' scratch file and the progress record, milliseconds, plus whatever the "
                    + "machine's speed did between the phases), and the per-batch part, %.1f s (%.0f %% of the loop: "
                    + "decoding the songs, stitching and encoding them, the Delta commits and status files), which does "
                    + "not grow with the model's cost.\n", job / plain, job / Math.max(plainBefore, plainAfter), span, plain,
                    100 * (span / plain - 1), chunkSeconds, chunkSeconds / span, slots * plain, job - span,
                    100 * (job - span) / plain));
            md.append('\n').append(Bench.loadLine(load0, Bench.loadavg())).append('\n');
        } finally {
            spark.stop();
        }
        System.out.println(md);
        Bench.fragment("15-demucs-pipeline", md.toString());
    }
}
