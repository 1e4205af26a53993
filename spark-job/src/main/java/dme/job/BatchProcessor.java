package dme.job;

import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.ResetMarker;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.stats.Plots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One micro-batch of process requests: decode and chunk the songs on executors, spread the chunks
 * over all task slots, separate, bring each song's chunks together in order, stitch and write stems
 * and mixes, and record jobs and songs in the Delta tables. Songs whose stems exist are only remixed.
 */
final class BatchProcessor implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final JobContext ctx;
    private final String queryKey;
    private long lastResetSeen = -1;

    BatchProcessor(JobContext ctx, String queryKey) {
        this.ctx = ctx;
        this.queryKey = queryKey;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) throws IOException {
        SparkSession spark = batch.sparkSession();
        Storage storage = ctx.storage();
        StatusWriter status = new StatusWriter(storage);
        purgeAfterReset(spark, storage);

        List<SongTask> separate = new ArrayList<>();
        List<SongTask> remix = new ArrayList<>();
        for (ProcessRequest request : latestPerSong(batch.collectAsList())) {
            Optional<SongMeta> meta = status.meta(request.musicId());
            if (meta.isEmpty()) {
                LOG.info("request {}-{} skipped: the song no longer exists", request.musicId(), request.seq());
                continue;
            }
            String format = request.format() == null || request.format().isBlank() ? ctx.config().outputFormat() : request.format();
            SongTask task = SongTask.of(request, meta.get(), format);
            try {
                OutputFormat.parse(format);
                task.selection();
            } catch (IllegalArgumentException e) {
                status.song(task, SongState.FAILED, 0, 0, null, null, null, "invalid request: " + e.getMessage());
                continue;
            }
            (RemixSong.stemsExist(storage, task) ? remix : separate).add(task);
        }
        LOG.info("batch {}: {} songs to separate, {} to remix", batchId, separate.size(), remix.size());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (!separate.isEmpty()) {
            separate(spark, jsc, separate, batchId);
        }
        if (!remix.isEmpty()) {
            jsc.parallelize(remix, remix.size()).foreach(new RemixSong(ctx));
        }
        List<Row> songRows = new ArrayList<>();
        for (SongTask t : concat(separate, remix)) {
            Optional<SongStatus> s = status.song(t.musicId());
            if (status.songExists(t.musicId())) {
                songRows.add(Tables.songRow(t, s.orElse(null)));
            }
        }
        Tables.upsertSongs(spark, songRows, storage.layout());
        for (SongTask t : concat(separate, remix)) {
            if (!status.songExists(t.musicId())) {
                storage.deleteRecursively(storage.layout().statusDir(t.musicId()));
            }
        }
        purgeAfterReset(spark, storage);
        drawPlots(spark, storage, separate);
    }

    /** Pictures for the job page; a plotting problem never fails the batch. */
    private void drawPlots(SparkSession spark, Storage storage, List<SongTask> separated) {
        List<Long> done = new ArrayList<>();
        for (SongTask t : separated) {
            try {
                if (new StatusWriter(storage).song(t.musicId()).map(s -> s.state() == SongState.DONE).orElse(false)) {
                    done.add(t.musicId());
                }
            } catch (IOException e) {
                LOG.warn("song {}: status unreadable for plotting: {}", t.musicId(), e.toString());
            }
        }
        if (done.isEmpty()) {
            return;
        }
        try {
            Plots.publish(spark, storage, done, ctx.config().localTmp());
        } catch (IOException | RuntimeException e) {
            LOG.warn("job plots not drawn: {}", e.toString());
        }
    }

    private void separate(SparkSession spark, JavaSparkContext jsc, List<SongTask> songs, long batchId) {
        int slots = ctx.config().partitions() > 0 ? ctx.config().partitions() : jsc.defaultParallelism();
        JavaRDD<ChunkRow> chunks = jsc.parallelize(songs, songs.size()).flatMap(new ChunkSource(ctx));
        JavaRDD<SeparatedChunk> separated = chunks
                .mapToPair(c -> new Tuple2<>(c.song().musicId() + c.index(), c))
                .partitionBy(new Partitioners.Spread(slots))
                .values()
                .mapPartitions(new SeparateChunks(ctx));
        JavaPairRDD<ChunkKey, SeparatedChunk> bySong = separated
                .mapToPair(s -> new Tuple2<>(new ChunkKey(s.song().musicId(), s.index()), s))
                .repartitionAndSortWithinPartitions(new Partitioners.BySong(Math.min(songs.size(), slots)));
        JavaRDD<Row> jobs = bySong.mapPartitions(new StitchSongs(ctx, batchId));
        Tables.appendJobs(spark.createDataFrame(jobs, Tables.JOBS_SCHEMA), ctx.config().layout(), queryKey, batchId);
    }

    /** Several requests for one song in a batch: the newest selection wins. */
    private static List<ProcessRequest> latestPerSong(List<Row> rows) {
        Map<Long, ProcessRequest> latest = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.isNullAt(r.fieldIndex("music_id")) || r.isNullAt(r.fieldIndex("tracks"))) {
                LOG.warn("malformed process request ignored: {}", r);
                continue;
            }
            List<Integer> tracks = new ArrayList<>();
            for (Object t : r.getList(r.fieldIndex("tracks"))) {
                if (t != null) {
                    tracks.add(((Number) t).intValue());
                }
            }
            long seq = r.isNullAt(r.fieldIndex("seq")) ? 0 : r.getLong(r.fieldIndex("seq"));
            String format = r.isNullAt(r.fieldIndex("format")) ? null : r.getString(r.fieldIndex("format"));
            ProcessRequest p = new ProcessRequest(r.getLong(r.fieldIndex("music_id")), seq, tracks, format, 0,
                    RequestFields.gains(r), RequestFields.bitrate(r), RequestFields.twoStems(r));
            latest.merge(p.musicId(), p, (a, b) -> b.seq() >= a.seq() ? b : a);
        }
        return new ArrayList<>(latest.values());
    }

    /** After a reset (control/reset.json newer than the last one seen), drop rows of deleted songs. */
    private void purgeAfterReset(SparkSession spark, Storage storage) throws IOException {
        StorageLayout layout = storage.layout();
        if (!storage.exists(layout.resetMarker())) {
            return;
        }
        long resetAt = Json.read(storage.readAll(layout.resetMarker()), ResetMarker.class).resetAt();
        if (resetAt == lastResetSeen) {
            return;
        }
        List<Long> live = new ArrayList<>();
        for (FileStatus f : storage.list(layout.songsDir())) {
            StorageLayout.parseId(f.getPath().getName()).ifPresent(live::add);
        }
        Tables.keepOnly(spark, layout, live);
        lastResetSeen = resetAt;
        LOG.info("reset seen: tables now keep {} songs", live.size());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
