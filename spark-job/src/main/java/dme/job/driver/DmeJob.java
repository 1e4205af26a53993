package dme.job.driver;

import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started dme job: the streaming query that admits requests, the scheduler that runs the songs and
 * the table upkeep. {@link #awaitTermination} returns when the query ends (in batch mode, once every
 * admitted song is finished and recorded); {@link #stop} stops all three.
 */
public final class DmeJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DmeJob.class);

    private final StreamingQuery query;
    private final SongScheduler scheduler;
    private final TableUpkeep upkeep;
    private final boolean once;
    private boolean stopped;

    DmeJob(StreamingQuery query, SongScheduler scheduler, TableUpkeep upkeep, boolean once) {
        this.query = query;
        this.scheduler = scheduler;
        this.upkeep = upkeep;
        this.once = once;
    }

    /** The query that admits requests; null for a job without a stream ({@link StreamingJob#runPending}). */
    public StreamingQuery query() {
        return query;
    }

    /** Waits for the query to end; in batch mode also for every admitted song to be finished and recorded. */
    public void awaitTermination() throws StreamingQueryException, InterruptedException {
        if (query != null) {
            query.awaitTermination();
        }
        if (once) {
            scheduler.awaitIdle();
            upkeep.awaitIdle();
        }
        stop();
    }

    /**
     * Admits every request present now and waits until those songs are finished and their rows are in
     * the tables (for tests and tools that drive a streaming job).
     */
    public void processAllAvailable() throws InterruptedException {
        if (query != null) {
            query.processAllAvailable();
        }
        scheduler.awaitIdle();
        upkeep.awaitIdle();
    }

    /** True while the query runs (in batch mode: until every admitted song is finished). */
    public boolean isActive() {
        return (query != null && query.isActive()) || (once && !scheduler.idle());
    }

    /** Stops admitting, stops the songs in flight (they resume at the next start) and commits what is finished. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (query != null) {
                query.stop();
            }
        } catch (TimeoutException e) {
            LOG.warn("the streaming query did not stop in time: {}", e.toString());
        }
        scheduler.close();
        upkeep.close();
    }

    @Override
    public void close() {
        stop();
    }
}
