package dme.job.bench;

import dme.core.DmeConfig;
import dme.job.cli.SeparateCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Benchmark 5: memory of a JVM separating a short and a long song through the CLI
 * ({@code dme.job.cli.SeparateCli}, the job in batch mode on local[2]) as a child process with a fixed
 * heap limit: peak resident set (VmHWM, polled from /proc/PID/status) and the heap before and after
 * each collection (from the child's -Xlog:gc). Decoding, stitching and encoding stream, so the
 * long song should need about what the short one does.
 */
public final class MemoryBench {
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private MemoryBench() {}

    record Run(double minutes, double wall, long hwmKb, int heapPeak, int heapLive, int heapCommitted, int gcs,
            List<double[]> rss) {}

    public static void main(String[] args) throws Exception {
        String load0 = Bench.loadavg();
        List<Double> minutes = Bench.listProp("memory.minutes", "5 60").stream().map(Double::parseDouble).toList();
        String xmx = Bench.prop("memory.xmx", "1g");
        String master = Bench.prop("memory.master", "local[2]");
        Path dir = Files.createDirectories(Bench.work().resolve("memory"));
        List<Run> runs = new ArrayList<>();
        for (double m : minutes) {
            Path song = dir.resolve("song-" + label(m) + "min.flac");
            if (!Files.exists(song)) {
                PipelineBench.writeSong(song, new SyntheticSong(40 + (long) m), m * 60);
            }
            System.err.println("bench: separating " + song + " through the CLI");
            runs.add(run(song, m, dir, xmx, master));
        }
        StringBuilder md = new StringBuilder("## 5. Memory: a short and a long song\n\n");
        md.append(Bench.f("Each song (a synthetic FLAC) is separated by `dme.job.cli.SeparateCli` in a child JVM, `-Xmx%s`, "
                + "master `%s`, default settings (10 s chunks, 25 %% overlap, 16-bit WAV out, built-in separator). "
                + "Peak RSS = VmHWM of the child read from /proc every 100 ms; heap figures come from the child's "
                + "`-Xlog:gc` (used before a collection, used after it, committed).%n%n", xmx, master));
        List<List<String>> rows = new ArrayList<>();
        for (Run r : runs) {
            rows.add(List.of(label(r.minutes) + " min", Bench.f("%.1f", r.wall), Bench.f("%.1f", r.minutes * 60 / r.wall),
                    Bench.f("%.0f", r.hwmKb / 1024.0), String.valueOf(r.heapPeak), String.valueOf(r.heapLive),
                    String.valueOf(r.heapCommitted), String.valueOf(r.gcs)));
        }
        md.append(Bench.table(List.of("song", "wall s", "× real time", "peak RSS MB", "peak heap used MB",
                "max heap after a young GC MB", "max heap committed MB", "GCs"), rows));
        if (runs.size() >= 2) {
            Run a = runs.get(0);
            Run b = runs.get(runs.size() - 1);
            double rss = b.hwmKb / (double) a.hwmKb;
            double live = b.heapLive / (double) Math.max(1, a.heapLive);
            md.append(Bench.f("%n**%s min ÷ %s min: peak RSS %.2f× for %.0f× the audio** (target: within 1.2×) — %s. "
                    + "Heap after a young collection: %.2f×; it includes old-generation garbage that G1 has not collected "
                    + "yet, so it is not the live set (LongSongMemoryTest is the bound on that: 60 minutes in a 1 GB heap).%n",
                    label(b.minutes), label(a.minutes), rss, b.minutes / a.minutes, rss <= 1.2 ? "met" : "not met", live));
            md.append("""

                    Nothing holds the song: decoding streams into a scratch file of float PCM on local disk, \
                    published to storage scratch, from which each chunk's task reads its own chunk; the \
                    stitcher emits samples to the encoders as soon as no later chunk can touch them. Separated \
                    chunks wait in storage scratch files, one per chunk, and the stitcher reads them one at a \
                    time; the driver only collects each chunk's small job record, so a longer song means more \
                    bytes on disk, not more heap. Peak RSS is mostly the heap the collector chose to commit (bounded by `-Xmx`) plus \
                    a fixed native part (metaspace, JIT code, FFmpeg, thread stacks).
                    """);
        }
        XYChart chart = Charts.lines("Resident memory of the CLI JVM while it separates (-Xmx" + xmx + ")",
                "seconds since start", "RSS MB");
        for (Run r : runs) {
            double[] x = r.rss.stream().mapToDouble(v -> v[0]).toArray();
            double[] y = r.rss.stream().mapToDouble(v -> v[1]).toArray();
            XYSeries s = chart.addSeries(label(r.minutes) + " min song", x.length == 0 ? new double[] {0} : x,
                    y.length == 0 ? new double[] {0} : y);
            s.setMarker(SeriesMarkers.NONE);
        }
        md.append('\n').append(Charts.save(chart, "perf-memory", "resident memory over time"));
        md.append('\n').append(Bench.loadLine(load0, Bench.loadavg())).append('\n');
        System.out.println(md);
        Bench.fragment("50-memory", md.toString());
    }

    static Run run(Path song, double minutes, Path dir, String xmx, String master) throws Exception {
        String tag = label(minutes) + "min";
        Path conf = Paths.get(System.getProperty("dme.conf.dir", "conf")).toAbsolutePath();
        Path gcLog = dir.resolve("gc-" + tag + ".log");
        Path out = dir.resolve("out-" + tag);
        Path log = dir.resolve("cli-" + tag + ".log");
        Path root = dir.resolve("root-" + tag);
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + tag));
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "@" + conf.resolve("jvm.options"), "-Xlog:gc:file=" + gcLog,
                "-Dlog4j2.configurationFile=" + conf.resolve("log4j2-test.properties"),
                "-Dspark.sql.warehouse.dir=" + dir.resolve("warehouse-" + tag),
                "-cp", System.getProperty("java.class.path"), "dme.job.cli.SeparateCli", song.toString(), "--out", out.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put(DmeConfig.envName(DmeConfig.ROOT), root.toUri().toString());
        pb.environment().put(DmeConfig.envName(DmeConfig.SPARK_MASTER), master);
        pb.environment().put(DmeConfig.envName(DmeConfig.LOCAL_TMP), tmp.toString());
        pb.environment().put(DmeConfig.envName(DmeConfig.SEPARATOR), "spectral");
        double w0 = Bench.now();
        Process p = pb.start();
        Path status = Paths.get("/proc", String.valueOf(p.pid()), "status");
        long hwm = 0;
        List<double[]> rss = new ArrayList<>();
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        hwm = Math.max(hwm, kb(line));
                    } else if (line.startsWith("VmRSS:")) {
                        rss.add(new double[] {Bench.now() - w0, kb(line) / 1024.0});
                    }
                }
            } catch (IOException gone) {
                break; // the process ended between isAlive and the read
            }
            Thread.sleep(100);
        }
        int code = p.waitFor();
        double wall = Bench.now() - w0;
        if (code != 0) {
            throw new IllegalStateException("SeparateCli failed (" + code + "), see " + log + ":\n" + Files.readString(log));
        }
        int peak = 0;
        int live = 0;
        int committed = 0;
        int gcs = 0;
        if (Files.exists(gcLog)) {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC.matcher(line);
                if (m.find()) {
                    gcs++;
                    peak = Math.max(peak, Integer.parseInt(m.group(1)));
                    live = Math.max(live, Integer.parseInt(m.group(2)));
                    committed = Math.max(committed, Integer.parseInt(m.group(3)));
                }
            }
        }
        Bench.deleteTree(out);
        Bench.deleteTree(root);
        Bench.deleteTree(tmp);
        return new Run(minutes, wall, hwm, peak, live, committed, gcs, rss);
    }

    private static String label(double minutes) {
        return minutes == Math.rint(minutes) ? Bench.f("%.0f", minutes) : Bench.f("%.1f", minutes);
    }

    private static long kb(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }
}
