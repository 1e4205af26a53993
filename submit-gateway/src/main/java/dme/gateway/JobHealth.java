package dme.gateway;

import dme.core.Storage;
import dme.core.format.JobHeartbeat;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway knows of the separation job: its heartbeat ({@code control/heartbeat.json}),
 * whether it is alive (the heartbeat is younger than {@code dme.job.heartbeat.timeout.seconds}), and
 * a bounded wait for the job to confirm that songs' work stopped after a cancel, delete or reset.
 */
final class JobHealth {
    private static final Logger LOG = LoggerFactory.getLogger(JobHealth.class);
    private static final long POLL_MS = 100;

    private final Storage storage;
    private final double timeoutSeconds;
    private final long waitMillis;

    JobHealth(Storage storage, double heartbeatTimeoutSeconds, double cancelWaitSeconds) {
        this.storage = storage;
        this.timeoutSeconds = heartbeatTimeoutSeconds;
        this.waitMillis = (long) (cancelWaitSeconds * 1000);
    }

    /** The latest heartbeat; empty when the job never ran here or the record is unreadable. */
    Optional<JobHeartbeat> heartbeat() {
        try {
            return storage.readJson(storage.layout().heartbeat(), JobHeartbeat.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("job heartbeat unreadable: {}", e.toString());
            return Optional.empty();
        }
    }

    boolean alive(Optional<JobHeartbeat> beat, long now) {
        return beat.isPresent() && beat.get().ageSeconds(now) <= timeoutSeconds;
    }

    double timeoutSeconds() {
        return timeoutSeconds;
    }

    /**
     * Waits (at most {@code dme.http.cancel.wait.seconds}) until a heartbeat written after
     * {@code since} shows none of {@code songs} running; true once confirmed. Returns at once when the
     * job is down: then nothing of theirs runs anyway, and the job drops them when it is back.
     */
    boolean awaitStopped(Collection<Long> songs, long since) throws InterruptedException {
        long deadline = since + waitMillis;
        while (true) {
            long now = System.currentTimeMillis();
            Optional<JobHeartbeat> beat = heartbeat();
            if (!alive(beat, now)) {
                return true;
            }
            if (beat.get().updatedAt() > since && beat.get().running().stream().noneMatch(songs::contains)) {
                return true;
            }
            if (now >= deadline) {
                return false;
            }
            Thread.sleep(POLL_MS);
        }
    }
}
