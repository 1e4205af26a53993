package dme.job.driver;

import dme.core.Messages;
import dme.core.Storage;
import dme.core.audio.PcmFormat;
import dme.core.format.ChunkRecord;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.stage.AnalyseSong;
import dme.job.stage.DecodeSong;
import dme.job.stage.JobContext;
import dme.job.stage.Published;
import dme.job.stage.RemixSong;
import dme.job.stage.SeparateChunk;
import dme.job.stage.SeparatedChunk;
import dme.job.stage.SongTask;
import dme.job.stage.SparkTask;
import dme.job.stage.StitchSong;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request of one song, run on the driver as Spark jobs of its own: decode (one task), separate
 * (one task per chunk, so songs in flight share the task slots chunk by chunk under the FAIR
 * scheduler), stitch and publish (one task); or only the mix when the stems exist. Its jobs run in
 * their own job group and scheduler pool, so {@link #cancel} stops its tasks at once and other songs
 * are not held up by it.
 */
final class SongRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SongRun.class);
    /** Longest wait for a stopped run's tasks to end: a chunk that ignores interrupts (a model call). */
    private static final long TASK_END_WAIT_MILLIS = 300_000;

    /** Why a run stopped before its end. {@code keepQueued}: the job is stopping; resume it next time. */
    record Stop(String reason, boolean deleted, boolean keepQueued) {}

    /** How a run ended: the song's final record, and the job rows of its chunks. */
    record Outcome(SongRun run, SongStatus status, List<SeparatedChunk> chunks, Stop stop) {}

    private final JobContext ctx;
    private final JavaSparkContext jsc;
    private final QueueEntry entry;
    private final SongTask song;
    private final SongLifecycle life;
    private final String pool;
    private final Consumer<Outcome> onEnd;
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean separating;

    SongRun(JobContext ctx, JavaSparkContext jsc, QueueEntry entry, SongTask song, SongLifecycle life, String pool,
            Consumer<Outcome> onEnd) {
        this.ctx = ctx;
        this.jsc = jsc;
        this.entry = entry;
        this.song = song;
        this.life = life;
        this.pool = pool;
        this.onEnd = onEnd;
    }

    QueueEntry entry() {
        return entry;
    }

    SongTask song() {
        return song;
    }

    long startedAt() {
        return startedAt;
    }

    /** True once the song is being separated (not only remixed). */
    boolean separating() {
        return separating;
    }

    /** The Spark job group of this run: what the Spark UI shows and what cancel stops. */
    String group() {
        return "dme-song-" + song.musicId() + "-" + song.seq();
    }

    /** Stops the run: its running tasks are interrupted and no new job of it starts. */
    void cancel(Stop why) {
        if (stop.compareAndSet(null, why)) {
            LOG.info("song {} request {}: stopping ({})", song.musicId(), song.seq(), why.reason());
            jsc.sc().cancelJobGroup(group());
        }
    }

    Stop stopRequested() {
        return stop.get();
    }

    @Override
    public void run() {
        SparkContext sc = jsc.sc();
        sc.setLocalProperty("spark.scheduler.pool", pool);
        sc.setJobGroup(group(), "song " + song.musicId() + " '" + song.name() + "' request " + song.seq(), true);
        List<SeparatedChunk> chunks = new ArrayList<>();
        SongStatus end = null;
        Storage storage = ctx.storage();
        try {
            end = RemixSong.stemsExist(storage, song) ? remix() : separate(chunks);
        } catch (Throwable e) {
            if (stop.get() == null) {
                LOG.error("song {} request {}: unexpected failure", song.musicId(), song.seq(), e);
                end = failed("processing failed: " + Messages.rootCause(e));
            }
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty("spark.scheduler.pool", null);
        }
        Stop why = stop.get();
        if (why != null) {
            // a killed task may still be finishing its chunk: it must not write after the clean-up
            awaitTasksEnded();
        }
        if (why != null && (end == null || end.state() != SongState.DONE)) {
            end = stopped(storage, why);
            chunks.clear();
        }
        cleanScratch(storage);
        onEnd.accept(new Outcome(this, end, List.copyOf(chunks), why));
    }

    private SongStatus separate(List<SeparatedChunk> chunks) throws IOException {
        separating = true;
        checkStop();
        Storage storage = ctx.storage();
        storage.deleteRecursively(storage.layout().chunkScratchDir(song.musicId(), song.seq())); // an earlier run's
        DecodeSong decode = new DecodeSong(ctx);
        DecodeSong.Decoded decoded = jsc.parallelize(List.of(song), 1)
                .map(s -> decode.decode(s, SparkTask.current())).collect().get(0);
        checkStop();
        if (decoded.error() != null) {
            return failed(decoded.error());
        }
        int n = decoded.plan().chunkCount();
        life.separating(n, PcmFormat.seconds(decoded.plan().totalFrames()), null);
        List<Integer> indices = IntStream.range(0, n).boxed().toList();
        SeparateChunk separate = new SeparateChunk(ctx, song, decoded.plan(), decoded.stats());
        List<SeparatedChunk> separated = new ArrayList<>(jsc.parallelize(indices, n)
                .map(i -> separate.separate(i, SparkTask.current())).collect());
        checkStop();
        separated.sort(Comparator.comparingInt(SeparatedChunk::index));
        chunks.addAll(separated);
        life.separator(separated.get(0).job().separator());
        for (SeparatedChunk c : separated) {
            if (c.error() != null) {
                return failed(c.error());
            }
        }
        life.mixing();
        StitchSong stitch = new StitchSong(ctx, decoded.plan());
        Published p;
        try {
            p = jsc.parallelize(List.of(song), 1).map(s -> stitch.stitch(s, SparkTask.current())).collect().get(0);
        } catch (RuntimeException e) {
            if (stop.get() != null) {
                throw e;
            }
            return failed("writing outputs failed: " + Messages.rootCause(e));
        }
        SongStatus done = publish(p);
        if (done != null && stop.get() == null) {
            analyse();
        }
        return done;
    }

    /** Tempo and key, after the song is published (a failure leaves it without them). */
    private void analyse() {
        try {
            AnalyseSong analyse = new AnalyseSong(ctx);
            jsc.parallelize(List.of(song), 1).map(analyse::analyse).collect();
        } catch (RuntimeException e) {
            if (stop.get() == null) {
                LOG.warn("song {}: not analysed: {}", song.musicId(), Messages.rootCause(e));
            }
        }
    }

    private SongStatus remix() throws IOException {
        checkStop();
        life.mixing();
        RemixSong remix = new RemixSong(ctx);
        Published p;
        try {
            p = jsc.parallelize(List.of(song), 1).map(remix::remix).collect().get(0);
        } catch (RuntimeException e) {
            if (stop.get() != null) {
                throw e;
            }
            return failed("mixing failed: " + Messages.rootCause(e));
        }
        return publish(p);
    }

    private SongStatus publish(Published p) throws IOException {
        if (life.discardIfDeleted()) {
            stop.compareAndSet(null, new Stop("deleted", true, false));
            return null;
        }
        life.done(p.stems(), p.mixFile());
        return life.current(SongState.DONE, null);
    }

    private SongStatus failed(String error) {
        try {
            life.failed(error);
        } catch (IOException e) {
            LOG.warn("song {}: failure not recorded: {}", song.musicId(), e.toString());
        }
        return life.current(SongState.FAILED, error);
    }

    /** A stopped run: a deleted song leaves nothing; a cancelled one says so; a stopping job requeues. */
    private SongStatus stopped(Storage storage, Stop why) {
        try {
            if (why.deleted() || !life.songExists()) {
                life.discardIfDeleted();
                return null;
            }
            removeChunkRecords(storage);
            if (why.keepQueued()) {
                life.queued();
                return null;
            }
            life.cancelled(why.reason());
            return life.current(SongState.CANCELLED, why.reason());
        } catch (IOException e) {
            LOG.warn("song {}: cleaning up after stop failed: {}", song.musicId(), e.toString());
            return null;
        }
    }

    /** The progress records of this request's chunks: partial outputs of a stopped run. */
    private void removeChunkRecords(Storage storage) throws IOException {
        for (org.apache.hadoop.fs.FileStatus f : storage.list(storage.layout().chunksDir(song.musicId()))) {
            try {
                ChunkRecord r = dme.core.format.Json.read(storage.readAll(f.getPath()), ChunkRecord.class);
                if (r.requestSeq() == song.seq()) {
                    storage.fs().delete(f.getPath(), false);
                }
            } catch (IOException | RuntimeException e) {
                storage.fs().delete(f.getPath(), false); // unreadable: nothing worth keeping
            }
        }
    }

    /**
     * Waits until Spark has seen every job of this run end and none of their tasks is still running
     * (Spark kills tasks asynchronously, after the job has already failed); bounded, logged if cut.
     */
    private void awaitTasksEnded() {
        JavaSparkStatusTracker tracker = jsc.statusTracker();
        long deadline = System.currentTimeMillis() + TASK_END_WAIT_MILLIS;
        while (!tasksEnded(tracker)) {
            if (System.currentTimeMillis() > deadline) {
                LOG.warn("song {} request {}: tasks still running {} s after the stop", song.musicId(), song.seq(),
                        TASK_END_WAIT_MILLIS / 1000);
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean tasksEnded(JavaSparkStatusTracker tracker) {
        for (int jobId : tracker.getJobIdsForGroup(group())) {
            SparkJobInfo job = tracker.getJobInfo(jobId);
            // the job's end event comes after its tasks' start events: once seen, the counts are whole
            if (job == null) {
                continue; // already dropped from Spark's status store: long over
            }
            if (job.status() == JobExecutionStatus.RUNNING) {
                return false;
            }
            for (int stageId : job.stageIds()) {
                SparkStageInfo stage = tracker.getStageInfo(stageId);
                if (stage != null && stage.numActiveTasks() > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private void cleanScratch(Storage storage) {
        try {
            storage.deleteRecursively(storage.layout().chunkScratchDir(song.musicId(), song.seq()));
        } catch (IOException e) {
            LOG.warn("song {}: scratch not removed: {}", song.musicId(), e.toString());
        }
    }

    private void checkStop() {
        Stop why = stop.get();
        if (why != null) {
            throw new StoppedException(why.reason());
        }
    }

    /** Thrown on the run's thread when it notices a stop between its jobs. */
    private static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedException(String reason) {
            super(reason);
        }
    }
}
