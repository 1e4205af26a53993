package dme.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.RenderOptions;
import dme.core.format.SongAnalysis;
import dme.job.stage.RenderedMix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's rendering: the plain mix re-rendered with options, clicking on the stored beats. */
class RenderedMixTest {
    @TempDir
    Path dir;

    @Test
    void rendersTheMixWithTheOptionsAndTheStoredBeats() throws Exception {
        Storage storage = Storage.open(new StorageLayout(dir.resolve("root").toUri().toString()));
        DmeConfig config = DmeConfig.load();
        long id = 7;
        float[][] silence = new float[2][44_100 * 3];
        Path plain = dir.resolve("mix.flac");
        TestAudio.write(plain, silence, OutputFormat.FLAC, 0);
        RenderOptions options = new RenderOptions(0.8, -2, true, null);
        assertEquals("mix-tempo80_transpose-2_click.flac", RenderedMix.fileName(options, OutputFormat.FLAC));

        Path noBeats = dir.resolve("no-analysis.flac");
        RenderedMix.render(storage, config, id, plain, options, OutputFormat.FLAC, noBeats);
        float[][] quiet = TestAudio.read(noBeats);
        assertEquals(1.25, quiet[0].length / (double) silence[0].length, 0.01);
        assertTrue(peak(quiet[0]) < 1e-3, "no analysis: no beats to click on");

        storage.writeAtomically(storage.layout().analysis(id), Json.bytes(new SongAnalysis(120.0, List.of(0.5, 1.0, 1.5, 2.0), "C major")));
        Path clicked = dir.resolve(RenderedMix.fileName(options, OutputFormat.FLAC));
        RenderedMix.render(storage, config, id, plain, options, OutputFormat.FLAC, clicked);
        float[][] out = TestAudio.read(clicked);
        assertEquals(1.25, out[0].length / (double) silence[0].length, 0.01);
        int tick = (int) Math.round(1.0 / 0.8 * 44_100);
        assertTrue(peak(java.util.Arrays.copyOfRange(out[0], tick, tick + 1000)) > 0.1, "a tick on the beat at 1.0 s, now 1.25 s");
        assertEquals("120.0 BPM, C major", RenderedMix.describe(storage, id));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".render-")), "no scratch left");
        }
        storage.writeAtomically(storage.layout().analysis(id), "{oops".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), RenderedMix.beats(storage, id));
    }

    private static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }
}
