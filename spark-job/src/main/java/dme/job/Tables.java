package dme.job;

import dme.core.StorageLayout;
import dme.core.format.ChunkRecord;
import dme.core.format.SongStatus;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
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
            .add("error", DataTypes.StringType, true);

    private Tables() {}

    /** Creates the tables if needed and registers them as {@code jobs} and {@code songs}. */
    public static void register(SparkSession spark, StorageLayout layout) {
        create(spark, JOBS, layout.jobsTable().toString(), JOBS_SCHEMA);
        create(spark, SONGS, layout.songsTable().toString(), SONGS_SCHEMA);
    }

    private static synchronized void create(SparkSession spark, String name, String location, StructType schema) {
        DeltaTable.createIfNotExists(spark).tableName(name).location(location).addColumns(schema).execute();
    }

    static Row jobRow(ChunkRecord j, String jvm, int separatorLoads, boolean ok, long batchId) {
        return RowFactory.create(j.jobId(), j.musicId(), j.requestSeq(), j.chunkIndex(), j.totalChunks(),
                j.startSeconds(), j.durationSeconds(), j.inputBytes(), new Timestamp(j.startedAt()),
                new Timestamp(j.finishedAt()), j.processingMs(), j.executorId(), j.host(), jvm,
                j.separator(), separatorLoads, j.attempt(), ok, batchId);
    }

    static Row songRow(SongTask song, SongStatus status) {
        boolean finished = status != null && status.state().finished();
        return RowFactory.create(song.musicId(), song.name(), song.band(),
                status == null ? null : status.durationSeconds(),
                song.tracks().toArray(new Integer[0]), song.seq(),
                status == null ? null : status.totalChunks(),
                status == null ? null : status.separator(),
                new Timestamp(song.submittedAt()),
                finished ? new Timestamp(status.updatedAt()) : null,
                status == null ? "UNKNOWN" : status.state().name(),
                status == null ? "no status was recorded" : status.error());
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
