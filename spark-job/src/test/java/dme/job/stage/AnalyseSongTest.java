package dme.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.audio.TestAudio;
import dme.core.format.SongAnalysis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tempo and key from the decoded mixture, outside Spark. */
class AnalyseSongTest {
    @TempDir
    Path dir;

    @Test
    void publishesTheTempoOfTheDecodedMixture() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        SongTask song = f.store(TestAudio.song(12.0, 4), List.of(4)); // a kick every 0.5 s: 120 BPM
        new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);

        assertTrue(new AnalyseSong(f.ctx).analyse(song));

        SongAnalysis a = f.storage.readJson(f.storage.layout().analysis(song.musicId()), SongAnalysis.class).orElseThrow();
        assertNotNull(a.tempoBpm());
        assertEquals(120.0, a.tempoBpm(), 2.0);
        assertEquals(12.0, a.beatsSeconds().get(a.beatsSeconds().size() - 1), 0.6, "beats reach the end of the song");
    }

    @Test
    void aDeletedSongGetsNoAnalysis() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        SongTask song = f.store(TestAudio.song(6.0, 4), List.of(4));
        new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);
        f.storage.fs().delete(f.storage.layout().meta(song.musicId()), false);

        assertEquals(false, new AnalyseSong(f.ctx).analyse(song));
    }
}
