package dme.job.driver;

import dme.core.Storage;
import dme.core.audio.OutputFormat;
import dme.core.format.CancelRequest;
import dme.core.format.JobHeartbeat;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.SongMeta;
import dme.core.format.SongStatus;
import dme.job.stage.JobContext;
import dme.job.stage.SongTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's song scheduler. Admitted requests wait in arrival order (durably, under
 * {@code queue/}); up to {@code dme.job.max.songs.in.flight} songs run at once, each as its own
 * {@link SongRun} in its own FAIR pool, so a short song arriving during a long one gets its share of
 * the task slots at once. A watcher stops runs whose song was deleted or cancelled, or that a newer
 * request of the same song supersedes, and writes the heartbeat the gateway reports health from.
 */
final class SongScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SongScheduler.class);
    private static final long WATCH_MS = 300;

    private final JobContext ctx;
    private final JavaSparkContext jsc;
    private final Storage storage;
    private final TableUpkeep upkeep;
    private final int maxInFlight;
    private final LinkedHashMap<Long, QueueEntry> waiting = new LinkedHashMap<>();
    private final Map<Long, SongRun> running = new LinkedHashMap<>();
    private final Map<Long, Double> durations = new HashMap<>();
    private final BitSet poolsInUse = new BitSet();
    private final Set<String> stoppedGroups = ConcurrentHashMap.newKeySet();
    private final ExecutorService runs;
    private final ScheduledExecutorService watcher;
    private final Throughput throughput;
    private final dme.core.ScratchSweeper sweeper;
    private final String runId = UUID.randomUUID().toString();
    private final long startedAt = System.currentTimeMillis();
    private long lastHeartbeat;
    private long lastQueueSweep;
    private boolean heartbeatDue = true;
    private boolean closed;

    SongScheduler(SparkSession spark, JobContext ctx, TableUpkeep upkeep) {
        this.ctx = ctx;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.storage = ctx.storage();
        this.upkeep = upkeep;
        this.maxInFlight = ctx.config().maxSongsInFlight();
        this.throughput = new Throughput(jsc.defaultParallelism());
        this.sweeper = new dme.core.ScratchSweeper(storage, ctx.config());
        AtomicInteger n = new AtomicInteger();
        // Threads made here, not by the stream's batch thread: Spark's local properties are inherited
        // by new threads, and a song's jobs must not carry the query's.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxInFlight, maxInFlight, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "dme-song-" + n.incrementAndGet()));
        pool.prestartAllCoreThreads();
        this.runs = pool;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dme-scheduler-watch"));
        // A job submitted by a run just as it was stopped would escape cancelJobGroup: stop it on start.
        jsc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
                if (group != null && stoppedGroups.contains(group)) {
                    jsc.sc().cancelJob(start.jobId(), "its song was stopped");
                }
            }
        });
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Resumes the songs a previous run of the job admitted and did not finish, then starts watching. */
    void start() throws IOException {
        storage.fs().mkdirs(storage.layout().queueDir());
        List<QueueEntry> pending = new ArrayList<>();
        for (FileStatus f : storage.list(storage.layout().queueDir())) {
            try {
                pending.add(Json.read(storage.readAll(f.getPath()), QueueEntry.class));
            } catch (IOException | RuntimeException e) {
                LOG.warn("queue entry {} unreadable, removed: {}", f.getPath().getName(), e.toString());
                storage.fs().delete(f.getPath(), false);
            }
        }
        pending.sort(Comparator.comparingLong(QueueEntry::admittedAt));
        for (QueueEntry e : pending) {
            admit(e);
        }
        if (!pending.isEmpty()) {
            LOG.info("resumed {} admitted songs from the queue", pending.size());
        }
        watcher.scheduleWithFixedDelay(this::watch, 0, WATCH_MS, TimeUnit.MILLISECONDS);
    }

    /** Admits a request from the stream: idempotent, so a re-run micro-batch admits nothing twice. */
    void admit(ProcessRequest request, long batchId) {
        admit(new QueueEntry(request, System.currentTimeMillis(), batchId));
    }

    private synchronized void admit(QueueEntry entry) {
        long id = entry.musicId();
        try {
            Optional<SongMeta> meta = readMeta(id);
            if (meta.isEmpty()) {
                LOG.info("request {}-{} skipped: the song no longer exists", id, entry.seq());
                forget(entry);
                return;
            }
            if (isStale(entry)) {
                forget(entry);
                return;
            }
            SongRun current = running.get(id);
            if (current != null && current.song().seq() < entry.seq()) {
                stop(current, new SongRun.Stop("superseded by request " + entry.seq(), false, false));
            }
            SongTask task = task(entry, meta.get());
            String invalid = invalid(task);
            if (invalid != null) {
                new SongLifecycle(storage, task).failed("invalid request: " + invalid);
                forget(entry);
                return;
            }
            storage.writeAtomically(storage.layout().queueEntry(id), Json.bytes(entry));
            waiting.put(id, entry);
            durations.put(id, meta.get().durationSeconds());
            if (current == null) {
                SongLifecycle.resume(storage, task).queued();
            }
            heartbeatDue = true;
            dispatch();
        } catch (SongMetaException e) {
            failUnreadable(entry, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("request {}-{} not admitted: {}", id, entry.seq(), e.toString());
        }
    }

    /** Already finished, running, waiting or cancelled at this seq or a newer one. */
    private boolean isStale(QueueEntry entry) throws IOException {
        long id = entry.musicId();
        SongRun run = running.get(id);
        if (run != null && run.song().seq() >= entry.seq()) {
            return true;
        }
        QueueEntry queued = waiting.get(id);
        if (queued != null && queued.seq() >= entry.seq()) {
            return queued != entry;
        }
        Optional<SongStatus> status = SongLifecycle.read(storage, id);
        if (status.isPresent() && status.get().state().finished() && status.get().requestSeq() >= entry.seq()) {
            LOG.info("request {}-{} skipped: already {}", id, entry.seq(), status.get().state());
            if (status.get().requestSeq() == entry.seq()) {
                upkeep.recordFinished(task(entry, readMeta(id).orElseThrow()), status.get(), null, entry.batchId(),
                        () -> removeQueueEntry(entry)); // its tables may be missing after a crash
            }
            return true;
        }
        Optional<CancelRequest> cancel = cancelRequest(id);
        if (cancel.isPresent() && cancel.get().seq() >= entry.seq()) {
            SongTask task = task(entry, readMeta(id).orElseThrow());
            SongLifecycle life = new SongLifecycle(storage, task);
            life.cancelled("cancelled before it started");
            upkeep.recordFinished(task, life.current(dme.core.format.SongState.CANCELLED, "cancelled before it started"),
                    null, entry.batchId(), () -> removeQueueEntry(entry));
            return true;
        }
        return false;
    }

    private SongTask task(QueueEntry entry, SongMeta meta) {
        ProcessRequest r = entry.request();
        String format = r.format() == null || r.format().isBlank() ? ctx.config().outputFormat() : r.format();
        return SongTask.of(r, meta, format);
    }

    private static String invalid(SongTask task) {
        try {
            OutputFormat.parse(task.format());
            if (task.selection().isEmpty()) {
                return "no tracks selected";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Starts waiting songs, oldest first, while there is room; a song runs one request at a time. */
    private synchronized void dispatch() {
        if (closed) {
            return;
        }
        for (var it = waiting.values().iterator(); it.hasNext() && running.size() < maxInFlight; ) {
            QueueEntry e = it.next();
            if (running.containsKey(e.musicId())) {
                continue; // its older request is still stopping
            }
            it.remove();
            Optional<SongMeta> meta;
            try {
                meta = readMeta(e.musicId());
            } catch (SongMetaException ex) {
                failUnreadable(e, ex.getMessage());
                continue;
            } catch (IOException ex) {
                LOG.warn("song {}: meta unreadable, retried later: {}", e.musicId(), ex.toString());
                waiting.put(e.musicId(), e);
                return;
            }
            if (meta.isEmpty()) {
                forget(e);
                continue;
            }
            SongTask task = task(e, meta.get());
            int pool = poolsInUse.nextClearBit(0);
            poolsInUse.set(pool);
            try {
                SongRun run = new SongRun(ctx, jsc, e, task, SongLifecycle.resume(storage, task), "song-" + pool,
                        outcome -> finished(outcome, pool));
                running.put(e.musicId(), run);
                runs.submit(run);
                LOG.info("song {} request {} started ({} running, {} waiting)", e.musicId(), e.seq(), running.size(),
                        waiting.size());
            } catch (IOException ex) {
                poolsInUse.clear(pool);
                LOG.warn("song {}: not started, retried later: {}", e.musicId(), ex.toString());
                waiting.put(e.musicId(), e);
                return;
            }
            heartbeatDue = true;
        }
    }

    private void finished(SongRun.Outcome o, int pool) {
        SongRun run = o.run();
        QueueEntry e = run.entry();
        SongRun.Stop stop = o.stop();
        // recorded before the run leaves "running", so a caller waiting for idle also waits for the tables
        if (stop == null || !stop.keepQueued()) { // a stopping job keeps the entry for its next start
            if (o.status() != null) {
                upkeep.recordFinished(run.song(), o.status(), o.chunks(), e.batchId(), () -> removeQueueEntry(e));
            } else {
                removeQueueEntry(e);
            }
        }
        synchronized (this) {
            running.remove(e.musicId(), run);
            poolsInUse.clear(pool);
            stoppedGroups.remove(run.group());
            if (o.status() != null && o.status().state() == dme.core.format.SongState.DONE && run.separating()) {
                throughput.add(o.status().durationSeconds(), System.currentTimeMillis() - run.startedAt(),
                        running.size() + 1);
            }
            heartbeatDue = true;
            writeHeartbeat(); // the confirmation cancel, delete and reset wait for
            dispatch();
            notifyAll();
        }
    }

    private void stop(SongRun run, SongRun.Stop why) {
        stoppedGroups.add(run.group());
        run.cancel(why);
    }

    /** Removes the song's queue entry unless a newer request of it is waiting (which owns the file now). */
    private synchronized void removeQueueEntry(QueueEntry e) {
        QueueEntry newer = waiting.get(e.musicId());
        SongRun run = running.get(e.musicId());
        if ((newer != null && newer != e) || (run != null && run.entry() != e)) {
            return;
        }
        try {
            storage.fs().delete(storage.layout().queueEntry(e.musicId()), false);
        } catch (IOException ex) {
            LOG.warn("song {}: queue entry not removed: {}", e.musicId(), ex.toString());
        }
    }

    private void forget(QueueEntry e) {
        if (waiting.get(e.musicId()) == e) {
            waiting.remove(e.musicId());
        }
        removeQueueEntry(e);
    }

    private void failUnreadable(QueueEntry e, String why) {
        LOG.warn("song {}: {}", e.musicId(), why);
        forget(e);
        try {
            SongLifecycle.failedWithoutMeta(storage, e.request(), why);
        } catch (IOException ex) {
            LOG.warn("song {}: failure not recorded: {}", e.musicId(), ex.toString());
        }
    }

    /** The watcher: stops runs of deleted, cancelled or superseded songs, drops such waiting songs, beats. */
    private void watch() {
        try {
            List<SongRun> current;
            List<QueueEntry> queued;
            long now = System.currentTimeMillis();
            boolean sweepQueue;
            synchronized (this) {
                current = new ArrayList<>(running.values());
                sweepQueue = now - lastQueueSweep >= ctx.config().heartbeatSeconds() * 1000;
                queued = sweepQueue ? new ArrayList<>(waiting.values()) : List.of();
            }
            for (SongRun run : current) {
                if (run.stopRequested() == null) {
                    SongRun.Stop why = stopReason(run.song().musicId(), run.song().seq());
                    if (why != null) {
                        stop(run, why);
                    }
                }
            }
            if (sweepQueue) {
                lastQueueSweep = now;
                for (QueueEntry e : queued) {
                    if (stopReason(e.musicId(), e.seq()) != null) {
                        synchronized (this) {
                            admitAgain(e);
                        }
                    }
                }
                upkeep.purgeIfReset();
                sweeper.sweepIfDue(); // crash leftovers (stale by age), while the job runs for weeks
            }
            synchronized (this) {
                if (heartbeatDue || now - lastHeartbeat >= ctx.config().heartbeatSeconds() * 1000) {
                    writeHeartbeat();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("scheduler watch failed: {}", e.toString());
        }
    }

    /** A waiting song was deleted or cancelled: admission's checks drop it with the right record. */
    private void admitAgain(QueueEntry e) {
        if (waiting.get(e.musicId()) != e) {
            return;
        }
        waiting.remove(e.musicId());
        try {
            if (readMeta(e.musicId()).isEmpty() || isStale(e)) {
                forget(e);
                heartbeatDue = true;
                return;
            }
        } catch (IOException | RuntimeException ex) {
            LOG.warn("song {}: {}", e.musicId(), ex.toString());
        }
        waiting.put(e.musicId(), e);
    }

    private SongRun.Stop stopReason(long id, long seq) {
        try {
            if (!storage.songExists(id)) {
                return new SongRun.Stop("deleted", true, false);
            }
            Optional<CancelRequest> cancel = cancelRequest(id);
            if (cancel.isPresent() && cancel.get().seq() >= seq) {
                return new SongRun.Stop("cancelled by the user", false, false);
            }
            return null;
        } catch (IOException e) {
            return null; // storage trouble: look again on the next round
        }
    }

    private Optional<CancelRequest> cancelRequest(long id) throws IOException {
        try {
            return storage.readJson(storage.layout().cancelRequest(id), CancelRequest.class);
        } catch (IOException e) {
            if (e instanceof java.io.FileNotFoundException) {
                return Optional.empty();
            }
            if (e instanceof com.fasterxml.jackson.core.JacksonException) {
                LOG.warn("song {}: unreadable cancel request ignored", id);
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<SongMeta> readMeta(long id) throws IOException {
        try {
            return storage.readJson(storage.layout().meta(id), SongMeta.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new SongMetaException("the song's record (meta.json) is damaged: " + e.getOriginalMessage());
        }
    }

    private void writeHeartbeat() {
        long now = System.currentTimeMillis();
        List<Long> runningIds = new ArrayList<>(running.keySet());
        List<Long> queuedIds = new ArrayList<>(waiting.keySet());
        Map<Long, Double> eta = new LinkedHashMap<>();
        // Songs in flight share the job's throughput equally; waiting ones start after the work ahead.
        double rate = throughput.audioSecondsPerSecond();
        double share = rate / Math.max(1, running.size());
        double ahead = 0;
        for (SongRun r : running.values()) {
            double d = durations.getOrDefault(r.song().musicId(), 0.0);
            double left = Math.max(d * 0.05, d - (now - r.startedAt()) / 1000.0 * share);
            ahead += left;
            eta.put(r.song().musicId(), left / share);
        }
        for (QueueEntry e : waiting.values()) {
            ahead += durations.getOrDefault(e.musicId(), 0.0);
            eta.put(e.musicId(), ahead / rate);
        }
        int executors = Math.max(1, jsc.sc().getExecutorMemoryStatus().size() - (jsc.sc().isLocal() ? 0 : 1));
        JobHeartbeat beat = new JobHeartbeat(runId, startedAt, now, runningIds, queuedIds, eta, executors,
                jsc.defaultParallelism(), maxInFlight);
        try {
            storage.writeAtomically(storage.layout().heartbeat(), Json.bytes(beat));
            lastHeartbeat = now;
            heartbeatDue = false;
        } catch (IOException e) {
            LOG.warn("heartbeat not written: {}", e.toString());
        }
    }

    synchronized boolean idle() {
        return waiting.isEmpty() && running.isEmpty();
    }

    /** Waits until no song is waiting or running (for batch runs). */
    synchronized void awaitIdle() throws InterruptedException {
        while (!idle()) {
            wait(500);
        }
    }

    /** Stops the runs in flight (they stay queued for the next start) and the watcher. */
    @Override
    public void close() {
        List<SongRun> current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = new ArrayList<>(running.values());
        }
        for (SongRun r : current) {
            stop(r, new SongRun.Stop("the job is stopping", false, true));
        }
        watcher.shutdownNow();
        runs.shutdown();
        try {
            runs.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A song whose meta.json cannot be parsed: a bad record fails its song, never the scheduler. */
    private static final class SongMetaException extends IOException {
        private static final long serialVersionUID = 1L;

        SongMetaException(String message) {
            super(message);
        }
    }
}
