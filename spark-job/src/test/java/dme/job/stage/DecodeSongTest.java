package dme.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.audio.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding a stored upload into the song's scratch mixture, outside Spark. */
class DecodeSongTest {
    @TempDir
    Path dir;

    @Test
    void decodesIntoChunksWithTheSongsStatistics() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        float[][] audio = TestAudio.song(5.0, 3);
        SongTask song = f.store(audio, List.of(1, 2, 3, 4));

        DecodeSong.Decoded d = new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);

        assertNull(d.error());
        assertEquals(audio[0].length, d.plan().totalFrames());
        assertEquals(4, d.plan().chunkCount(), "5 s in 2 s chunks overlapping by 25 %: a chunk every 1.5 s");
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < audio[0].length; i++) {
            double mono = (audio[0][i] + audio[1][i]) * 0.5;
            sum += mono;
            sumSq += mono * mono;
        }
        double mean = sum / audio[0].length;
        double std = Math.sqrt((sumSq - audio[0].length * mean * mean) / (audio[0].length - 1));
        assertEquals(mean, d.stats().mean(), 1e-4);
        assertEquals(std, d.stats().std(), 1e-4);
        // the scratch mixture holds the decoded song; FLAC at 24 bits is within 1e-6 of the floats
        float[][] chunk = DecodedMixture.readChunk(f.storage, song, d.plan(), 1);
        int at = (int) d.plan().offset(1);
        for (int i = 0; i < chunk[0].length; i += 997) {
            assertEquals(audio[0][at + i], chunk[0][i], 1e-4);
            assertEquals(audio[1][at + i], chunk[1][i], 1e-4);
        }
        assertEquals(List.of(), f.localScratch(), "no local scratch is left");
    }

    @Test
    void anUndecodableFileFailsItsSongWithTheReason() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        Path junk = Files.write(dir.resolve("junk.mp3"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        SongTask song = f.storeFile(junk, "mp3", List.of(4));

        DecodeSong.Decoded d = new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);

        assertTrue(d.error().startsWith("cannot decode"), d.error());
        assertEquals(List.of(), f.localScratch());
    }

    @Test
    void aStoppedTaskEndsTheDecodingAndLeavesNothing() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        SongTask song = f.store(TestAudio.song(3.0, 1), List.of(4));

        Thread.currentThread().interrupt(); // what Spark does to a killed task's thread
        try {
            assertThrows(InterruptedException.class, () -> new DecodeSong(f.ctx).decode(song, TaskSignals.NONE));
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), f.localScratch());
    }
}
