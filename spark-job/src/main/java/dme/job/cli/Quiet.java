package dme.job.cli;

/**
 * The CLIs' default (separate.sh, stats.sh): only errors from the logs (Spark's start-up warnings and dme's per-chunk INFO
 * lines are what {@code -v} is for); the CLI prints its own progress and results. Log4j reads its
 * configuration when the first logger is made, so this runs before anything logs.
 */
public final class Quiet {
    static final String CONFIG = "dme-cli-log4j2.properties";

    private Quiet() {}

    public static void logs() {
        System.setProperty("log4j2.configurationFile", CONFIG);
    }
}
