-- dme job statistics: the summary printed by `scripts/stats.sh` with no argument.
-- Retried chunks leave one row per attempt; `jobs_latest` keeps the last attempt of each chunk so
-- nothing is counted twice.
CREATE OR REPLACE TEMPORARY VIEW jobs_latest AS
SELECT * FROM (
  SELECT *, row_number() OVER (PARTITION BY job_id, request_seq ORDER BY attempt DESC, finished_at DESC) AS rn
  FROM jobs WHERE ok
) WHERE rn = 1;

-- Songs processed and hours of audio
SELECT status, count(*) AS songs, round(sum(duration_seconds) / 3600, 3) AS audio_hours
FROM songs GROUP BY status ORDER BY status;

-- Chunks and chunk processing time (ms)
SELECT count(*) AS chunks,
       round(avg(processing_ms), 1) AS mean_ms,
       percentile_approx(processing_ms, 0.5) AS p50_ms,
       percentile_approx(processing_ms, 0.95) AS p95_ms,
       max(processing_ms) AS max_ms
FROM jobs_latest;

-- Real-time factor per separator: seconds of audio separated per second of chunk processing
SELECT separator, count(*) AS chunks,
       round(sum(duration_seconds) / (sum(processing_ms) / 1000.0), 2) AS realtime_factor
FROM jobs_latest GROUP BY separator ORDER BY separator;

-- Load per executor
SELECT executor_id, host, count(*) AS chunks, round(sum(processing_ms) / 1000.0, 1) AS busy_seconds,
       max(separator_loads) AS separator_loads
FROM jobs_latest GROUP BY executor_id, host ORDER BY executor_id;
