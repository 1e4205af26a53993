package dme.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioFiles;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate executor JVMs: the same song through {@code local-cluster[2,1,1024]} and through one JVM
 * gives the same stems, with chunks on both executors and one separator per executor JVM.
 */
class LocalClusterTest {
    @TempDir
    Path dir;

    /** Runs one song through the job on {@code master}; returns its stems. */
    private float[][][] run(String master, float[][] music, String name) throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve(name)).with(DmeConfig.SPARK_MASTER, master);
        SparkSession spark = master.startsWith("local-cluster") ? clusterSession(config) : JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            long id = TestSongs.storeMusic(storage, dir, music, name);
            new Submissions(storage).requestProcessing(id, List.of(1, 2, 3, 4), null);
            StreamingJob.start(spark, config, true).awaitTermination();
            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
            assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
            if (master.startsWith("local-cluster")) {
                List<Row> perJvm = spark.sql("SELECT jvm, executor_id, count(*), max(separator_loads) FROM jobs "
                        + "GROUP BY jvm, executor_id ORDER BY executor_id").collectAsList();
                assertEquals(2, perJvm.size(), "chunks ran on both executors: " + perJvm);
                for (Row r : perJvm) {
                    assertEquals(1, r.getInt(3), "separator loaded once in executor JVM " + r.getString(0));
                }
                assertEquals(2, perJvm.stream().map(r -> r.getString(0)).distinct().count(), "two separate JVMs");
            }
            float[][][] stems = new float[4][][];
            for (Stem stem : Stem.values()) {
                stems[stem.ordinal()] = AudioFiles.decodeAll(Paths.get(config.layout().stem(id, stem, "wav").toUri()));
            }
            return stems;
        } finally {
            spark.stop();
        }
    }

    private static SparkSession clusterSession(DmeConfig config) throws Exception {
        Files.createDirectories(Paths.get(System.getenv("SPARK_HOME"), "jars"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path conf = Paths.get(System.getProperty("dme.conf.dir", "../conf")).toAbsolutePath();
        System.setProperty("spark.executor.extraClassPath", classpath);
        System.setProperty("spark.executor.extraJavaOptions", "@" + conf.resolve("jvm.options")
                + " -Dlog4j2.configurationFile=" + conf.resolve("log4j2-test.properties"));
        try {
            return JobSession.create(config);
        } finally {
            System.clearProperty("spark.executor.extraClassPath");
            System.clearProperty("spark.executor.extraJavaOptions");
        }
    }

    @Test
    void twoExecutorJvmsGiveTheSameStemsAsOneJvm() throws Exception {
        float[][] music = TestSongs.music(9.5, 3);
        float[][][] single = run("local[2]", music, "single");
        float[][][] cluster = run("local-cluster[2,1,1024]", music, "cluster");
        for (int s = 0; s < 4; s++) {
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(single[s][c], cluster[s][c], "stem " + s + " channel " + c);
            }
        }
    }
}
