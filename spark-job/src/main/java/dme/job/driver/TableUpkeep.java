package dme.job.driver;

import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.format.ChunkRecord;
import dme.core.format.Json;
import dme.core.format.ResetMarker;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.stage.JobContext;
import dme.job.stage.SeparatedChunk;
import dme.job.stage.SongTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table and picture upkeep, off the songs' critical path: one driver thread records finished songs
 * in the {@code jobs} and {@code songs} tables (several songs per commit when they finish together),
 * draws the job pictures, and purges the rows of deleted songs after a reset or delete.
 */
final class TableUpkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableUpkeep.class);

    /** A finished request; {@code chunks} null = rebuild its job rows from the chunk records in storage. */
    private record Finished(SongTask song, SongStatus status, List<SeparatedChunk> chunks, long batchId,
            Runnable afterCommit) {}

    private final SparkSession spark;
    private final JobContext ctx;
    private final Storage storage;
    private final LinkedBlockingQueue<Object> work = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object purgeRequest = new Object();
    private long lastResetSeen = -1;
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    TableUpkeep(SparkSession spark, JobContext ctx) {
        this.spark = spark;
        this.ctx = ctx;
        this.storage = ctx.storage();
        this.thread = new Thread(this::loop, "dme-tables");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records a finished request; {@code afterCommit} runs once its rows are in (or could not be written). */
    void recordFinished(SongTask song, SongStatus status, List<SeparatedChunk> chunks, long batchId,
            Runnable afterCommit) {
        pending.incrementAndGet();
        work.add(new Finished(song, status, chunks, batchId, afterCommit));
    }

    /** Looks at the reset marker (soon, on the upkeep thread); rows of songs gone are removed. */
    void purgeIfReset() {
        if (!work.contains(purgeRequest)) {
            pending.incrementAndGet();
            work.add(purgeRequest);
        }
    }

    /** Waits until everything handed over so far is committed. */
    void awaitIdle() throws InterruptedException {
        while (pending.get() > 0) {
            Thread.sleep(50);
        }
    }

    private void loop() {
        spark.sparkContext().setLocalProperty("spark.scheduler.pool", "tables");
        spark.sparkContext().setJobGroup("dme-tables", "dme table upkeep", false);
        while (!closed || !work.isEmpty()) {
            List<Object> batch = new ArrayList<>();
            try {
                Object first = work.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                work.drainTo(batch);
                List<Finished> finished = new ArrayList<>();
                boolean purge = false;
                for (Object o : batch) {
                    if (o == purgeRequest) {
                        purge = true;
                    } else {
                        finished.add((Finished) o);
                    }
                }
                if (!finished.isEmpty()) {
                    commit(finished);
                }
                if (purge) {
                    purgeAfterReset();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | IOException e) {
                LOG.warn("table upkeep failed: {}", e.toString());
            } finally {
                pending.addAndGet(-batch.size());
            }
        }
    }

    private void commit(List<Finished> finished) throws IOException {
        if (!ctx.config().tablesEnabled()) {
            finished.forEach(f -> f.afterCommit().run()); // nothing to record: the song is through
            return;
        }
        List<Row> jobRows = new ArrayList<>();
        List<Row> songRows = new ArrayList<>();
        List<long[]> requests = new ArrayList<>();
        List<Long> done = new ArrayList<>();
        for (Finished f : finished) {
            long id = f.song().musicId();
            if (!storage.songExists(id)) {
                continue;
            }
            List<Row> rows = f.chunks() != null ? rows(f.chunks(), f.batchId()) : rowsFromRecords(f.song(), f.batchId());
            jobRows.addAll(rows);
            if (!rows.isEmpty()) {
                requests.add(new long[] {id, f.song().seq()});
            }
            songRows.add(Tables.songRow(f.song(), f.status(), analysis(id)));
            if (f.status().state() == SongState.DONE) {
                done.add(id);
            }
        }
        long t0 = System.nanoTime();
        try {
            Tables.replaceJobs(spark, jobRows, requests, storage.layout());
            Tables.upsertSongs(spark, songRows, storage.layout());
            LOG.info("tables: {} songs and {} job rows recorded in {} ms", songRows.size(), jobRows.size(),
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            for (Finished f : finished) {
                f.afterCommit().run();
            }
        }
        if (!done.isEmpty()) {
            try {
                Plots.publish(spark, storage, done, ctx.config().localTmp());
            } catch (IOException | RuntimeException e) {
                LOG.warn("job plots not drawn: {}", e.toString());
            }
        }
    }

    /** The song's tempo and key, when analysed; a missing or damaged record leaves the columns empty. */
    private dme.core.format.SongAnalysis analysis(long id) {
        try {
            return storage.readJson(storage.layout().analysis(id), dme.core.format.SongAnalysis.class)
                    .map(dme.core.format.SongAnalysis::sane).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<Row> rows(List<SeparatedChunk> chunks, long batchId) {
        List<Row> rows = new ArrayList<>();
        for (SeparatedChunk c : chunks) {
            rows.add(Tables.jobRow(c.job(), c.jvm(), c.separatorLoads(), c.error() == null, batchId));
        }
        return rows;
    }

    /** After a driver restart the chunks' results are gone from memory; their records are in storage. */
    private List<Row> rowsFromRecords(SongTask song, long batchId) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (FileStatus f : storage.list(storage.layout().chunksDir(song.musicId()))) {
            try {
                ChunkRecord r = Json.read(storage.readAll(f.getPath()), ChunkRecord.class);
                if (r.requestSeq() == song.seq()) {
                    rows.add(Tables.jobRow(r, null, 0, true, batchId));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("song {}: chunk record {} unreadable, not in the jobs table", song.musicId(), f.getPath().getName());
            }
        }
        return rows;
    }

    /** After a reset or delete (control/reset.json newer than the last one seen), drop rows of songs gone. */
    private void purgeAfterReset() throws IOException {
        if (!ctx.config().tablesEnabled()) {
            return;
        }
        StorageLayout layout = storage.layout();
        java.util.Optional<ResetMarker> marker;
        try {
            marker = storage.readJson(layout.resetMarker(), ResetMarker.class);
        } catch (IOException e) {
            LOG.warn("reset marker unreadable: {}", e.toString());
            return;
        }
        if (marker.isEmpty() || marker.get().resetAt() == lastResetSeen) {
            return;
        }
        List<Long> live = new ArrayList<>();
        for (FileStatus f : storage.list(layout.songsDir())) {
            StorageLayout.parseId(f.getPath().getName()).ifPresent(live::add);
        }
        Tables.keepOnly(spark, layout, live);
        lastResetSeen = marker.get().resetAt();
        LOG.info("reset seen: tables now keep {} songs", live.size());
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
