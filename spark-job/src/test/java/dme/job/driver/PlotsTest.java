package dme.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gantt chart of a song separated more than once, with retried chunks: job rows as the job records
 * them (the columns the chart reads, in a Spark view named like the table).
 */
class PlotsTest {
    private static final long SONG = 7;
    private static final long OTHER = 8;
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void jobs() {
        spark = SparkSession.builder().master("local[1]").appName("plots-test").config("spark.ui.enabled", "false")
                .getOrCreate();
        StructType schema = new StructType()
                .add("music_id", DataTypes.LongType, false)
                .add("request_seq", DataTypes.LongType, false)
                .add("chunk_index", DataTypes.IntegerType, false)
                .add("started_at", DataTypes.TimestampType, false)
                .add("finished_at", DataTypes.TimestampType, false)
                .add("processing_ms", DataTypes.LongType, false)
                .add("executor_id", DataTypes.StringType, true)
                .add("attempt", DataTypes.IntegerType, false)
                .add("ok", DataTypes.BooleanType, false);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            rows.add(row(SONG, 1, c, 1_000 + c * 500, "first", 0, true)); // the first separation
            rows.add(row(OTHER, 1, c, 2_000 + c * 500, "other", 0, true));
        }
        for (int c = 0; c < 4; c++) {
            rows.add(row(SONG, 2, c, 100_000 + c * 500, c == 3 ? "lost" : "second", 0, c != 3));
        }
        rows.add(row(SONG, 2, 3, 103_000, "retry", 1, true)); // chunk 3 failed once, then succeeded
        rows.add(row(SONG, 2, 2, 103_500, "retry", 1, true)); // chunk 2 ran twice (a re-run task)
        spark.createDataFrame(rows, schema).createOrReplaceTempView("jobs");
    }

    private static Row row(long song, long seq, int chunk, long startMs, String executor, int attempt, boolean ok) {
        return RowFactory.create(song, seq, chunk, new Timestamp(startMs), new Timestamp(startMs + 400), 400L, executor,
                attempt, ok);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aSongSeparatedTwiceShowsItsNewestRequestOneBarPerChunk() throws Exception {
        Map<Long, List<Row>> rows = Plots.chunkRows(spark, List.of(SONG, OTHER));
        List<Row> song = rows.get(SONG);
        assertEquals(List.of(0, 1, 2, 3), song.stream().map(r -> r.getInt(1)).sorted().toList(), "one bar per chunk");
        assertEquals(List.of("second", "second", "retry", "retry"), song.stream().map(r -> r.getString(0)).toList(),
                "the newest request, each chunk's last attempt");
        assertEquals(4, rows.get(OTHER).size());

        Path gantt = Plots.gantt(spark, SONG, dir.resolve("gantt.png"));
        BufferedImage img = ImageIO.read(gantt.toFile());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 150, "a real picture");
    }
}
