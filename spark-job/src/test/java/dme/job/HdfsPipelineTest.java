package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow with the storage root on a real HDFS (MiniDFSCluster in this JVM). */
class HdfsPipelineTest {
    @TempDir
    Path dir;

    @Test
    void songIsSeparatedWithStemsTablesAndStatusOnHdfs() throws Exception {
        Configuration hconf = new Configuration();
        hconf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(hconf).numDataNodes(1).build();
        SparkSession spark = null;
        try {
            cluster.waitActive();
            String root = "hdfs://localhost:" + cluster.getNameNodePort() + "/dme";
            DmeConfig config = TestSongs.config(dir).with(DmeConfig.ROOT, root)
                    .with(DmeConfig.LOCAL_TMP, Files.createDirectories(dir.resolve("tmp")).toString());
            spark = JobSession.create(config);
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            assertEquals("hdfs", storage.fs().getUri().getScheme());
            float[][] music = TestAudio.song(5.1, 7);
            long id = TestSongs.storeMusic(storage, dir, music, "On HDFS");
            new Submissions(storage).requestProcessing(id, List.of(Stem.VOCALS.trackId()), "flac");

            StreamingJob.start(spark, config, true).awaitTermination();

            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
            assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
            Path local = dir.resolve("vocals.flac");
            storage.fs().copyToLocalFile(config.layout().stem(id, Stem.VOCALS, "flac"), new org.apache.hadoop.fs.Path(local.toUri()));
            assertEquals(music[0].length, TestAudio.read(local)[0].length);
            assertTrue(storage.exists(config.layout().mix(id, List.of(Stem.VOCALS), "flac")));
            assertTrue(storage.fs().exists(new org.apache.hadoop.fs.Path(config.layout().jobsTable(), "_delta_log")),
                    "the jobs table lives on HDFS");
            assertEquals(s.totalChunks(), spark.sql("SELECT * FROM jobs WHERE music_id = " + id).count());
            assertEquals(1, spark.sql("SELECT * FROM songs WHERE status = 'DONE'").count());
            assertTrue(!storage.fs().listFiles(config.layout().tmpDir(), true).hasNext(),
                    "no staged file or chunk scratch left");
        } finally {
            if (spark != null) {
                spark.stop();
            }
            cluster.shutdown();
        }
    }
}
