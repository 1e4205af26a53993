package dme.job.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every benchmark main shares: sizes from {@code -Dbench.*} properties (scripts/bench.sh maps
 * its environment onto them), the folders results go to, machine load, thread CPU clocks, and the
 * markdown fragment each benchmark leaves for {@link PerformanceDoc}.
 *
 * <p>Benchmarks measure and report; they assert nothing about speed.
 */
final class Bench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Bench() {}

    static String prop(String key, String fallback) {
        String v = System.getProperty("bench." + key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    static int intProp(String key, int fallback) {
        return Integer.parseInt(prop(key, String.valueOf(fallback)));
    }

    static double doubleProp(String key, double fallback) {
        return Double.parseDouble(prop(key, String.valueOf(fallback)));
    }

    static List<String> listProp(String key, String fallback) {
        List<String> out = new ArrayList<>();
        for (String s : prop(key, fallback).split("\\s+")) {
            if (!s.isBlank()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Scratch folder of this run (songs, storage roots, logs). */
    static Path work() throws IOException {
        return Files.createDirectories(Paths.get(prop("out", System.getProperty("java.io.tmpdir") + "/dme-bench")));
    }

    /** Where the charts go (docs/ of the checkout). */
    static Path docs() throws IOException {
        return Files.createDirectories(Paths.get(prop("docs", "docs")));
    }

    /** Deletes a scratch tree (outputs of a benchmark run), quietly. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // scratch space
        }
    }

    /** Writes one section of docs/PERFORMANCE.md; {@link PerformanceDoc} puts them together by name. */
    static void fragment(String name, String markdown) throws IOException {
        Path dir = Files.createDirectories(work().resolve("fragments"));
        Files.writeString(dir.resolve(name + ".md"), markdown);
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadavg() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    static double load1() {
        try {
            return Double.parseDouble(loadavg().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** CPU seconds of the calling thread (native code run by the thread included). */
    static double threadCpu() {
        return THREADS.getCurrentThreadCpuTime() / 1e9;
    }

    /**
     * CPU seconds (user + system) of this JVM's finished, waited-for child processes, from
     * /proc/self/stat (cutime, cstime): the CPU an external command used, read around its run.
     */
    static double childrenCpu() {
        try {
            String stat = Files.readString(Paths.get("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command name: state is field 3, cutime field 16, cstime field 17 (1-based)
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double now() {
        return System.nanoTime() / 1e9;
    }

    static String f(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** A difference in dB with its sign, and no "-0.00". */
    static String signed(double v) {
        return signed(v, 2);
    }

    static String signed(double v, int decimals) {
        String s = f("%+." + decimals + "f", v);
        return s.matches("[-+]0[.,]0*") ? "±" + s.substring(1) : s;
    }

    /** "load average 1/5/15 min: a b c (2 cores)": printed under every section. */
    static String loadLine(String before, String after) {
        return f("Load average (1/5/15 min) before: %s, after: %s, on %d cores.", before, after, cores());
    }

    /** A markdown table; printed to stdout as it is (readable enough) and kept for the document. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            final int col = i;
            boolean numeric = !rows.isEmpty() && rows.stream().allMatch(r -> col < r.size()
                    && r.get(col).matches("[-+−~≈<>±]?[0-9][0-9,.]*\\s*[%×x]?( \\(.*\\))?|n/a|–|-"));
            b.append(numeric ? "---:|" : "---|");
        }
        b.append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return b.toString();
    }

    interface Work {
        void run() throws Exception;
    }

    /** Wall and CPU seconds of one run of {@code work} on this thread. */
    record Timing(double wall, double cpu) {
        /** Wall time, and CPU time of this thread plus of the programs it ran and waited for. */
        static Timing of(Work work) throws Exception {
            double c0 = threadCpu() + childrenCpu();
            double w0 = now();
            work.run();
            return new Timing(now() - w0, threadCpu() + childrenCpu() - c0);
        }

        /**
         * The least wall and the least CPU time of {@code rounds} runs after one warm-up run: on a
         * shared machine the fastest run is the one least disturbed by other load.
         */
        static Timing best(int rounds, Work work) throws Exception {
            work.run();
            double wall = Double.MAX_VALUE;
            double cpu = Double.MAX_VALUE;
            for (int i = 0; i < rounds; i++) {
                Timing t = of(work);
                wall = Math.min(wall, t.wall);
                cpu = Math.min(cpu, t.cpu);
            }
            return new Timing(wall, cpu);
        }
    }
}
