package dme.job.driver;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dme.core.LocalScratch;
import dme.core.Storage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The job pictures: a Gantt chart of a song's chunks per executor, and a histogram of chunk times. */
public final class Plots {
    private Plots() {}

    /**
     * Chunks of {@code musicId} as bars from start to end. Each executor gets as many lanes as it ran
     * chunks at the same time (its busy task slots), so parallel work shows as parallel bars.
     */
    public static Path gantt(SparkSession spark, long musicId, Path file) throws IOException {
        return gantt(musicId, chunkRows(spark, List.of(musicId)).getOrDefault(musicId, List.of()), file);
    }

    /**
     * The recorded chunks of these songs, per song, in start order: (executor_id, chunk_index, start ms,
     * end ms, music_id). A song separated more than once shows its newest request, and a chunk run more
     * than once its last attempt (as {@code jobs_latest} in notebooks/summary.sql counts them): one bar
     * per chunk. One query for all the songs of a batch: each query over the table costs a Delta
     * snapshot and a scan, a large share of a short batch.
     */
    static Map<Long, List<Row>> chunkRows(SparkSession spark, Collection<Long> songs) {
        String in = songs.stream().map(String::valueOf).collect(Collectors.joining(","));
        Map<Long, List<Row>> bySong = new LinkedHashMap<>();
        for (Row r : spark.sql("SELECT executor_id, chunk_index, unix_millis(started_at), unix_millis(finished_at), music_id "
                + "FROM (SELECT *, max(request_seq) OVER (PARTITION BY music_id) AS newest_seq, "
                + "row_number() OVER (PARTITION BY music_id, request_seq, chunk_index ORDER BY attempt DESC, finished_at DESC) AS rn "
                + "FROM jobs WHERE ok AND music_id IN (" + in + ")) "
                + "WHERE request_seq = newest_seq AND rn = 1 ORDER BY started_at, chunk_index").collectAsList()) {
            bySong.computeIfAbsent(r.getLong(4), k -> new ArrayList<>()).add(r);
        }
        return bySong;
    }

    private static Path gantt(long musicId, List<Row> rows, Path file) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no jobs recorded for song " + musicId);
        }
        long t0 = rows.stream().mapToLong(r -> r.getLong(2)).min().orElse(0);
        // Greedy interval colouring per executor: a chunk takes the first slot free when it starts.
        Map<String, List<Long>> slotEnds = new LinkedHashMap<>();
        Map<String, Integer> laneOf = new LinkedHashMap<>();
        List<String> laneNames = new ArrayList<>();
        List<int[]> placed = new ArrayList<>();
        for (Row r : rows) {
            List<Long> ends = slotEnds.computeIfAbsent(r.getString(0), e -> new ArrayList<>());
            int slot = 0;
            while (slot < ends.size() && ends.get(slot) > r.getLong(2)) {
                slot++;
            }
            if (slot == ends.size()) {
                ends.add(0L);
            }
            ends.set(slot, r.getLong(3));
            String lane = "executor " + r.getString(0) + " · slot " + (slot + 1);
            laneOf.computeIfAbsent(lane, l -> {
                laneNames.add(l);
                return laneNames.size() - 1;
            });
            placed.add(new int[] {laneOf.get(lane)});
        }
        int lanes = laneNames.size();
        XYChart chart = new XYChartBuilder().width(900).height(160 + 40 * lanes)
                .title("Song " + musicId + ": " + rows.size() + " chunks over time")
                .xAxisTitle("seconds since the first chunk started").yAxisTitle("task slot").build();
        chart.getStyler().setYAxisMin(-0.7);
        chart.getStyler().setYAxisMax(lanes - 0.3);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        java.awt.Color[] palette = {new java.awt.Color(0x3B82F6), new java.awt.Color(0xF59E0B),
            new java.awt.Color(0x10B981), new java.awt.Color(0xEF4444), new java.awt.Color(0x8B5CF6)};
        boolean[] named = new boolean[lanes];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int lane = placed.get(i)[0];
            double start = (r.getLong(2) - t0) / 1000.0;
            double end = Math.max(start + 0.001, (r.getLong(3) - t0) / 1000.0);
            String name = named[lane] ? "chunk " + r.getInt(1) : laneNames.get(lane);
            XYSeries s = chart.addSeries(name, new double[] {start, end}, new double[] {lane, lane});
            s.setShowInLegend(!named[lane]);
            named[lane] = true;
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(palette[lane % palette.length]);
            s.setLineStyle(new BasicStroke(Math.max(6f, 30f / lanes), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        }
        return save(chart, file);
    }

    /** Distribution of chunk processing times over all recorded jobs. */
    public static Path histogram(SparkSession spark, Path file) throws IOException {
        List<Double> ms = new ArrayList<>();
        for (Row r : spark.sql("SELECT processing_ms FROM jobs WHERE ok").collectAsList()) {
            ms.add((double) r.getLong(0));
        }
        if (ms.isEmpty()) {
            throw new IllegalArgumentException("no jobs recorded yet");
        }
        double max = ms.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        Histogram h = new Histogram(ms, 20, 0, Math.max(1, max * 1.0001));
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420)
                .title("Chunk processing time (" + ms.size() + " chunks)")
                .xAxisTitle("milliseconds").yAxisTitle("chunks").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("chunks", h.getxAxisData(), h.getyAxisData());
        return save(chart, file);
    }

    /** Draws both pictures into storage (stats/), where the gateway's job page shows them. */
    public static void publish(SparkSession spark, Storage storage, Collection<Long> songs, Path tmpDir) throws IOException {
        Path dir = Files.createTempDirectory(tmpDir, LocalScratch.PLOTS_PREFIX);
        try {
            Map<Long, List<Row>> chunks = chunkRows(spark, songs);
            for (long id : songs) {
                Path f = gantt(id, chunks.getOrDefault(id, List.of()), dir.resolve("gantt-" + id + ".png"));
                storage.copyFromLocal(f, storage.layout().ganttPlot(id));
            }
            storage.copyFromLocal(histogram(spark, dir.resolve("chunk-times.png")), storage.layout().chunkTimesPlot());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // XChart appends the extension itself.
        String name = file.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
