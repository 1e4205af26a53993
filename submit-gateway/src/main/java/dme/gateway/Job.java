package dme.gateway;

import java.util.List;

/**
 * One job of the public API: one chunk of one song separated by one executor.
 *
 * @param size input bytes of the chunk
 * @param time processing time in seconds, with millisecond precision (the original contract's unit)
 * @param timeMs the same processing time in milliseconds
 * @param trackId the track ids selected by the request the chunk was separated for
 * @param start epoch milliseconds when the executor started the chunk
 * @param end epoch milliseconds when it finished
 * @param model the separator that ran (e.g. demucs, spectral)
 * @param chunk index of the chunk in the song
 * @param offsetSeconds where the chunk starts in the song
 */
record Job(
        long jobId,
        long size,
        double time,
        long timeMs,
        long musicId,
        List<Integer> trackId,
        long start,
        long end,
        String executor,
        String host,
        String model,
        int attempt,
        int chunk,
        int totalChunks,
        double offsetSeconds,
        double durationSeconds,
        long requestSeq) {

    /** Seconds from the executor's milliseconds: {@code 2800} ms is {@code 2.8}. */
    static double seconds(long millis) {
        return millis / 1000.0;
    }
}
