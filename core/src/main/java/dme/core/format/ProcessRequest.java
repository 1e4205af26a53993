package dme.core.format;

import dme.core.Stem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request to separate a song (if its stems do not exist yet) and mix the selected tracks.
 * The gateway writes one per {@code POST /music/{id}} under {@code requests/}; the stream reads them.
 *
 * @param seq increasing per song, so a new selection never overwrites an older request file
 * @param tracks selected track ids (see {@link Stem#trackId()})
 * @param format output format name (wav, wav-float, flac, mp3)
 * @param requestedAt epoch milliseconds
 */
public record ProcessRequest(long musicId, long seq, List<Integer> tracks, String format, long requestedAt) {

    public ProcessRequest {
        tracks = List.copyOf(tracks);
    }

    /** The selected stems; unknown track ids are a caller error. */
    public List<Stem> stems() {
        return tracks.stream()
                .map(t -> Stem.byTrackId(t).orElseThrow(() -> new IllegalArgumentException("unknown track id " + t)))
                .distinct().sorted().collect(Collectors.toList());
    }
}
