package dme.job.bench;

import dme.core.SongStats;
import dme.job.separate.spectral.SpectralSeparator;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.knowm.xchart.CategoryChart;

/**
 * Benchmark 3: the built-in separator on one thread, after warm-up: seconds of audio per CPU second
 * (per core), and where the time goes. Two samplers watch the same loop: Java Flight Recorder's
 * execution samples (1 ms, taken without a safepoint, so they are not pulled to loop ends) and a
 * plain one that calls {@code Thread.getStackTrace} on the worker every millisecond (safepoint-biased;
 * shown for comparison). Each sample is charged to the innermost separator stage on its stack.
 */
public final class SeparatorProfile {
    private static final String WORKER = "dme-bench-separator";

    private SeparatorProfile() {}

    public static void main(String[] args) throws Exception {
        String load0 = Bench.loadavg();
        double chunkSeconds = Bench.doubleProp("separator.chunk", 10);
        double measure = Bench.doubleProp("separator.seconds", 15);
        double profile = Bench.doubleProp("profile.seconds", 10);
        int n = (int) Math.round(chunkSeconds * SyntheticSong.RATE);
        float[][] mix = new SyntheticSong(3).mix(0, n);
        SpectralSeparator sep = new SpectralSeparator();

        double w0 = Bench.now();
        int warm = 0;
        while (Bench.now() - w0 < Math.max(3, measure / 3) || warm < 5) {
            sep.separate(mix, SongStats.IDENTITY);
            warm++;
        }
        long proc0 = processCpuNanos();
        double c0 = Bench.threadCpu();
        double t0 = Bench.now();
        int iterations = 0;
        while (Bench.now() - t0 < measure || iterations < 3) {
            sep.separate(mix, SongStats.IDENTITY);
            iterations++;
        }
        double wall = Bench.now() - t0;
        double cpu = Bench.threadCpu() - c0;
        double proc = (processCpuNanos() - proc0) / 1e9;
        double audio = iterations * chunkSeconds;

        Map<String, long[]> phases = profile(sep, mix, profile);

        StringBuilder md = new StringBuilder("## 3. Built-in separator: speed per core and where the time goes\n\n");
        md.append(Bench.f("`%s` (`SpectralSeparator`) on one thread, %.0f s chunks of a synthetic song, %d warm-up "
                + "calls, then %d timed calls:\n\n", sep.name(), chunkSeconds, warm, iterations));
        md.append(Bench.table(List.of("measure", "value"), List.of(
                List.of("audio seconds per CPU second of the thread (= per core)", Bench.f("%.1f", audio / cpu)),
                List.of("audio seconds per wall second (one thread, shared machine)", Bench.f("%.1f", audio / wall)),
                List.of("audio seconds per CPU second of the whole JVM (GC, JIT included)", Bench.f("%.1f", audio / proc)),
                List.of("CPU ms per 10 s of audio", Bench.f("%.0f", cpu * 1e3 / audio * 10)))));
        long jfrTotal = phases.entrySet().stream().filter(e -> !e.getKey().startsWith("top:")).mapToLong(e -> e.getValue()[0]).sum();
        long plainTotal = phases.entrySet().stream().filter(e -> !e.getKey().startsWith("top:")).mapToLong(e -> e.getValue()[2]).sum();
        long fft = phases.entrySet().stream().filter(e -> !e.getKey().startsWith("top:")).mapToLong(e -> e.getValue()[1]).sum();
        long medians = phases.entrySet().stream().filter(e -> e.getKey().startsWith("median")).mapToLong(e -> e.getValue()[0]).sum();
        List<List<String>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        List<Double> plainShares = new ArrayList<>();
        phases.entrySet().stream().filter(e -> !e.getKey().startsWith("top:"))
                .filter(e -> e.getValue()[0] * 1000L >= jfrTotal || e.getValue()[2] * 1000L >= plainTotal)
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e -> {
                    long[] v = e.getValue();
                    rows.add(List.of(e.getKey(), pct(v[0], jfrTotal), v[0] == 0 ? "–" : pct(v[1], v[0]), pct(v[2], plainTotal)));
                    names.add(e.getKey());
                    shares.add(100.0 * v[0] / Math.max(1, jfrTotal));
                    plainShares.add(100.0 * v[2] / Math.max(1, plainTotal));
                });
        md.append(Bench.f("\nWhere the time goes (%d JFR samples and %d `getStackTrace` samples over %.0f s of the same loop):\n\n",
                jfrTotal, plainTotal, profile));
        md.append(Bench.table(List.of("stage", "share (JFR)", "of it in JTransforms FFT", "share (getStackTrace)"), rows));
        List<List<String>> tops = new ArrayList<>();
        phases.entrySet().stream().filter(e -> e.getKey().startsWith("top:"))
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(8)
                .forEach(e -> tops.add(List.of("`" + e.getKey().substring(4) + "`", pct(e.getValue()[0], jfrTotal))));
        md.append("\nHottest methods (innermost frame, JFR):\n\n");
        md.append(Bench.table(List.of("method", "share"), tops));
        md.append(Bench.f("""

                Reading: JTransforms' FFT code takes %.0f %% of the separator's time (2 forward and 6 inverse \
                4096-point transforms per hop of 1024 samples: other is the time-domain remainder, so only three \
                stems are transformed back), the two running medians %.0f %%; the rest (windowing, overlap-add, \
                magnitudes, masks, the output arrays) is the remainder. A faster FFT (e.g. a native one) could \
                win at most the FFT share; the medians are already incremental (a sorted window updated per \
                step). %s
                """, 100.0 * fft / Math.max(1, jfrTotal), 100.0 * medians / Math.max(1, jfrTotal), samplers(shares, plainShares)));
        CategoryChart chart = Charts.bars("Built-in separator: share of time per stage (one thread)", "", "% of samples");
        chart.getStyler().setXAxisLabelRotation(25);
        chart.addSeries("JFR", names, shares);
        chart.addSeries("getStackTrace", names, plainShares);
        md.append('\n').append(Charts.save(chart, "perf-separator", "time per separator stage"));
        md.append('\n').append(Bench.loadLine(load0, Bench.loadavg())).append('\n');
        System.out.println(md);
        Bench.fragment("30-separator", md.toString());
    }

    /** What the two samplers' agreement says. */
    private static String samplers(List<Double> jfr, List<Double> plain) {
        double max = 0;
        for (int i = 0; i < jfr.size(); i++) {
            max = Math.max(max, Math.abs(jfr.get(i) - plain.get(i)));
        }
        if (max < 2) {
            return Bench.f("The two samplers agree within %.1f percentage points per stage: `getStackTrace` samples "
                    + "only at safepoints, but these loops poll at every back-edge, so its bias does not show here.", max);
        }
        return Bench.f("The two samplers differ by up to %.1f percentage points: `getStackTrace` samples only at "
                + "safepoints (loop ends, calls) and over-weights the code around them; JFR samples anywhere, so its "
                + "column is the one to trust.", max);
    }

    private static String pct(long part, long whole) {
        return Bench.f("%.1f %%", 100.0 * part / Math.max(1, whole));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Runs the separator in a loop on a worker thread for {@code seconds} under both samplers; returns
     * per stage {JFR samples, JFR samples in FFT code, getStackTrace samples}, and per innermost method
     * ("top:" keys) its JFR samples.
     */
    private static Map<String, long[]> profile(SpectralSeparator sep, float[][] mix, double seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        Thread worker = new Thread(() -> {
            while (!stop.get()) {
                sep.separate(mix, SongStats.IDENTITY);
                calls.incrementAndGet();
            }
        }, WORKER);
        Map<String, long[]> out = new LinkedHashMap<>();
        Map<String, Long> plain = new HashMap<>();
        Path jfr = Bench.work().resolve("separator.jfr");
        try (Recording rec = new Recording()) {
            rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
            rec.setToDisk(true);
            rec.start();
            worker.start();
            double end = Bench.now() + seconds;
            while (Bench.now() < end) {
                StackTraceElement[] st = worker.getStackTrace();
                if (st.length > 0) {
                    List<String[]> frames = new ArrayList<>();
                    for (StackTraceElement e : st) {
                        frames.add(new String[] {e.getClassName(), e.getMethodName()});
                    }
                    plain.merge(stage(frames), 1L, Long::sum);
                }
                Thread.sleep(1);
            }
            stop.set(true);
            worker.join();
            rec.stop();
            rec.dump(jfr);
        }
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                    || !WORKER.equals(e.getThread("sampledThread").getJavaName())) {
                continue;
            }
            List<String[]> frames = new ArrayList<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                frames.add(new String[] {f.getMethod().getType().getName(), f.getMethod().getName()});
            }
            if (frames.isEmpty()) {
                continue;
            }
            long[] v = out.computeIfAbsent(stage(frames), k -> new long[3]);
            v[0]++;
            if (frames.get(0)[0].startsWith("org.jtransforms")) {
                v[1]++;
            }
            String[] top = frames.get(0);
            out.computeIfAbsent("top:" + shortName(top[0]) + "." + top[1], k -> new long[3])[0]++;
        }
        plain.forEach((k, v) -> out.computeIfAbsent(k, x -> new long[3])[2] = v);
        java.nio.file.Files.deleteIfExists(jfr);
        return out;
    }

    private static String shortName(String cls) {
        int dot = cls.lastIndexOf('.');
        return cls.startsWith("dme.") ? cls.substring(dot + 1) : cls;
    }

    /** The innermost separator stage on a stack (innermost frame first). */
    static String stage(List<String[]> frames) {
        for (String[] f : frames) {
            String cls = f[0].substring(f[0].lastIndexOf('.') + 1);
            String m = f[1];
            if (!f[0].startsWith("dme.")) {
                continue;
            }
            switch (cls + "." + m) {
                case "Stft.forward": return "forward STFT (2 channels)";
                case "Stft.inverseAdd": return "inverse STFT (3 masked stems × 2 channels)";
                case "MedianFilter.alongTime": return "median across time (17 frames)";
                case "MedianFilter.alongFrequency": return "median across frequency (17 bins)";
                case "SourceMasks.magnitude": return "magnitude";
                case "SourceMasks.compute": return "masks";
                case "Workspace.ensure": return "workspace allocation";
                case "SpectralSeparator.separate": return "separate(): other = mix − stems, output arrays";
                default: {
                    // helpers (sort, replace, maskBin, clamp) belong to their caller further out
                }
            }
        }
        return "outside the separator (" + frames.get(0)[0] + "." + frames.get(0)[1] + ")";
    }
}
