package dme.job.driver;

import dme.core.DmeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session dme runs in, with everything dme needs of Spark set here (wherever the job runs:
 * conf/spark-defaults.conf only sizes a deployment): Delta, FAIR pools; master from spark-submit or
 * dme.spark.master.
 */
public final class JobSession {
    private JobSession() {}

    /**
     * The FAIR pools the scheduler uses, declared so Spark does not warn about each: one per song in
     * flight ({@code song-0} ...), and {@code tables} for the upkeep. Equal weights: songs in flight
     * share the task slots evenly.
     */
    private static java.nio.file.Path fairPools(DmeConfig config) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<allocations>\n");
        for (int i = 0; i < config.maxSongsInFlight(); i++) {
            xml.append(pool("song-" + i));
        }
        xml.append(pool("tables")).append("</allocations>\n");
        // Spark reads the file while it starts the context; create() deletes it right after.
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("dme-fair-pools-", ".xml");
            java.nio.file.Files.writeString(file, xml);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the FAIR pool file", e);
        }
    }

    private static String pool(String name) {
        return "  <pool name=\"" + name + "\"><schedulingMode>FIFO</schedulingMode><weight>1</weight>"
                + "<minShare>0</minShare></pool>\n";
    }

    public static SparkSession create(DmeConfig config) {
        SparkSession.Builder b = SparkSession.builder()
                .appName("dme")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                // The only shuffles are the tables' small merges: a few partitions, not 200.
                .config("spark.sql.shuffle.partitions", "8")
                // Songs in flight share the task slots: each runs in a pool of its own (SongScheduler).
                .config("spark.scheduler.mode", "FAIR")
                // The tables are small (a row per chunk): Delta's default of 50 partitions to
                // rebuild a snapshot costs seconds per batch for nothing.
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true");
        java.nio.file.Path pools = fairPools(config);
        b.config("spark.scheduler.allocation.file", pools.toString());
        if (System.getProperty("spark.master") == null) {
            b.master(config.sparkMaster());
        }
        SparkSession spark;
        try {
            spark = b.getOrCreate();
        } finally {
            pools.toFile().delete(); // read once at start-up; nothing is left behind
        }
        if (config.tablesEnabled()) {
            Tables.register(spark, config.layout());
        }
        return spark;
    }
}
