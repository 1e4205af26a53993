package dme.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Processing progress of a song: {@code {progress, instruments, final}} of the public contract, plus
 * the state and error so a client can tell "waiting" from "failed".
 *
 * @param progress 0..100; 100 only once the latest request is done
 * @param finalUrl URL of the mix of the selected tracks, once progress is 100 (null before)
 * @param state idle (never requested), queued, separating, mixing, done or failed
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
        Double tempoBpm,
        String key) {}
