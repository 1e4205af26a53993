package dme.job.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.format.SongAnalysis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MusicAnalyzerTest {
    private static final int RATE = TestMusic.RATE;

    @ParameterizedTest
    @ValueSource(doubles = {72, 97, 120, 143, 170})
    void drumTempoWithinTwoPercent(double bpm) {
        SongAnalysis a = MusicAnalyzer.analyze(TestMusic.drums(bpm, 16, 0.3, 7), RATE);
        assertNotNull(a.tempoBpm());
        assertEquals(bpm, a.tempoBpm(), bpm * 0.02, "detected " + a.tempoBpm() + " BPM for " + bpm);
    }

    @Test
    void beatsFallOnTheTrueBeats() {
        double bpm = 112;
        double offset = 0.41;
        SongAnalysis a = MusicAnalyzer.analyze(
                TestMusic.mix(TestMusic.drums(bpm, 20, offset, 3), TestMusic.chords(MusicalKey.parse("D major"), bpm, 20)),
                RATE);
        double[] truth = TestMusic.beatTimes(bpm, 20, offset);
        List<Double> beats = a.beatsSeconds();
        int hits = 0;
        for (double b : beats) {
            double nearest = Double.MAX_VALUE;
            for (double t : truth) {
                nearest = Math.min(nearest, Math.abs(b - t));
            }
            if (nearest < 0.05) {
                hits++;
            }
        }
        assertTrue(beats.size() >= truth.length - 3 && beats.size() <= truth.length + 1,
                beats.size() + " beats for " + truth.length + " true ones");
        assertTrue(hits >= beats.size() - 1, hits + " of " + beats.size() + " beats within 50 ms: " + beats);
    }

    @ParameterizedTest
    @CsvSource({"F# minor,96", "Eb major,120", "A minor,84", "G major,132", "Bb major,105", "C# minor,140"})
    void keyOfAChordProgressionWithDrums(String key, double bpm) {
        MusicalKey truth = MusicalKey.parse(key);
        SongAnalysis a = MusicAnalyzer.analyze(TestMusic.mix(TestMusic.drums(bpm, 16, 0.2, 11), TestMusic.chords(truth, bpm, 16)), RATE);
        assertEquals(truth.name(), a.key());
        assertEquals(bpm, a.tempoBpm(), bpm * 0.02);
    }

    @Test
    void piecesOfAnySizeGiveTheWholeSongsResult() {
        float[][] song = TestMusic.mix(TestMusic.drums(126, 12, 0.1, 5), TestMusic.chords(MusicalKey.parse("E minor"), 126, 12));
        SongAnalysis whole = MusicAnalyzer.analyze(song, RATE);
        MusicAnalyzer streamed = new MusicAnalyzer(RATE);
        int[] sizes = {1, 4095, 700, 44_100, 3};
        for (int off = 0, i = 0; off < song[0].length; i++) {
            int len = Math.min(sizes[i % sizes.length], song[0].length - off);
            streamed.accept(song, off, len);
            off += len;
        }
        assertEquals(whole, streamed.finish());
    }

    @Test
    void silenceAndTinyInputsHaveNoTempoOrKey() {
        SongAnalysis silence = MusicAnalyzer.analyze(new float[2][RATE * 5], RATE);
        assertNull(silence.tempoBpm());
        assertTrue(silence.beatsSeconds().isEmpty());
        assertNull(silence.key());
        SongAnalysis tiny = MusicAnalyzer.analyze(new float[2][100], RATE);
        assertNull(tiny.tempoBpm());
        assertNull(tiny.key());
    }

    @Test
    void drumsAloneHaveATempo() {
        SongAnalysis a = MusicAnalyzer.analyze(TestMusic.drums(100, 12, 0, 1), RATE);
        assertEquals(100, a.tempoBpm(), 2);
    }
}
