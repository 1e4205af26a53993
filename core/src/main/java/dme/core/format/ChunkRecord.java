package dme.core.format;

/**
 * One separated chunk: a "job" of the public API. Executors write it to
 * {@code status/<id>/chunks/<idx>.json} as soon as the chunk is done (live progress), and the same
 * fields become a row of the {@code jobs} table.
 *
 * @param jobId {@link JobIds#of(long, int)}
 * @param inputBytes size of the chunk's PCM as carried in the row
 * @param startedAt epoch milliseconds
 * @param finishedAt epoch milliseconds
 * @param attempt Spark task attempt number (retries of the same chunk have attempt &gt; 0)
 */
public record ChunkRecord(
        long jobId,
        long musicId,
        long requestSeq,
        int chunkIndex,
        int totalChunks,
        double startSeconds,
        double durationSeconds,
        long inputBytes,
        long startedAt,
        long finishedAt,
        long processingMs,
        String executorId,
        String host,
        String separator,
        int attempt) implements java.io.Serializable {}
