package dme.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.job.driver.JobSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats.sh's messages: which store, an empty store, one-line errors, the documented columns. */
class StatsCliTest {
    @TempDir
    Path dir;

    private record Printed(int code, List<String> out, List<String> err) {}

    private static Printed capture(Function<PrintStream[], Integer> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.apply(new PrintStream[] {new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)});
        return new Printed(code, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream b) {
        return Arrays.stream(b.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).toList();
    }

    @Test
    void aStoreWithoutTablesIsNamedAndSaidToBeEmptyWithoutStartingSpark() {
        String empty = dir.resolve("nothing-here").toUri().toString();
        Printed summary = capture(p -> StatsCli.run(new String[] {"--root", empty}, p[0], p[1]));
        assertEquals(0, summary.code());
        assertEquals(2, summary.err().size(), summary.err().toString());
        assertTrue(summary.err().get(0).contains("reading the store " + empty), summary.err().get(0));
        assertTrue(summary.err().get(1).contains("has no dme tables"), summary.err().get(1));

        Printed plots = capture(p -> StatsCli.run(new String[] {"--root", empty, "--plots", dir.toString()}, p[0], p[1]));
        assertEquals(1, plots.code());
        assertTrue(plots.err().get(1).startsWith("stats.sh: error: ") && plots.err().get(1).contains("no dme tables"));

        Printed usage = capture(p -> StatsCli.run(new String[] {"--song", "x"}, p[0], p[1]));
        assertEquals(2, usage.code());
        assertEquals(List.of("stats.sh: error: --song needs a music id (a positive number), not 'x'"), usage.err());
    }

    @Test
    void describeDocumentsEveryColumnOfBothTables() {
        Printed d = capture(p -> StatsCli.run(new String[] {"--describe"}, p[0], p[1]));
        assertEquals(0, d.code());
        long described = d.out().stream().filter(l -> l.startsWith("  ")).count();
        assertEquals(19 + 14, described, "one line per column (19 in jobs, 14 in songs): " + d.out());
        for (String line : d.out()) {
            if (line.startsWith("  ")) {
                assertTrue(line.strip().split("\\s+").length >= 3, "a column without a description: " + line);
            }
        }
    }

    @Test
    void anEmptyStoreAndABadQueryAreOneLine() {
        DmeConfig config = DmeConfig.of(java.util.Map.of(DmeConfig.ROOT, dir.resolve("root").toUri().toString(),
                DmeConfig.SPARK_MASTER, "local[1]"));
        SparkSession spark = JobSession.create(config);
        try {
            String root = config.root();
            Printed plots = capture(p -> StatsCli.execute(spark, StatsCli.parse(new String[] {"--plots", dir.toString()}),
                    root, p[0], p[1]));
            assertEquals(1, plots.code());
            assertEquals(List.of("stats.sh: error: the store " + root + " is empty: no job recorded yet"), plots.err());
            Printed summary = capture(p -> StatsCli.execute(spark, StatsCli.parse(new String[0]), root, p[0], p[1]));
            assertEquals(0, summary.code());
            assertTrue(summary.err().get(0).contains("is empty"), summary.err().toString());
            Printed bad = capture(p -> StatsCli.execute(spark, StatsCli.parse(new String[] {"SELEC nonsense FROM jobs"}),
                    root, p[0], p[1]));
            assertEquals(1, bad.code());
            assertEquals(1, bad.err().size(), bad.err().toString());
            assertTrue(bad.err().get(0).startsWith("stats.sh: error: "), bad.err().get(0));
            Printed missing = capture(p -> StatsCli.execute(spark, StatsCli.parse(new String[] {"SELECT nope FROM jobs"}),
                    root, p[0], p[1]));
            assertEquals(1, missing.code());
            assertEquals(1, missing.err().size(), missing.err().toString());
            assertTrue(missing.err().get(0).contains("nope"), missing.err().get(0));
        } finally {
            spark.stop();
        }
    }
}
