package dme.core.format;

import java.util.List;

/**
 * Song-level state written to {@code status/<id>/song.json} by the gateway (queued) and the job.
 *
 * @param requestSeq the request this state belongs to
 * @param totalChunks number of chunks the song was cut into (0 until planned)
 * @param stems file names of the completed stems under {@code stems/}
 * @param mixFile file name of the mix for the request's selection under the song folder, once done
 * @param error a clear message when {@link SongState#FAILED}
 * @param updatedAt epoch milliseconds
 */
public record SongStatus(
        long musicId,
        long requestSeq,
        SongState state,
        int totalChunks,
        double durationSeconds,
        List<Integer> tracks,
        String separator,
        List<String> stems,
        String mixFile,
        String error,
        long updatedAt) {

    public SongStatus {
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
        stems = stems == null ? List.of() : List.copyOf(stems);
    }
}
