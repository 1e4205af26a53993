package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.TestAudio;
import dme.job.cli.SqlScript;
import dme.job.cli.StatsCli;
import dme.job.driver.JobSession;
import dme.job.driver.Plots;
import dme.job.driver.StreamingJob;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebook's and stats.sh's queries and pictures, on tables filled by a real pipeline run. */
class StatsTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static DmeConfig config;
    static long song;
    static long song2;

    @BeforeAll
    static void runPipeline() throws Exception {
        config = TestSongs.config(dir.resolve("root"));
        spark = JobSession.create(config);
        Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
        song = TestSongs.storeMusic(storage, dir, TestAudio.song(6.5, 5), "Stats song");
        song2 = TestSongs.storeMusic(storage, dir, TestAudio.song(6.5, 6), "Stats song two");
        new Submissions(storage).requestProcessing(song, List.of(4), null);
        new Submissions(storage).requestProcessing(song2, List.of(1, 2), null);
        StreamingJob.start(spark, config, true).awaitTermination();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Path repo(String first, String... more) {
        return Paths.get(System.getProperty("dme.conf.dir", "../conf")).getParent().resolve(Paths.get(first, more));
    }

    @Test
    void everyNotebookQueryRuns() throws Exception {
        JsonNode nb = new ObjectMapper().readTree(repo("notebooks", "job-stats.ipynb").toFile());
        Pattern query = Pattern.compile("spark\\.sql\\(\"\"\"(.*?)\"\"\"\\)", Pattern.DOTALL);
        List<String> queries = new ArrayList<>();
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            StringBuilder src = new StringBuilder();
            cell.get("source").forEach(l -> src.append(l.asText()));
            Matcher m = query.matcher(src);
            while (m.find()) {
                queries.add(m.group(1));
            }
        }
        assertTrue(queries.size() >= 6, "the notebook's queries were found: " + queries.size());
        for (String q : queries) {
            long rows = spark.sql(q).count();
            if (q.contains("FROM songs GROUP BY status")) {
                assertEquals(1, rows, "one status group (DONE)");
            }
        }
        int chunks = dme.core.chunk.ChunkPlan.of(Math.round(6.5 * 44_100), 2, 0.25, 44_100).chunkCount();
        assertEquals(2 * chunks, spark.sql("SELECT * FROM jobs_latest").count(), "the view keeps one row per chunk");
    }

    @Test
    void summaryPrintsReadableTables() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, "UTF-8"));
        try {
            StatsCli.run(spark, SqlScript.parse(Files.readString(repo("notebooks", "summary.sql"))));
            for (String file : List.of("slowest-chunks.sql", "retries.sql")) {
                StatsCli.run(spark, SqlScript.parse(Files.readString(repo("notebooks", file))));
            }
        } finally {
            System.setOut(old);
        }
        String out = buf.toString("UTF-8");
        assertTrue(out.contains("== Real-time factor per separator"), out);
        assertTrue(out.contains("spectral-hpss-v6"), out);
        assertTrue(out.contains("|DONE"), out);
    }

    @Test
    void picturesAreDrawnAndPublishedForTheJobPage() throws Exception {
        Path gantt = Plots.gantt(spark, song, dir.resolve("plots/gantt.png"));
        Path hist = Plots.histogram(spark, dir.resolve("plots/hist.png"));
        for (Path p : List.of(gantt, hist)) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 150, p + " is a real picture");
        }
        Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
        for (long id : List.of(song, song2)) {
            assertTrue(storage.exists(config.layout().ganttPlot(id)), "the batch drew the Gantt chart of song " + id);
        }
        assertTrue(storage.exists(config.layout().chunkTimesPlot()));
        assertFalse(storage.exists(config.layout().ganttPlot(song2 + 1)));
    }
}
