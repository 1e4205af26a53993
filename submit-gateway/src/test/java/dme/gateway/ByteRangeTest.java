package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void parsesTheSingleRangeForms() throws Exception {
        assertEquals(Optional.of(new ByteRange(0, 99)), ByteRange.parse("bytes=0-99", 1000));
        assertEquals(Optional.of(new ByteRange(500, 999)), ByteRange.parse("bytes=500-", 1000));
        assertEquals(Optional.of(new ByteRange(900, 999)), ByteRange.parse("bytes=-100", 1000));
        assertEquals(Optional.of(new ByteRange(0, 999)), ByteRange.parse("bytes=-5000", 1000));
        assertEquals(Optional.of(new ByteRange(10, 999)), ByteRange.parse("bytes=10-123456", 1000));
        assertEquals(Optional.of(new ByteRange(999, 999)), ByteRange.parse("BYTES=999-999", 1000));
        assertEquals(1, new ByteRange(999, 999).length());
    }

    @Test
    void ignoresWhatItMayIgnore() throws Exception {
        assertTrue(ByteRange.parse(null, 10).isEmpty());
        assertTrue(ByteRange.parse("", 10).isEmpty());
        assertTrue(ByteRange.parse("items=0-1", 10).isEmpty());
        assertTrue(ByteRange.parse("bytes=0-1,3-4", 10).isEmpty());
    }

    @Test
    void refusesUnsatisfiableAndMalformedRanges() {
        for (String h : new String[] {"bytes=1000-", "bytes=5-1", "bytes=x-1", "bytes=-0", "bytes=", "bytes=-",
                "bytes=1-2-3", "bytes=99999999999999999999-"}) {
            assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse(h, 1000), h);
        }
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=0-", 0));
    }
}
