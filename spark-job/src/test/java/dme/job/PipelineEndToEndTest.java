package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.format.Json;
import dme.core.format.SongAnalysis;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job in local mode on real audio: two songs in one batch, one of them corrupt. */
class PipelineEndToEndTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static DmeConfig config;
    static Storage storage;

    @BeforeAll
    static void start() throws Exception {
        config = TestSongs.config(dir.resolve("root"));
        spark = JobSession.create(config);
        storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static float[][] read(org.apache.hadoop.fs.Path p) throws Exception {
        return TestAudio.read(Paths.get(p.toUri()));
    }

    private static SongStatus status(long id) throws Exception {
        return Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
    }

    private static void runOnce() throws Exception {
        StreamingJob.start(spark, config, true).awaitTermination();
    }

    /** What a command-line run into a scratch store does: the song is done, no table is written. */
    @Test
    void withTablesOffTheSongIsDoneAndNoTableIsWritten() throws Exception {
        DmeConfig off = TestSongs.config(dir.resolve("no-tables")).with(DmeConfig.TABLES_ENABLED, "false");
        Storage store = Storage.open(off.layout(), spark.sparkContext().hadoopConfiguration());
        long id = TestSongs.storeMusic(store, dir, TestAudio.song(3.0, 2), "Untabled");
        new Submissions(store).requestProcessing(id, List.of(Stem.VOCALS.trackId()), null);

        StreamingJob.start(spark, off, true).awaitTermination();

        SongStatus s = Json.read(store.readAll(off.layout().songStatus(id)), SongStatus.class);
        assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
        assertFalse(store.exists(off.layout().jobsTable()), "no jobs table");
        assertFalse(store.exists(off.layout().songsTable()), "no songs table");
        assertEquals(List.of(), store.list(off.layout().queueDir()), "the song left the queue");
    }

    @Test
    void goodSongIsSeparatedAndMixedWhileTheCorruptOneFails() throws Exception {
        float[][] music = TestAudio.song(7.3, 1);
        long good = TestSongs.storeMusic(storage, dir, music, "Good song");
        Path text = Files.writeString(dir.resolve("notes.mp3"), "this is not audio at all\n".repeat(50));
        long bad = TestSongs.store(storage, text, "mp3", "Bad song");
        Submissions submit = new Submissions(storage);
        submit.requestProcessing(good, List.of(Stem.DRUMS.trackId(), Stem.VOCALS.trackId()), null);
        submit.requestProcessing(bad, List.of(1), null);

        runOnce();

        int n = music[0].length;
        ChunkPlan plan = ChunkPlan.of(n, 2, 0.25, 44_100);
        SongStatus s = status(good);
        assertEquals(SongState.DONE, s.state(), "good song: " + s.error());
        assertEquals(plan.chunkCount(), s.totalChunks());
        float[][][] stems = new float[4][][];
        for (Stem stem : Stem.values()) {
            stems[stem.ordinal()] = read(config.layout().stem(good, stem, "wav"));
            assertEquals(n, stems[stem.ordinal()][0].length, stem + " has the song's length");
        }
        float[][] decodedOriginal = read(new org.apache.hadoop.fs.Path(config.layout().songDir(good), "original.flac"));
        float[][] mix = read(config.layout().mix(good, List.of(Stem.DRUMS, Stem.VOCALS), "wav"));
        assertEquals(n, mix[0].length);
        double maxSumErr = 0;
        double maxMixErr = 0;
        double stemEnergy = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                float sum = stems[0][c][i] + stems[1][c][i] + stems[2][c][i] + stems[3][c][i];
                maxSumErr = Math.max(maxSumErr, Math.abs(sum - decodedOriginal[c][i]));
                maxMixErr = Math.max(maxMixErr, Math.abs(mix[c][i] - (stems[0][c][i] + stems[3][c][i])));
                stemEnergy += stems[1][c][i] * stems[1][c][i];
            }
        }
        assertTrue(maxSumErr < 1e-3, "stems sum back to the mixture, max error " + maxSumErr);
        assertTrue(maxMixErr < 1e-3, "the mix is drums + vocals, max error " + maxMixErr);
        assertTrue(stemEnergy > 1, "the bass stem is not empty");
        SongAnalysis analysis = Json.read(storage.readAll(config.layout().analysis(good)), SongAnalysis.class);
        assertEquals(120, analysis.tempoBpm(), 120 * 0.02, "analysed with the stems: the kick every 0.5 s is 120 BPM");
        assertEquals(plan.chunkCount(), storage.list(config.layout().chunksDir(good)).size(), "one progress record per chunk");

        SongStatus b = status(bad);
        assertEquals(SongState.FAILED, b.state());
        assertTrue(b.error().contains("cannot decode"), b.error());
        assertFalse(storage.exists(config.layout().stemsDir(bad)));

        List<Row> jobs = spark.sql("SELECT music_id, count(*), max(separator_loads), min(attempt) FROM jobs GROUP BY music_id").collectAsList();
        assertEquals(1, jobs.size(), "only the good song has jobs");
        assertEquals(good, jobs.get(0).getLong(0));
        assertEquals(plan.chunkCount(), jobs.get(0).getLong(1));
        assertEquals(1, jobs.get(0).getInt(2), "separator created once in this JVM");
        List<Row> songs = spark.sql("SELECT music_id, status, error FROM songs ORDER BY music_id").collectAsList();
        assertEquals(2, songs.size());
        assertEquals("DONE", songs.get(0).getString(1));
        assertEquals("FAILED", songs.get(1).getString(1));

        // A new selection for the same song: only a new mix, no new separation.
        submit.requestProcessing(good, List.of(Stem.BASS.trackId()), null);
        runOnce();
        SongStatus again = status(good);
        assertEquals(SongState.DONE, again.state(), String.valueOf(again.error()));
        assertEquals(2, again.requestSeq());
        assertEquals("mix-2.wav", again.mixFile());
        float[][] bassMix = read(config.layout().mix(good, List.of(Stem.BASS), "wav"));
        assertEquals(n, bassMix[0].length);
        for (int i = 0; i < n; i += 97) {
            assertEquals(stems[1][0][i], bassMix[0][i], 1e-6);
        }
        assertEquals(plan.chunkCount(), spark.sql("SELECT * FROM jobs").count(), "no chunk was separated again");
        assertEquals(2, spark.sql("SELECT * FROM songs").count(), "one row per song");

        // MP3 stems (dme.output.mp3.encoder=auto: the system ffmpeg, as .ci/run installs it): all five
        // files are whole songs of the right length and the mix is still drums + vocals.
        submit.requestProcessing(good, List.of(Stem.DRUMS.trackId(), Stem.VOCALS.trackId()), "mp3");
        runOnce();
        SongStatus mp3 = status(good);
        assertEquals(SongState.DONE, mp3.state(), String.valueOf(mp3.error()));
        float[][] mp3Vocals = read(config.layout().stem(good, Stem.VOCALS, "mp3"));
        float[][] mp3Mix = read(config.layout().mix(good, List.of(Stem.DRUMS, Stem.VOCALS), "mp3"));
        assertEquals(n, mp3Vocals[0].length, 1152, "an MP3 stem is the song's length within one frame");
        assertEquals(n, mp3Mix[0].length, 1152);
        double err = 0;
        double energy = 0;
        for (int i = 4096; i < Math.min(n, mp3Mix[0].length) - 4096; i++) {
            float want = stems[0][0][i] + stems[3][0][i];
            err += (mp3Mix[0][i] - want) * (mp3Mix[0][i] - want);
            energy += want * want;
        }
        assertTrue(10 * Math.log10(energy / err) > 15, "the MP3 mix is drums + vocals, SNR " + 10 * Math.log10(energy / err));
        assertEquals(plan.chunkCount(), spark.sql("SELECT * FROM jobs").count(), "MP3 outputs came from the masters, not the separator");

        // A lower MP3 bit rate: the stems are derived again from the masters, smaller, still no separation.
        long size320 = storage.fs().getFileStatus(config.layout().stem(good, Stem.VOCALS, "mp3")).getLen();
        submit.requestProcessing(good, List.of(4), "mp3", java.util.Map.of(), 96, null);
        runOnce();
        assertEquals(SongState.DONE, status(good).state(), String.valueOf(status(good).error()));
        long size96 = storage.fs().getFileStatus(config.layout().stem(good, Stem.VOCALS, "mp3")).getLen();
        assertTrue(size96 * 2 < size320, "96 kbps stem " + size96 + " bytes against " + size320 + " at 320");

        // Gains: the mix is Σ gain·stem of the masters, its name says the gains; two-stem mode makes
        // vocals and the song without them. Still the chunks of the first separation only.
        submit.requestProcessing(good, List.of(1, 2, 4), "wav-float", java.util.Map.of("1", 1.5, "4", 0.25, "3", 0.5), null,
                "vocals");
        runOnce();
        SongStatus gained = status(good);
        assertEquals(SongState.DONE, gained.state(), String.valueOf(gained.error()));
        assertEquals("mix-1x1.5-2-4x0.25.wav", gained.mixFile());
        assertEquals(List.of("vocals.wav", "no_vocals.wav"), gained.stems());
        float[][][] masters = new float[4][][];
        for (Stem stem : Stem.values()) {
            masters[stem.ordinal()] = read(config.layout().master(good, stem));
        }
        float[][] gainedMix = read(new org.apache.hadoop.fs.Path(config.layout().songDir(good), gained.mixFile()));
        float[][] noVocals = read(config.layout().stemWithout(good, Stem.VOCALS, "wav"));
        assertFalse(storage.exists(config.layout().stem(good, Stem.DRUMS, "wav")), "two-stem mode: no drums file");
        double gainErr = 0;
        double karaokeErr = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                double want = 1.5 * masters[0][c][i] + masters[1][c][i] + 0.25 * masters[3][c][i];
                gainErr = Math.max(gainErr, Math.abs(gainedMix[c][i] - want));
                karaokeErr = Math.max(karaokeErr, Math.abs(noVocals[c][i] - (masters[0][c][i] + masters[1][c][i] + masters[2][c][i])));
            }
        }
        assertTrue(gainErr < 1e-4, "mix = 1.5 drums + bass + 0.25 vocals, max error " + gainErr);
        assertTrue(karaokeErr < 1e-4, "no_vocals = drums + bass + other, max error " + karaokeErr);
        assertEquals(plan.chunkCount(), spark.sql("SELECT * FROM jobs").count(), "no chunk was separated again");

        // Practice render options through the request: 80 % tempo makes the mix 1.25x as long, its
        // name says so, and nothing is separated again; the songs table has the detected tempo and key.
        submit.requestProcessing(good, List.of(2, 3), "wav", java.util.Map.of(), null, null,
                new dme.core.format.RenderOptions(0.8, 0, false, null));
        runOnce();
        SongStatus slower = status(good);
        assertEquals(SongState.DONE, slower.state(), String.valueOf(slower.error()));
        assertEquals("mix-2-3_tempo80.wav", slower.mixFile());
        float[][] slowMix = read(new org.apache.hadoop.fs.Path(config.layout().songDir(good), slower.mixFile()));
        assertEquals(n * 1.25, slowMix[0].length, 0.02 * n, "80 % tempo is 1.25x as long");
        assertEquals(plan.chunkCount(), spark.sql("SELECT * FROM jobs").count(), "a tempo change never separates again");
        org.apache.spark.sql.Row song = spark.sql("SELECT tempo_bpm, key FROM songs WHERE music_id = " + good).first();
        assertFalse(song.isNullAt(0) || song.isNullAt(1), "the songs table has the tempo and key: " + song);
    }

    @Test
    void aNamedMp3EncoderThatCannotRunStopsTheJobAtStart() {
        DmeConfig broken = config.with(DmeConfig.MP3_ENCODER, "/no/such/ffmpeg");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StreamingJob.start(spark, broken, true));
        assertTrue(e.getMessage().contains("dme.output.mp3.encoder"), e.getMessage());
    }
}
