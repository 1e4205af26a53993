package dme.job.driver;

import dme.core.StorageLayout;
import dme.core.format.ChunkRecord;
import dme.core.format.SongStatus;
import dme.job.stage.SongTask;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta tables users query with Spark SQL: {@code jobs} (one row per chunk) and {@code songs}
 * (one row per song and request state). Both live under the storage root and are registered by name in the session.
 */
public final class Tables {
    public static final String JOBS = "jobs";
    public static final String SONGS = "songs";

    static final StructType JOBS_SCHEMA = new StructType()
            .add("job_id", DataTypes.LongType, false)
            .add("music_id", DataTypes.LongType, false)
            .add("request_seq", DataTypes.LongType, false)
            .add("chunk_index", DataTypes.IntegerType, false)
            .add("total_chunks", DataTypes.IntegerType, false)
            .add("start_seconds", DataTypes.DoubleType, false)
            .add("duration_seconds", DataTypes.DoubleType, false)
            .add("input_bytes", DataTypes.LongType, false)
            .add("started_at", DataTypes.TimestampType, false)
            .add("finished_at", DataTypes.TimestampType, false)
            .add("processing_ms", DataTypes.LongType, false)
            .add("executor_id", DataTypes.StringType, true)
            .add("host", DataTypes.StringType, true)
            .add("jvm", DataTypes.StringType, true)
            .add("separator", DataTypes.StringType, true)
            .add("separator_loads", DataTypes.IntegerType, false)
            .add("attempt", DataTypes.IntegerType, false)
            .add("ok", DataTypes.BooleanType, false)
            .add("batch_id", DataTypes.LongType, false);

    static final StructType SONGS_SCHEMA = new StructType()
            .add("music_id", DataTypes.LongType, false)
            .add("name", DataTypes.StringType, true)
            .add("band", DataTypes.StringType, true)
            .add("duration_seconds", DataTypes.DoubleType, true)
            .add("tracks", DataTypes.createArrayType(DataTypes.IntegerType), true)
            .add("request_seq", DataTypes.LongType, false)
            .add("chunks", DataTypes.IntegerType, true)
            .add("separator", DataTypes.StringType, true)
            .add("submitted_at", DataTypes.TimestampType, true)
            .add("finished_at", DataTypes.TimestampType, true)
            .add("status", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("tempo_bpm", DataTypes.DoubleType, true)
            .add("key", DataTypes.StringType, true);

    /** What each column holds, for {@code stats.sh --describe}; every column of both schemas has one. */
    static final Map<String, String> JOBS_DOCS = Map.ofEntries(
            Map.entry("job_id", "music_id * 100000 + chunk_index: the API's job id"),
            Map.entry("music_id", "the song"),
            Map.entry("request_seq", "which request of the song separated it (1, 2, ...)"),
            Map.entry("chunk_index", "position of the chunk in the song, from 0"),
            Map.entry("total_chunks", "chunks of the song"),
            Map.entry("start_seconds", "where the chunk starts in the song"),
            Map.entry("duration_seconds", "seconds of audio in the chunk (overlap included)"),
            Map.entry("input_bytes", "size of the chunk's samples as sent to the executor"),
            Map.entry("started_at", "when the executor started separating it"),
            Map.entry("finished_at", "when it finished"),
            Map.entry("processing_ms", "finished_at - started_at in milliseconds"),
            Map.entry("executor_id", "Spark executor id (driver in local mode)"),
            Map.entry("host", "host name of the executor"),
            Map.entry("jvm", "process id@host of the executor JVM"),
            Map.entry("separator", "separator that ran, e.g. spectral-hpss-v6 or a Demucs model"),
            Map.entry("separator_loads", "how many times this JVM had built a separator (1 = loaded once)"),
            Map.entry("attempt", "Spark task attempt: > 0 is a retry"),
            Map.entry("ok", "false when the chunk failed (its song failed)"),
            Map.entry("batch_id", "the streaming micro-batch that admitted the request"));

    static final Map<String, String> SONGS_DOCS = Map.ofEntries(
            Map.entry("music_id", "the song"),
            Map.entry("name", "title (tags or upload form)"),
            Map.entry("band", "artist (tags or upload form)"),
            Map.entry("duration_seconds", "length of the song"),
            Map.entry("tracks", "track ids of the latest request's mix"),
            Map.entry("request_seq", "the latest request (1, 2, ...)"),
            Map.entry("chunks", "chunks the song was cut into"),
            Map.entry("separator", "separator that produced its stems"),
            Map.entry("submitted_at", "when the song was uploaded"),
            Map.entry("finished_at", "when the latest request finished (done or failed)"),
            Map.entry("status", "DONE, FAILED, ... of the latest request"),
            Map.entry("error", "why it failed, when it did"),
            Map.entry("tempo_bpm", "detected tempo in beats per minute (null until analysed with its stems)"),
            Map.entry("key", "detected key, e.g. F# minor (null until analysed)"));

    private Tables() {}

    /** The tables' columns: "table.column  type  what it holds", one per line. */
    public static List<String> describe() {
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Map.Entry<StructType, Map<String, String>>> t : List.of(
                Map.entry(JOBS, Map.entry(JOBS_SCHEMA, JOBS_DOCS)), Map.entry(SONGS, Map.entry(SONGS_SCHEMA, SONGS_DOCS)))) {
            out.add(t.getKey() + (t.getKey().equals(JOBS) ? ": one row per separated chunk (every attempt)"
                    : ": one row per song, its latest request"));
            for (org.apache.spark.sql.types.StructField f : t.getValue().getKey().fields()) {
                out.add(String.format(java.util.Locale.ROOT, "  %-18s %-10s %s", f.name(), f.dataType().simpleString(),
                        t.getValue().getValue().getOrDefault(f.name(), "")));
            }
        }
        out.add("examples: notebooks/*.sql (stats.sh FILE.sql) and notebooks/job-stats.ipynb");
        return out;
    }

    /** Creates the tables if needed and registers them as {@code jobs} and {@code songs}. */
    public static void register(SparkSession spark, StorageLayout layout) {
        create(spark, JOBS, layout.jobsTable().toString(), JOBS_SCHEMA);
        create(spark, SONGS, layout.songsTable().toString(), SONGS_SCHEMA);
    }

    private static synchronized void create(SparkSession spark, String name, String location, StructType schema) {
        if (DeltaTable.isDeltaTable(spark, location)) {
            // an existing table keeps its schema (one of an older dme gains new columns on its next write)
            spark.sql("CREATE TABLE IF NOT EXISTS " + name + " USING delta LOCATION '" + location.replace("'", "''") + "'");
            return;
        }
        DeltaTable.createIfNotExists(spark).tableName(name).location(location).addColumns(schema).execute();
    }

    static Row jobRow(ChunkRecord j, String jvm, int separatorLoads, boolean ok, long batchId) {
        return RowFactory.create(j.jobId(), j.musicId(), j.requestSeq(), j.chunkIndex(), j.totalChunks(),
                j.startSeconds(), j.durationSeconds(), j.inputBytes(), new Timestamp(j.startedAt()),
                new Timestamp(j.finishedAt()), j.processingMs(), j.executorId(), j.host(), jvm,
                j.separator(), separatorLoads, j.attempt(), ok, batchId);
    }

    static Row songRow(SongTask song, SongStatus status, dme.core.format.SongAnalysis analysis) {
        boolean finished = status != null && status.state().finished();
        return RowFactory.create(song.musicId(), song.name(), song.meta().band(),
                status == null ? null : status.durationSeconds(),
                song.tracks().toArray(new Integer[0]), song.seq(),
                status == null ? null : status.totalChunks(),
                status == null ? null : status.separator(),
                new Timestamp(song.meta().submittedAt()),
                finished ? new Timestamp(status.updatedAt()) : null,
                status == null ? "UNKNOWN" : status.state().name(),
                status == null ? "no status was recorded" : status.error(),
                analysis == null ? null : analysis.tempoBpm(),
                analysis == null ? null : analysis.key());
    }

    /**
     * Writes the job rows of finished requests, replacing any earlier rows of the same (song,
     * request) in the same commit, so recording a request again (after a driver restart) never
     * counts its chunks twice.
     */
    static void replaceJobs(SparkSession spark, List<Row> rows, List<long[]> requests, StorageLayout layout) {
        if (requests.isEmpty()) {
            return;
        }
        String which = requests.stream().map(r -> "(music_id = " + r[0] + " AND request_seq = " + r[1] + ")")
                .collect(Collectors.joining(" OR "));
        spark.createDataFrame(rows, JOBS_SCHEMA).write().format("delta").mode("overwrite")
                .option("replaceWhere", which)
                .save(layout.jobsTable().toString());
    }

    /**
     * One row per song: the latest state wins. The batch's songs are replaced in one commit
     * ({@code replaceWhere} on their ids: Delta drops their old rows, rewriting the files that held
     * them, and adds the new rows), idempotent when a batch is re-run. Cheaper than a MERGE on these
     * small tables: no join to find the matches and no materialised source, so fewer Spark jobs per batch
     * (scripts/bench.sh section 1, "Delta" row, before and after this change).
     */
    static void upsertSongs(SparkSession spark, List<Row> rows, StorageLayout layout) {
        if (rows.isEmpty()) {
            return;
        }
        String ids = rows.stream().map(r -> String.valueOf(r.getLong(0))).distinct().collect(Collectors.joining(","));
        spark.createDataFrame(rows, SONGS_SCHEMA).write().format("delta").mode("overwrite")
                .option("replaceWhere", "music_id IN (" + ids + ")")
                .option("mergeSchema", "true") // tables of older versions gain the new columns
                .save(layout.songsTable().toString());
    }

    /** Removes rows of songs that no longer exist (after a reset or a delete). */
    static void keepOnly(SparkSession spark, StorageLayout layout, Collection<Long> liveSongs) {
        String condition = liveSongs.isEmpty() ? "true"
                : "music_id NOT IN (" + liveSongs.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
        DeltaTable.forPath(spark, layout.jobsTable().toString()).delete(condition);
        DeltaTable.forPath(spark, layout.songsTable().toString()).delete(condition);
    }
}
