package dme.core.format;

/** Job ids of the public API: one per chunk of a song, derived so that retries keep the same id. */
public final class JobIds {
    /** Upper bound on chunks per song: 100,000 chunks of 7.5 s are more than 200 hours. */
    public static final int MAX_CHUNKS = 100_000;

    private JobIds() {}

    public static long of(long musicId, int chunkIndex) {
        if (chunkIndex < 0 || chunkIndex >= MAX_CHUNKS) {
            throw new IllegalArgumentException("chunk index out of range: " + chunkIndex);
        }
        return Math.multiplyExact(musicId, (long) MAX_CHUNKS) + chunkIndex;
    }

    public static long musicId(long jobId) {
        return jobId / MAX_CHUNKS;
    }

    public static int chunkIndex(long jobId) {
        return (int) (jobId % MAX_CHUNKS);
    }
}
