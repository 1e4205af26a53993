package dme.job.analysis;

import java.util.List;

/**
 * What the analysis found in a song: tempo in BPM and beat times in seconds (null and empty when no
 * steady pulse was found), and the key, e.g. "F# minor" (null when no pitched content was found).
 */
public record SongAnalysis(Double tempoBpm, List<Double> beatsSeconds, String key) {
    public SongAnalysis {
        beatsSeconds = beatsSeconds == null ? List.of() : List.copyOf(beatsSeconds);
    }
}
