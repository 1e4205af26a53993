package dme.job.stage;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.audio.AudioWriter;
import dme.core.audio.MixEffects;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import dme.core.format.RenderOptions;
import dme.core.format.SongAnalysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A song's plain mix rendered with a musician's options (tempo, transposition, click, loudness) into
 * {@code mix-<options>.<ext>} next to it. The beats for the click come from the song's stored analysis;
 * nothing is separated again.
 */
public final class RenderedMix {
    private RenderedMix() {}

    /** The file name of a rendering, e.g. {@code mix-tempo80_click.flac}. */
    public static String fileName(RenderOptions options, OutputFormat format) {
        return "mix-" + options.fileTag() + "." + format.extension();
    }

    /**
     * Renders the local {@code plainMix} of song {@code id} into {@code target} (written to a sibling
     * scratch file first, then moved, so a failed render leaves no partial file).
     */
    public static void render(Storage storage, DmeConfig config, long id, Path plainMix, RenderOptions options,
            OutputFormat format, Path target) throws IOException {
        render(storage, config, id, plainMix, options, format, target, config.mp3BitrateKbps());
    }

    /** As above, at an MP3 bit rate of the request's. */
    public static void render(Storage storage, DmeConfig config, long id, Path plainMix, RenderOptions options,
            OutputFormat format, Path target, int mp3Kbps) throws IOException {
        List<Double> beats = options.click() ? beats(storage, id) : List.of();
        // Not createTempFile: its owner-only permissions would stay on the published file.
        Path scratch = target.toAbsolutePath().resolveSibling(".render-" + java.util.UUID.randomUUID() + "." + format.extension());
        try {
            Mp3Encoder mp3 = Mp3Encoder.forFormat(format, config.mp3Encoder());
            try (AudioWriter out = AudioWriter.open(scratch, format, mp3Kbps, Map.of(), mp3)) {
                MixEffects.render(plainMix, options, beats, out::write);
            }
            Files.move(scratch, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** The stored beats; none when the song has no (readable) analysis, so the click is silent. */
    public static List<Double> beats(Storage storage, long id) {
        try {
            return storage.readJson(storage.layout().analysis(id), SongAnalysis.class)
                    .map(a -> a.sane().beatsSeconds()).orElse(List.of());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The stored analysis as a line for people, e.g. "120.0 BPM, F# minor"; null when there is none. */
    public static String describe(Storage storage, long id) {
        try {
            return storage.readJson(storage.layout().analysis(id), SongAnalysis.class).map(SongAnalysis::sane)
                    .map(a -> (a.tempoBpm() == null ? "no steady tempo" : String.format(java.util.Locale.ROOT, "%.1f BPM", a.tempoBpm()))
                            + ", " + (a.key() == null ? "no key" : a.key()))
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
