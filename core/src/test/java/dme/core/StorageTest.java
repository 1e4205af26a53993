package dme.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {

    @Test
    void layoutKeepsEveryPathUnderTheRootAndRejectsBadParts(@TempDir Path dir) {
        StorageLayout l = new StorageLayout(dir.toUri().toString());
        assertTrue(l.stem(7, Stem.VOCALS, "wav").toString().endsWith("/songs/7/stems/vocals.wav"));
        assertTrue(l.mix(7, List.of(Stem.VOCALS, Stem.DRUMS), "mp3").toString().endsWith("/songs/7/mix-1-4.mp3"));
        assertTrue(l.request(7, 3).toString().endsWith("/requests/7-3.json"));
        assertThrows(IllegalArgumentException.class, () -> l.original(7, "../x"));
        assertThrows(IllegalArgumentException.class, () -> l.songDir(-1));
        assertThrows(IllegalArgumentException.class, () -> new StorageLayout("relative/path"));
        assertTrue(StorageLayout.parseId("../1").isEmpty());
        assertTrue(StorageLayout.parseId("-5").isEmpty());
        assertTrue(StorageLayout.parseId("99999999999999999999").isEmpty());
        assertTrue(StorageLayout.parseId("0").isEmpty());
        assertEquals(42, StorageLayout.parseId("42").getAsLong());
    }

    @Test
    void atomicWritesLeaveNothingBehindOnFailure(@TempDir Path dir) throws Exception {
        Storage s = Storage.open(new StorageLayout(dir.toUri().toString()));
        org.apache.hadoop.fs.Path target = s.layout().meta(1);
        s.writeAtomically(target, "v1".getBytes(StandardCharsets.UTF_8));
        s.writeAtomically(target, "v2".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("v2".getBytes(StandardCharsets.UTF_8), s.readAll(target), "rename replaces");

        org.apache.hadoop.fs.Path big = s.layout().original(2, "mp3");
        assertThrows(Storage.SizeLimitException.class,
                () -> s.writeAtomically(big, new ByteArrayInputStream(new byte[5000]), 4096));
        assertFalse(s.exists(big));
        assertTrue(s.list(s.layout().tmpDir()).isEmpty(), "no staged leftovers");
        assertEquals(0, s.fs().listStatus(s.layout().tmpDir()).length);
    }

    @Test
    void createExclusiveIssuesEachNameOnce(@TempDir Path dir) throws Exception {
        Storage s = Storage.open(new StorageLayout(dir.toUri().toString()));
        assertTrue(s.createExclusive(s.layout().idMarker(5)));
        assertFalse(s.createExclusive(s.layout().idMarker(5)));
    }
}
