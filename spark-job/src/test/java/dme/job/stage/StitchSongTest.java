package dme.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.Stem;
import dme.core.audio.TestAudio;
import dme.core.format.ProcessRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stitching a separated song into its masters and outputs, and deriving new ones from them, outside Spark. */
class StitchSongTest {
    @TempDir
    Path dir;

    @Test
    void stitchedMastersAreTheSongAndARemixNeedsNoSeparation() throws Exception {
        StageFixture f = new StageFixture(dir, Map.of());
        float[][] audio = TestAudio.song(5.0, 8);
        SongTask song = f.store(audio, List.of(Stem.BASS.trackId(), Stem.VOCALS.trackId()));
        DecodeSong.Decoded d = new DecodeSong(f.ctx).decode(song, TaskSignals.NONE);
        SeparateChunk separate = new SeparateChunk(f.ctx, song, d.plan(), d.stats());
        for (int i = 0; i < d.plan().chunkCount(); i++) {
            separate.separate(i, TaskSignals.NONE);
        }

        Published p = new StitchSong(f.ctx, d.plan()).stitch(song, TaskSignals.NONE);

        assertEquals(List.of("drums.wav", "bass.wav", "other.wav", "vocals.wav"), p.stems());
        float[][] sum = new float[2][audio[0].length];
        for (Stem s : Stem.values()) {
            float[][] master = TestAudio.read(localPath(f.storage.layout().master(song.musicId(), s)));
            assertEquals(audio[0].length, master[0].length, "a master is as long as the song: " + s);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < sum[c].length; i++) {
                    sum[c][i] += master[c][i];
                }
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < sum[c].length; i += 37) {
                assertEquals(audio[c][i], sum[c][i], 1e-3, "the overlap-added stems sum to the song");
            }
        }
        float[][] mix = TestAudio.read(localPath(new org.apache.hadoop.fs.Path(f.storage.layout().songDir(song.musicId()), p.mixFile())));
        float[][] bass = TestAudio.read(localPath(f.storage.layout().master(song.musicId(), Stem.BASS)));
        float[][] vocals = TestAudio.read(localPath(f.storage.layout().master(song.musicId(), Stem.VOCALS)));
        for (int i = 0; i < mix[0].length; i += 41) {
            assertEquals(bass[0][i] + vocals[0][i], mix[0][i], 1e-4, "the mix of the selection");
        }

        // another format and gains: from the masters alone (the chunks' scratch is gone)
        f.storage.deleteRecursively(f.storage.layout().chunkScratchDir(song.musicId(), song.seq()));
        SongTask again = SongTask.of(new ProcessRequest(song.musicId(), 2, List.of(Stem.VOCALS.trackId()), "flac", 0,
                Map.of("4", 0.5), null, null), song.meta(), "flac");
        assertTrue(RemixSong.stemsExist(f.storage, again));
        Published r = new RemixSong(f.ctx).remix(again);
        assertEquals(List.of("drums.flac", "bass.flac", "other.flac", "vocals.flac"), r.stems());
        float[][] half = TestAudio.read(localPath(new org.apache.hadoop.fs.Path(f.storage.layout().songDir(song.musicId()), r.mixFile())));
        for (int i = 0; i < half[0].length; i += 41) {
            assertEquals(0.5 * vocals[0][i], half[0][i], 1e-4, "0.5 x vocals");
        }
        assertEquals(List.of(), f.localScratch(), "no local scratch is left");
    }

    private static Path localPath(org.apache.hadoop.fs.Path p) {
        return Path.of(p.toUri());
    }
}
