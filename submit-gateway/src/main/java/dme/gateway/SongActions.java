package dme.gateway;

import dme.core.Submissions;
import dme.core.format.JobHeartbeat;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delete, cancel and reset: the actions that stop the job's work. Each answers once the job confirms
 * the songs' tasks stopped (bounded by {@code dme.job.cancel.wait.seconds}), so their slots are free.
 */
final class SongActions {
    private static final List<String> CANCELLABLE = List.of("queued", "separating", "mixing");

    private final SongCatalog catalog;
    private final Submissions submissions;
    private final JobRecords jobs;
    private final JobHealth health;
    private final ProgressReader progress;

    SongActions(SongCatalog catalog, Submissions submissions, JobRecords jobs, JobHealth health, ProgressReader progress) {
        this.catalog = catalog;
        this.submissions = submissions;
        this.jobs = jobs;
        this.health = health;
        this.progress = progress;
    }

    Map<String, Object> delete(String idText) throws IOException, InterruptedException {
        long id = SongCatalog.parseSongId(idText);
        long at = System.currentTimeMillis();
        catalog.delete(id);
        jobs.forget(id);
        return Map.of("deleted", id, "stopped", health.awaitStopped(List.of(id), at));
    }

    Map<String, Object> cancel(String idText, UrlBase urls) throws IOException, InterruptedException {
        SongMeta meta = catalog.require(idText);
        long at = System.currentTimeMillis();
        Progress before = progress.progress(meta, urls);
        if (!CANCELLABLE.contains(before.state())) {
            throw ApiException.conflict("song " + meta.musicId() + " has nothing queued or running to cancel (it is "
                    + before.state() + ")");
        }
        long seq = submissions.requestCancel(meta.musicId());
        boolean stopped = health.awaitStopped(List.of(meta.musicId()), at);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("music_id", meta.musicId());
        out.put("request_seq", seq);
        out.put("stopped", stopped);
        out.put("state", progress.progress(meta, urls).state());
        return out;
    }

    Map<String, Object> reset() throws IOException, InterruptedException {
        List<Long> inFlight = health.heartbeat().map(JobHeartbeat::running).orElse(List.of());
        long at = catalog.reset();
        jobs.forgetAll();
        return Map.of("reset_at", at, "stopped", health.awaitStopped(inFlight, at));
    }
}
