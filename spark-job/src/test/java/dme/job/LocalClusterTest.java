package dme.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    /** PID of the executor JVM the kill run killed (0 when none was found). */
    private static final java.util.concurrent.atomic.AtomicLong KILLED = new java.util.concurrent.atomic.AtomicLong();

    @TempDir
    Path dir;

    /** Runs one song through the job on {@code master}; returns its stems. */
    private float[][][] run(String master, float[][] music, String name, boolean killExecutor) throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve(name)).with(DmeConfig.SPARK_MASTER, master);
        SparkSession spark = master.startsWith("local-cluster") ? clusterSession(config) : JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            long id = TestSongs.storeMusic(storage, dir, music, name);
            new Submissions(storage).requestProcessing(id, List.of(1, 2, 3, 4), null);
            if (killExecutor) {
                killAnExecutorWhenChunksRun(storage, config, id, spark.sparkContext().applicationId());
            }
            StreamingJob.start(spark, config, true).awaitTermination();
            SongStatus s = Json.read(storage.readAll(config.layout().songStatus(id)), SongStatus.class);
            assertEquals(SongState.DONE, s.state(), String.valueOf(s.error()));
            if (killExecutor) {
                // Which of the job's tasks the lost executor was running (decode, separation or
                // stitching) depends on timing; the song completing with identical stems is the proof.
                assertTrue(KILLED.get() > 0, "an executor JVM of this application was killed mid-song");
            } else if (master.startsWith("local-cluster")) {
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
                stems[stem.ordinal()] = TestAudio.read(Paths.get(config.layout().stem(id, stem, "wav").toUri()));
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

    private static void assertSameStems(float[][][] expected, float[][][] actual) {
        for (int s = 0; s < 4; s++) {
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(expected[s][c], actual[s][c], "stem " + s + " channel " + c);
            }
        }
    }

    @Test
    void twoExecutorJvmsGiveTheSameStemsAsOneJvm() throws Exception {
        float[][] music = TestAudio.song(24, 3);
        float[][][] single = run("local[2]", music, "single", false);
        float[][][] cluster = run("local-cluster[2,1,1024]", music, "cluster", false);
        assertSameStems(single, cluster);
        // An executor JVM killed (SIGKILL) while the song's chunks run: Spark reruns its tasks on a
        // new executor and the song comes out exactly as the undisturbed run.
        float[][][] killed = run("local-cluster[2,1,1024]", music, "killed", true);
        assertSameStems(single, killed);
    }

    /** PIDs of the executor JVMs of application {@code appId} (not those of a cluster still exiting). */
    private static List<Long> executorPids(String appId) throws java.io.IOException {
        List<Long> pids = new java.util.ArrayList<>();
        try (var procs = Files.list(Paths.get("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                    if (cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (java.io.IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return pids;
    }

    /** Kills one executor JVM of this test's local cluster once the song's first chunks are done. */
    private static void killAnExecutorWhenChunksRun(Storage storage, DmeConfig config, long id, String appId) {
        Thread killer = new Thread(() -> {
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (storage.list(config.layout().chunksDir(id)).isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                executorPids(appId).stream().findFirst().flatMap(ProcessHandle::of).ifPresent(p -> {
                    p.destroyForcibly();
                    KILLED.set(p.pid());
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "executor-killer");
        killer.setDaemon(true);
        killer.start();
    }
}
