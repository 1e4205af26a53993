package dme.gateway;

import dme.core.DmeConfig;
import dme.core.format.JobHeartbeat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code GET /info}: whether the job is alive and busy, and the limits and options a client needs. */
final class ServerInfo {
    private final DmeConfig config;
    private final TokenGuard guard;
    private final JobHealth health;

    ServerInfo(DmeConfig config, TokenGuard guard, JobHealth health) {
        this.config = config;
        this.guard = guard;
        this.health = health;
    }

    Map<String, Object> now() {
        Map<String, Object> m = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        Optional<JobHeartbeat> beat = health.heartbeat();
        m.put("job_alive", health.alive(beat, now));
        m.put("job_heartbeat_age_s", beat.map(b -> Math.round(b.ageSeconds(now) * 10) / 10.0).orElse(null));
        m.put("job_heartbeat_timeout_s", health.timeoutSeconds());
        m.put("songs_running", beat.map(b -> b.running().size()).orElse(0));
        m.put("songs_queued", beat.map(b -> b.queued().size()).orElse(0));
        m.put("executors", beat.map(JobHeartbeat::executors).orElse(0));
        m.put("max_upload_bytes", config.uploadMaxBytes());
        m.put("max_upload_seconds", config.uploadMaxSeconds());
        m.put("output_format", config.outputFormat());
        m.put("write_token_required", guard.writeProtected());
        m.put("admin_token_required", guard.adminProtected());
        m.put("tracks", SongCatalog.TRACKS);
        return m;
    }
}
