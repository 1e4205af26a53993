-- The ten slowest chunks, with where they ran.
SELECT music_id, chunk_index, round(duration_seconds, 2) AS seconds_of_audio, processing_ms,
       executor_id, host, separator, attempt
FROM jobs WHERE ok ORDER BY processing_ms DESC LIMIT 10;
