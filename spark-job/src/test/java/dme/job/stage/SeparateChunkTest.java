package dme.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import dme.core.chunk.PcmCodec;
import dme.core.format.ChunkRecord;
import dme.core.format.Json;
import dme.job.separate.Separator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separating one chunk of a decoded song, outside Spark. */
class SeparateChunkTest {
    @TempDir
    Path dir;

    @Test
    void separatesAChunkIntoStemsThatSumToIt() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        SongTask song = f.store(TestAudio.song(4.0, 2), List.of(1, 2, 3, 4));
        DecodeSong.Decoded d = new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);

        SeparatedChunk c = new SeparateChunk(f.ctx, song, d.plan(), d.stats()).separate(1, TaskSignals.NONE);

        assertNull(c.error());
        assertEquals(1, c.job().chunkIndex());
        assertEquals(d.plan().chunkCount(), c.job().totalChunks());
        assertEquals(1.5, c.job().startSeconds(), 1e-9);
        assertTrue(c.job().separator().startsWith("spectral"), c.job().separator());
        assertEquals(1, c.separatorLoads());
        float[][] rows = PcmCodec.decode(f.storage.readAll(f.storage.layout().chunkScratch(song.musicId(), song.seq(), 1)),
                Separator.ROWS);
        float[][] mix = DecodedMixture.readChunk(f.storage, song, d.plan(), 1);
        for (int ch = 0; ch < 2; ch++) {
            for (int i = 0; i < mix[0].length; i += 101) {
                float sum = 0;
                for (int s = 0; s < 4; s++) {
                    sum += rows[2 * s + ch][i];
                }
                assertEquals(mix[ch][i], sum, 1e-4, "soft masks: the stems sum to the mixture");
            }
        }
        ChunkRecord progress = Json.read(f.storage.readAll(f.storage.layout().chunkStatus(song.musicId(), 1)), ChunkRecord.class);
        assertEquals(c.job(), progress, "the progress record the gateway reads");
    }

    @Test
    void aSeparatorFailureFailsTheChunkNotTheTask() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of(DmeConfig.SEPARATOR_CLASS, FailingSeparator.class.getName()));
        SongTask song = f.store(TestAudio.song(2.0, 5), List.of(4));
        DecodeSong.Decoded d = new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);

        SeparatedChunk c = new SeparateChunk(f.ctx, song, d.plan(), d.stats()).separate(0, TaskSignals.NONE);

        assertTrue(c.error().startsWith("separator failing failed on chunk 0: "), c.error());
        assertTrue(c.error().contains("out of tune"), c.error());
        assertFalse(f.storage.exists(f.storage.layout().chunkStatus(song.musicId(), 0)), "no progress for a failed chunk");
    }

    /** A separator that always throws (created by class name, as dme.separator.class does). */
    public static final class FailingSeparator implements Separator {
        @Override
        public float[][][] separate(float[][] mixture, dme.core.SongStats stats) {
            throw new IllegalStateException("out of tune");
        }

        @Override
        public String name() {
            return "failing";
        }
    }
}
