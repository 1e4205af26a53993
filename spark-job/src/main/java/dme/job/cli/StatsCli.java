package dme.job.cli;

import dme.core.Messages;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.job.driver.JobSession;
import dme.job.driver.Plots;
import dme.job.driver.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/stats.sh [--root URI] [QUERY | FILE.sql] [--plots DIR [--song ID]] [--describe]}: Spark
 * SQL over the jobs and songs tables of a store, printed as tables; pictures as PNG with
 * {@code --plots}. It says which store it reads and when that store has nothing recorded; an error
 * (a bad query, an empty store for --plots) is one line and exit status 1, a usage error 2.
 */
public final class StatsCli {
    static final String NAME = "stats.sh";

    private StatsCli() {}

    /** The parsed command line. */
    record Options(String root, String query, Path plots, Long song, boolean describe, boolean verbose) {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (!Arrays.asList(args).contains("-v")) {
            Quiet.logs(); // before anything logs: Spark's start-up warnings are not statistics
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": error: " + e.getMessage());
            return 2;
        }
        if (o.describe()) {
            Tables.describe().forEach(out::println);
            return 0;
        }
        DmeConfig config = DmeConfig.load();
        if (o.root() != null) {
            config = config.with(DmeConfig.ROOT, o.root().contains(":") ? o.root()
                    : Paths.get(o.root()).toAbsolutePath().toUri().toString());
        }
        String root = config.root();
        err.println(NAME + ": reading the store " + root);
        try {
            Storage storage = Storage.open(config.layout());
            if (!storage.exists(config.layout().jobsTable())) {
                err.println(NAME + (o.plots() != null || o.query() != null ? ": error: " : ": ") + "the store " + root
                        + " has no dme tables: nothing was recorded there (run the service on it, or separate.sh --root "
                        + root + ")");
                return o.plots() != null || o.query() != null ? 1 : 0;
            }
        } catch (IOException | RuntimeException e) {
            err.println(NAME + ": error: cannot read the store " + root + ": " + Messages.firstLine(e));
            return 1;
        }
        SparkSession spark = JobSession.create(config);
        try {
            return execute(spark, o, root, out, err);
        } finally {
            spark.stop();
        }
    }

    /** Runs the command on a session whose tables are registered; returns the exit status. */
    static int execute(SparkSession spark, Options o, String root, PrintStream out, PrintStream err) {
        try {
            long jobs = spark.sql("SELECT count(*) FROM " + Tables.JOBS).first().getLong(0);
            if (jobs == 0 && o.query() == null) {
                err.println(NAME + (o.plots() != null ? ": error: " : ": ") + "the store " + root
                        + " is empty: no job recorded yet");
                return o.plots() != null ? 1 : 0;
            }
            if (o.plots() != null) {
                long id = o.song() != null ? o.song() : latestSong(spark);
                out.println("wrote " + Plots.gantt(spark, id, o.plots().resolve("gantt-" + id + ".png")));
                out.println("wrote " + Plots.histogram(spark, o.plots().resolve("chunk-times.png")));
            }
            if (o.query() != null || o.plots() == null) {
                String text = o.query() == null ? defaultSummary()
                        : o.query().endsWith(".sql") ? Files.readString(Paths.get(o.query())) : o.query();
                run(spark, SqlScript.parse(text));
            }
            return 0;
        } catch (Exception e) {
            err.println(NAME + ": error: " + Messages.firstLine(e));
            return 1;
        }
    }

    static Options parse(String[] args) {
        String root = null;
        String query = null;
        Path plots = null;
        Long song = null;
        boolean describe = false;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = CliArgs.value(args, ++i, "--root");
                case "--plots" -> plots = Paths.get(CliArgs.value(args, ++i, "--plots"));
                case "--song" -> {
                    String v = CliArgs.value(args, ++i, "--song");
                    song = dme.core.StorageLayout.parseId(v).stream().boxed().findFirst()
                            .orElseThrow(() -> new UsageException("--song needs a music id (a positive number), not '" + v + "'"));
                }
                case "--describe" -> describe = true;
                case "-v", "--verbose" -> verbose = true;
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new UsageException("unknown option " + args[i]
                                + ": use --root URI, --plots DIR, --song ID, --describe, -v, or a query / FILE.sql");
                    }
                    query = query == null ? args[i] : query + " " + args[i];
                }
            }
        }
        return new Options(root, query, plots, song, describe, verbose);
    }

    /** Runs every statement; SELECTs are printed (to standard output) under their heading comment. */
    public static void run(SparkSession spark, SqlScript script) {
        for (SqlScript.Statement s : script.statements()) {
            Dataset<Row> result = spark.sql(s.sql());
            if (result.schema().isEmpty()) {
                continue;
            }
            if (s.title() != null) {
                System.out.println("== " + s.title());
            }
            result.show(1000, false);
        }
    }

    private static long latestSong(SparkSession spark) {
        List<Row> r = spark.sql("SELECT max(music_id) FROM jobs WHERE ok").collectAsList();
        if (r.isEmpty() || r.get(0).isNullAt(0)) {
            throw new IllegalArgumentException("no song finished in this store yet: nothing to plot");
        }
        return r.get(0).getLong(0);
    }

    private static String defaultSummary() throws IOException {
        String home = System.getProperty("dme.home", System.getenv().getOrDefault("DME_HOME", "."));
        return Files.readString(Paths.get(home, "notebooks", "summary.sql"));
    }

    /** The first line of the deepest message that says something: Spark's errors span many lines. */
}
