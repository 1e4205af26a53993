package dme.job.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the benchmarks' sections together into docs/PERFORMANCE.md. The generated part sits between
 * two marker comments and is replaced on every run; anything outside them (e.g. the Demucs section
 * another benchmark writes) is kept as it is. A file without the markers keeps its title line on top
 * and its other content after the generated part.
 */
public final class PerformanceDoc {
    static final String BEGIN = "<!-- scripts/bench.sh: begin of the generated part (edit the benchmarks, not this text) -->";
    static final String END = "<!-- scripts/bench.sh: end of the generated part -->";

    private PerformanceDoc() {}

    public static void main(String[] args) throws Exception {
        Path doc = Bench.docs().resolve("PERFORMANCE.md");
        List<Path> fragments = new ArrayList<>();
        Path dir = Bench.work().resolve("fragments");
        if (Files.isDirectory(dir)) {
            try (var l = Files.list(dir)) {
                fragments = l.filter(p -> p.toString().endsWith(".md")).sorted().toList();
            }
        }
        StringBuilder block = new StringBuilder(BEGIN).append("\n\n");
        StringBuilder body = new StringBuilder();
        for (Path f : fragments) {
            body.append('\n').append(Files.readString(f).strip()).append("\n");
        }
        block.append(header(body.toString())).append(body);
        block.append('\n').append(END);
        String text = merge(Files.exists(doc) ? Files.readString(doc) : null, block.toString());
        Files.writeString(doc, text);
        System.out.println("bench: wrote " + doc + " (" + fragments.size() + " sections)");
    }

    /** The existing document with its generated part replaced (or added below its title). */
    static String merge(String existing, String block) {
        if (existing == null || existing.isBlank()) {
            return "# Performance\n\n" + block + "\n";
        }
        int b = existing.indexOf(BEGIN);
        int e = existing.indexOf(END);
        if (b >= 0 && e > b) {
            return existing.substring(0, b) + block + existing.substring(e + END.length());
        }
        if (existing.startsWith("# ")) {
            int nl = existing.indexOf('\n');
            String title = nl < 0 ? existing : existing.substring(0, nl);
            String rest = nl < 0 ? "" : existing.substring(nl + 1).stripLeading();
            return title + "\n\n" + block + "\n\n" + rest;
        }
        return "# Performance\n\n" + block + "\n\n" + existing;
    }

    private static String header(String sections) throws IOException {
        String before = Bench.prop("uptime.before", "n/a");
        String after = Bench.prop("uptime.after", "n/a");
        StringBuilder b = new StringBuilder();
        b.append("Measured by `scripts/bench.sh` in one run, every ratio from numbers taken in that same run. ");
        b.append(Bench.f("**These are figures from a shared %d-core development machine** on which other work (builds, "
                + "tests, other benchmarks) ran at the same time: read them as orders of magnitude and ratios, not as "
                + "capacity planning numbers.%n%n", Bench.cores()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("date", Bench.prop("date", "n/a")));
        rows.add(List.of("command", "`" + Bench.prop("command", "scripts/bench.sh") + "`"));
        rows.add(List.of("machine", Bench.f("%s, %d cores, %s", cpuModel(), Bench.cores(), memTotal())));
        rows.add(List.of("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", options from conf/jvm.options, -Xmx per benchmark as in the script"));
        rows.add(List.of("uptime before", "`" + before + "`"));
        rows.add(List.of("uptime after", "`" + after + "`"));
        b.append(Bench.table(List.of("run", ""), rows));
        double start = loadOf(before);
        double max = Math.max(start, loadOf(after));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:before|after): ([0-9.]+) ").matcher(sections);
        while (m.find()) {
            max = Math.max(max, Double.parseDouble(m.group(1)));
        }
        if (max > Bench.cores() * 0.75) {
            b.append(Bench.f("%n**The machine was loaded at times**: the 1-minute load average was %.1f when the run started "
                    + "and reached %.1f during it, on %d cores (each section records the load before and after it). Wall "
                    + "times are inflated while the benchmark waits for a core; CPU-time figures (marked CPU) and ratios "
                    + "taken within one section are more trustworthy than absolute wall times, and multi-thread speed-ups "
                    + "are capped by the cores other work left free (section 4 probes them).%n", start, max, Bench.cores()));
        }
        b.append("\nSections: 1. pipeline overhead (1b. with a Demucs-size model) · 2. decode/encode throughput · 3. built-in separator · "
                + "4. parallelism · 5. memory · 6. chunk length and overlap · 7. shuffle rows. Charts: docs/perf-*.png.\n");
        return b.toString();
    }

    private static double loadOf(String uptime) {
        int i = uptime.indexOf("load average:");
        if (i < 0) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(uptime.substring(i + 13).trim().split("[, ]+")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Bench.f("%.0f GB RAM", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return "";
    }
}
