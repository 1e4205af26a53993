package dme.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StemFileTest {
    @Test
    void namesParseBackToTheirStemModeAndFormat() {
        for (Stem s : Stem.values()) {
            for (boolean without : new boolean[] {false, true}) {
                for (String ext : new String[] {"wav", "flac", "mp3"}) {
                    StemFile f = new StemFile(s, without, ext);
                    assertEquals(Optional.of(f), StemFile.parse(f.fileName()));
                }
            }
        }
        assertEquals("no_vocals.mp3", new StemFile(Stem.VOCALS, true, "mp3").fileName());
        assertEquals("drums", new StemFile(Stem.DRUMS, false, "wav").id());
    }

    @Test
    void otherNamesAreNoStemFiles() {
        for (String name : new String[] {"piano.wav", "vocals.ogg", "no_no_vocals.wav", "VOCALS.wav", "vocals.wav.tmp",
                "../vocals.wav", "outputs.json", "no_.wav", ""}) {
            assertTrue(StemFile.parse(name).isEmpty(), name);
        }
        assertTrue(StemFile.parse(null).isEmpty());
    }

    @Test
    void theLayoutNamesStemFilesByTheRule() {
        StorageLayout layout = new StorageLayout("file:///store");
        assertEquals("file:/store/songs/7/stems/no_bass.flac", layout.stem(7, new StemFile(Stem.BASS, true, "FLAC")).toString());
        assertEquals(layout.stem(7, Stem.OTHER, "wav"), layout.stem(7, new StemFile(Stem.OTHER, false, "wav")));
        assertEquals(layout.stemWithout(7, Stem.OTHER, "mp3"), layout.stem(7, new StemFile(Stem.OTHER, true, "mp3")));
    }
}
