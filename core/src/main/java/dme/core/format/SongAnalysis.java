package dme.core.format;

import java.util.ArrayList;
import java.util.List;

/**
 * What the analysis found in a song, stored as {@code songs/<id>/analysis.json} next to its stems:
 * tempo in BPM and beat times in seconds (null and empty when no steady pulse was found), and the
 * key, e.g. "F# minor" (null when no pitched content was found). Read back as untrusted input:
 * {@link #sane} drops what no analysis writes.
 */
public record SongAnalysis(Double tempoBpm, List<Double> beatsSeconds, String key) {
    private static final int MAX_KEY_CHARS = 16;

    public SongAnalysis {
        List<Double> beats = new ArrayList<>();
        if (beatsSeconds != null) {
            for (Double b : beatsSeconds) {
                if (b != null && Double.isFinite(b) && b >= 0) {
                    beats.add(b);
                }
            }
        }
        beatsSeconds = List.copyOf(beats);
    }

    /** This record with an out-of-range tempo or an implausible key removed. */
    public SongAnalysis sane() {
        Double tempo = tempoBpm != null && tempoBpm >= 20 && tempoBpm <= 400 ? tempoBpm : null;
        String k = key != null && key.length() <= MAX_KEY_CHARS && key.matches("[A-G][#b]? (major|minor)") ? key : null;
        return new SongAnalysis(tempo, beatsSeconds, k);
    }
}
