package dme.job.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.format.SongAnalysis;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A song analysed on its first part only keeps a beat grid to its end. */
class AnalysisOutputTest {
    @Test
    void theBeatGridIsCarriedOnAtTheTempoToTheSongsEnd() {
        SongAnalysis first = new SongAnalysis(120.0, List.of(0.5, 1.0, 1.5), "A minor");
        SongAnalysis whole = AnalysisOutput.extend(first, 10.0);
        assertEquals(List.of(0.5, 1.0, 1.5), whole.beatsSeconds().subList(0, 3), "the detected beats stay");
        assertEquals(19, whole.beatsSeconds().size(), "beats every 0.5 s up to 10 s");
        assertEquals(9.5, whole.beatsSeconds().get(18), 1e-9);
        assertEquals("A minor", whole.key());
        SongAnalysis noPulse = new SongAnalysis(null, List.of(), "C major");
        assertTrue(AnalysisOutput.extend(noPulse, 10.0).beatsSeconds().isEmpty(), "no tempo, no grid");
    }
}
