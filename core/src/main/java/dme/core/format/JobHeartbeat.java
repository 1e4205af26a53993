package dme.core.format;

import java.util.List;
import java.util.Map;

/**
 * The job's sign of life ({@code control/heartbeat.json}), rewritten every few seconds and whenever
 * the songs in flight change. The gateway reports the job down when it grows old.
 *
 * @param runId changes with every start of the job
 * @param startedAt epoch milliseconds when this run started
 * @param updatedAt epoch milliseconds of this record
 * @param running songs being separated or mixed now
 * @param queued songs admitted and waiting for a free place, in the order they will start
 * @param etaSeconds estimated seconds until each running or queued song is done (song id as key)
 * @param executors executors the job has (the driver counts in local mode)
 * @param slots concurrent tasks the executors run
 * @param maxSongsInFlight how many songs share the executors at once
 */
public record JobHeartbeat(
        String runId,
        long startedAt,
        long updatedAt,
        List<Long> running,
        List<Long> queued,
        Map<Long, Double> etaSeconds,
        int executors,
        int slots,
        int maxSongsInFlight) {

    public JobHeartbeat {
        running = running == null ? List.of() : List.copyOf(running);
        queued = queued == null ? List.of() : List.copyOf(queued);
        etaSeconds = etaSeconds == null ? Map.of() : Map.copyOf(etaSeconds);
    }

    /** Seconds since this record was written, as seen at {@code now}. */
    public double ageSeconds(long now) {
        return Math.max(0, now - updatedAt) / 1000.0;
    }

    /** 1-based place of a song among the queued ones; 0 when it is not queued. */
    public int queuePosition(long musicId) {
        int i = queued.indexOf(musicId);
        return i + 1;
    }
}
