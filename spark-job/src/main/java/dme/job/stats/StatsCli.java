package dme.job.stats;

import dme.core.DmeConfig;
import dme.job.JobSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/stats.sh [QUERY | FILE.sql] [--plots DIR [--song ID]]}: Spark SQL over the jobs and
 * songs tables of the configured storage, printed as tables; pictures as PNG with {@code --plots}.
 */
public final class StatsCli {
    private StatsCli() {}

    public static void main(String[] args) throws Exception {
        String query = null;
        Path plots = null;
        Long song = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--plots" -> plots = Paths.get(args[++i]);
                case "--song" -> song = Long.parseLong(args[++i]);
                default -> query = query == null ? args[i] : query + " " + args[i];
            }
        }
        DmeConfig config = DmeConfig.load();
        SparkSession spark = JobSession.create(config);
        try {
            if (plots != null) {
                long id = song != null ? song : latestSong(spark);
                System.out.println("wrote " + Plots.gantt(spark, id, plots.resolve("gantt-" + id + ".png")));
                System.out.println("wrote " + Plots.histogram(spark, plots.resolve("chunk-times.png")));
            }
            if (query != null || plots == null) {
                String text = query == null ? defaultSummary()
                        : query.endsWith(".sql") ? Files.readString(Paths.get(query)) : query;
                run(spark, SqlScript.parse(text));
            }
        } finally {
            spark.stop();
        }
    }

    /** Runs every statement; SELECTs are printed under their heading comment. */
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
            throw new IllegalArgumentException("no jobs recorded yet: process a song first");
        }
        return r.get(0).getLong(0);
    }

    private static String defaultSummary() throws java.io.IOException {
        String home = System.getProperty("dme.home", System.getenv().getOrDefault("DME_HOME", "."));
        return Files.readString(Paths.get(home, "notebooks", "summary.sql"));
    }
}
