-- Chunks that needed more than one attempt (executor lost, task retried).
SELECT job_id, music_id, chunk_index, count(*) AS attempts, max(attempt) AS last_attempt
FROM jobs GROUP BY job_id, music_id, chunk_index HAVING count(*) > 1 ORDER BY job_id;
