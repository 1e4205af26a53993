package dme.job.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The PNG charts of docs/PERFORMANCE.md (XChart, as the job's own plots). */
final class Charts {
    static final Color[] PALETTE = {new Color(0x3B82F6), new Color(0xF59E0B), new Color(0x10B981),
        new Color(0xEF4444), new Color(0x8B5CF6), new Color(0x6B7280), new Color(0xEC4899), new Color(0x14B8A6)};

    private Charts() {}

    static CategoryChart bars(String title, String xTitle, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(900).height(460).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setSeriesColors(PALETTE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLabelsVisible(false);
        return c;
    }

    static XYChart lines(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(900).height(460).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setSeriesColors(PALETTE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    /** Saves {@code docs/<name>.png}; returns the markdown that shows it. */
    static String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String name, String alt) throws IOException {
        Path file = Bench.docs().resolve(name + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        return "![" + alt + "](" + name + ".png)\n";
    }

    static List<String> labels(String... s) {
        return List.of(s);
    }
}
