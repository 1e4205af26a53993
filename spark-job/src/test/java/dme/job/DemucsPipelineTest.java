package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.SongStats;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.Separator;
import dme.job.separate.demucs.DemucsOptions;
import dme.job.separate.demucs.DemucsSeparator;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fidelity of the distributed Demucs path: chunk rows, executors and stitching give the same stems as
 * the same TorchScript model run over the same segmentation in one JVM.
 */
class DemucsPipelineTest {
    @TempDir
    Path dir;

    static Path tinyModel() throws Exception {
        return Paths.get(DemucsPipelineTest.class.getResource("/demucs/tiny-hdemucs.pt").toURI());
    }

    private static double sdr(float[] ref, float[] est) {
        return TestAudio.sdr(new float[][] {ref}, new float[][] {est});
    }

    @Test
    void distributedStemsEqualOneJvmRunOfTheSameModel() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root"))
                .with(DmeConfig.SEPARATOR, "auto")
                .with(DmeConfig.MODEL, tinyModel().toString())
                .with(DmeConfig.CHUNK_SECONDS, "1")
                .with(DmeConfig.DEMUCS_SEGMENT_SECONDS, "1");
        float[][] music = TestAudio.song(4.3, 4);
        SparkSession spark = JobSession.create(config);
        long id;
        String separatorName;
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            id = TestSongs.storeMusic(storage, dir, music, "demucs song");
            new Submissions(storage).requestProcessing(id, List.of(4), null);
            StreamingJob.start(spark, config, true).awaitTermination();
            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
            assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
            List<Row> jobs = spark.sql("SELECT DISTINCT separator, separator_loads FROM jobs").collectAsList();
            assertEquals(1, jobs.size(), jobs.toString());
            separatorName = jobs.get(0).getString(0);
            assertTrue(separatorName.startsWith("demucs:tiny-hdemucs.pt:"), "auto picks Demucs when a model is set");
            assertEquals(1, jobs.get(0).getInt(1), "model loaded once in the executor JVM");
        } finally {
            spark.stop();
        }

        // The same model over the same segmentation in one JVM, with the same whole-song statistics.
        float[][] mix = TestAudio.read(Paths.get(config.layout().songDir(id).toUri()).resolve("original.flac"));
        int n = mix[0].length;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double m = (mix[0][i] + mix[1][i]) * 0.5;
            sum += m;
            sumSq += m * m;
        }
        double mean = sum / n;
        SongStats stats = new SongStats((float) mean, (float) Math.sqrt((sumSq - n * mean * mean) / (n - 1)));
        ChunkPlan plan = ChunkPlan.of(n, 1, 0.25, 44_100);
        float[][] expected = new float[8][n];
        OverlapAddStitcher st = OverlapAddStitcher.into(plan, expected);
        try (DemucsSeparator model = DemucsSeparator.load(tinyModel(), DemucsOptions.defaults().withSegmentSeconds(1))) {
            for (int k = 0; k < plan.chunkCount(); k++) {
                int o = (int) plan.offset(k);
                int len = plan.length(k);
                float[][][] out = model.separate(new float[][] {
                    Arrays.copyOfRange(mix[0], o, o + len), Arrays.copyOfRange(mix[1], o, o + len)}, stats);
                st.add(k, Separator.rows(out));
            }
            st.finish();
            assertEquals(model.name(), separatorName, "the jobs table names the model and its precision");
        }
        for (Stem stem : Stem.values()) {
            float[][] got = TestAudio.read(Paths.get(config.layout().stem(id, stem, "wav").toUri()));
            for (int c = 0; c < 2; c++) {
                double sdr = sdr(expected[2 * stem.ordinal() + c], got[c]);
                assertTrue(sdr >= 60, stem + " channel " + c + ": SDR " + sdr + " dB against the one-JVM run");
            }
        }
    }
}
