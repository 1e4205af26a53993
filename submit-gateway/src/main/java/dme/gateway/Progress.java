package dme.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Processing progress of a song: {@code {progress, instruments, final}} of the public contract, plus
 * the state and error so a client can tell "waiting" from "failed".
 *
 * @param progress 0..100; 100 only once the latest request is done
 * @param finalUrl URL of the mix of the selected tracks, once progress is 100 (null before)
 * @param state idle (never requested), queued, separating, mixing, done, failed or cancelled
 * @param queuePosition 1-based place among the songs waiting for the job, while queued (else null)
 * @param etaSeconds the job's estimate of the seconds until the song is done, while queued or running
 * @param waitingFor why a queued (or stalled) song waits, in words; null when nothing holds it
 * @param archive URL of a zip of the stems and the mix, once progress is 100 (null before)
 * @param gains the latest request's gains that are not 1, by track id (the mixer starts from them)
 * @param format the latest request's output format (null: the configured one)
 * @param tempoBpm the song's tempo once it is analysed (with its stems), else null
 * @param key the song's key, e.g. "F# minor", once it is analysed, else null
 */
record Progress(
        long musicId,
        int progress,
        List<Instrument> instruments,
        @JsonProperty("final") String finalUrl,
        String state,
        String error,
        long requestSeq,
        List<Integer> tracks,
        int chunksDone,
        int totalChunks,
        String separator,
        long updatedAt,
        Integer queuePosition,
        Double etaSeconds,
        String waitingFor,
        String archive,
        java.util.Map<String, Double> gains,
        String format,
        Integer bitrate,
        String twoStems,
        Double tempoBpm,
        String key) {}
