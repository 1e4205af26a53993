package dme.job.separate.demucs;

import dme.core.audio.PcmFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput of a TorchScript Demucs through DJL, for scripts/bench_demucs.sh (which runs
 * scripts/bench_demucs.py on the same file with the same settings next to it).
 *
 * <p>Usage: {@code DemucsBenchmark MODEL.pt SEGMENT_SECONDS WARMUP TIMED INTRA_THREADS [LABEL [TASKS
 * [PRECISION [BATCH]]]]}: {@code TASKS} threads (default 1) run the calls at the same time on the one
 * shared model, as concurrent Spark tasks of an executor do; {@code PRECISION} is
 * {@code dme.djl.precision} (default fp32); {@code BATCH} segments go into each forward call (default 1);
 * {@code -Ddme.bench.device=gpu} runs on a GPU (default cpu); {@code -Ddme.bench.profile=TRACE.json}
 * records the timed calls with libtorch's profiler into a Chrome trace (scripts/profile_demucs.py
 * {@code --trace} sums it per operator; the profiler adds overhead, so do not quote those runs' timings).
 * Prints one JSON line: model load time (DJL's load of the file, and with dme's 1 s contract check),
 * the warm-up calls, every timed call (wall and process CPU seconds), audio seconds per wall second
 * and per CPU second over the timed calls, and peak RSS ({@code VmHWM}). On a shared machine the
 * CPU figure is the one to compare: other processes stretch wall time, not this process's CPU time
 * (with one intra-op thread; with more, OpenMP threads spin while they wait for each other). Timed calls are {@link DemucsModel#forward} on one segment of noise: the same
 * work as Python's {@code model(x)} plus the copies between Java arrays and native tensors.
 */
public final class DemucsBenchmark {
    private DemucsBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: DemucsBenchmark MODEL.pt SEGMENT_SECONDS WARMUP TIMED INTRA_THREADS "
                    + "[LABEL [TASKS [PRECISION [BATCH]]]]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        double segmentSeconds = Double.parseDouble(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int timed = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        String label = args.length > 5 ? args[5] : "djl";
        int tasks = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        String precision = args.length > 7 ? args[7] : PrecisionChoice.FP32;
        int batch = args.length > 8 ? Integer.parseInt(args[8]) : 1;
        DemucsOptions options = DemucsOptions.defaults().withSegmentSeconds(segmentSeconds).withThreads(threads, 1)
                .withDevice(System.getProperty("dme.bench.device", "cpu")).withPrecision(precision);

        long t0 = System.nanoTime();
        DemucsModel model = DemucsModelLoader.load(file, options);
        double loadWithCheck = seconds(t0);
        int frames = options.segmentFrames(PcmFormat.SAMPLE_RATE);
        float[][][] x = new float[batch][][];
        java.util.Arrays.fill(x, noise(frames));

        double[] warm = new double[warmup];
        for (int i = 0; i < warmup; i++) {
            long t = System.nanoTime();
            runConcurrently(model, x, frames, tasks);
            warm[i] = seconds(t);
        }
        double[] runs = new double[timed];
        double[] cpu = new double[timed];
        String trace = System.getProperty("dme.bench.profile");
        if (trace != null) {
            ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
        }
        for (int i = 0; i < timed; i++) {
            long c = processCpuNanos();
            long t = System.nanoTime();
            runConcurrently(model, x, frames, tasks);
            runs[i] = seconds(t);
            cpu[i] = (processCpuNanos() - c) / 1e9;
        }
        if (trace != null) {
            ai.djl.pytorch.jni.JniUtils.stopProfile(trace);
        }
        double total = Arrays.stream(runs).sum() / (tasks * batch);
        double totalCpu = Arrays.stream(cpu).sum() / (tasks * batch);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"%s\", \"device\": \"%s\", \"precision\": \"%s\", \"batch\": %d, \"glibc_tunables\": \"%s\", "
                        + "\"graph_optimizer\": \"%s\", \"tasks\": %d, \"threads\": %d, \"interop_threads\": %d, "
                        + "\"segment_s\": %.2f, \"load_s\": %.3f, \"load_with_check_s\": %.3f, \"warmup_s\": %s, "
                        + "\"runs_s\": %s, \"cpu_s\": %s, \"audio_s_per_wall_s\": %.4f, "
                        + "\"audio_s_per_cpu_s\": %.4f, \"peak_rss_mb\": %.0f}",
                label, model.device(), model.precision().label(), batch, System.getenv().getOrDefault("GLIBC_TUNABLES", ""),
                System.getProperty("ai.djl.pytorch.graph_optimizer", "true (default)"), tasks,
                DemucsModelLoader.engineThreads().intraOp(), DemucsModelLoader.engineThreads().interOp(),
                segmentSeconds, model.loadMillis() / 1000.0, loadWithCheck, format(warm), format(runs), format(cpu),
                timed * segmentSeconds / total, timed * segmentSeconds / totalCpu, peakRssKb() / 1024.0));
    }

    /** One forward per task thread, all at once; returns when all are done. */
    private static void runConcurrently(DemucsModel model, float[][][] x, int frames, int tasks) {
        if (tasks == 1) {
            model.forwardBatch(x, frames, model.precision());
            return;
        }
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            Thread thread = new Thread(() -> model.forwardBatch(x, frames, model.precision()), "task-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The same kind of input as bench_demucs.py: normal noise with standard deviation 0.1. */
    static float[][] noise(int frames) {
        SplittableRandom random = new SplittableRandom(1);
        float[][] x = new float[DemucsModel.CHANNELS][frames];
        for (float[] row : x) {
            for (int i = 0; i < frames; i++) {
                row[i] = (float) (0.1 * gaussian(random));
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** CPU time of the whole process (all libtorch threads), which machine load does not inflate. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return sb.append(']').toString();
    }

    private static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
