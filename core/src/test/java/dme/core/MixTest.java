package dme.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MixTest {
    @Test
    void theKeyNamesTracksAndTheGainsThatAreNotOne() {
        assertEquals("1-4", Mix.of(List.of(4, 1, 1), Map.of()).key());
        assertEquals("1-4x0.25", Mix.of(List.of(1, 4), Map.of("4", 0.25, "1", 1.0)).key());
        assertEquals("2x0-3x1.5", Mix.of(List.of(3, 2), Map.of("2", 0.0, "3", 1.5)).key());
        assertEquals("4x0.333", Mix.of(List.of(4), Map.of("4", 0.33333)).key(), "three decimals");
        assertEquals("1", Mix.of(List.of(1), Map.of("4", 0.5)).key(), "gains of unselected tracks are dropped");
        assertEquals(0.25, Mix.of(List.of(1, 4), Map.of("4", 0.25)).gain(Stem.VOCALS));
        assertEquals(1.0, Mix.of(List.of(1, 4), Map.of("4", 0.25)).gain(Stem.DRUMS));
        assertEquals(0.0, Mix.of(List.of(1, 4), Map.of("4", 0.25)).gain(Stem.BASS));
    }

    @Test
    void parseKeyAcceptsOnlyCanonicalKeys() {
        for (String k : List.of("1", "1-4", "1-4x0.25", "2x0-3x1.5", "1-2-3-4")) {
            assertEquals(k, Mix.parseKey(k).orElseThrow().key());
        }
        for (String k : List.of("", "4-1", "1-1", "1x1", "1x0.250", "1x2", "1x1.6", "5", "1-", "x0.5", "1x.5", "../1", "1x00.5")) {
            assertTrue(Mix.parseKey(k).isEmpty(), k);
        }
    }

    @Test
    void badGainsAndTracksAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mix.of(List.of(1), Map.of("1", 1.6))).getMessage().contains("0 to 1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mix.of(List.of(1), Map.of("1", -0.1))).getMessage().contains("track 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mix.of(List.of(1), Map.of("x", 1.0))).getMessage().contains("'x'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mix.of(List.of(1), Map.of("1", Double.NaN))).getMessage().contains("track 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mix.of(List.of(5), Map.of())).getMessage().contains("unknown track id 5"));
        assertThrows(IllegalArgumentException.class, () -> Mix.of(List.of(), Map.of()));
    }
}
