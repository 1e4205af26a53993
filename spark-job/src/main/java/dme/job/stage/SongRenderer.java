package dme.job.stage;

import dme.core.Mix;
import dme.core.MixFile;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
import dme.core.format.RenderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives a song's published outputs from its four lossless masters, never from the separator: the
 * stems in the requested format (or, in two-stem mode, one stem and the song without it) and the mix
 * of the selection with its gains. Both go through {@link Mixdown#render}.
 */
final class SongRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(SongRenderer.class);

    private SongRenderer() {}

    /**
     * Renders into {@code scratch} and publishes to storage. The stem files are kept when they already
     * are in the requested format, bit rate and mode; the mix is rendered for every request.
     *
     * @param masters the local master file of each of the four stems
     */
    static Published publish(JobContext ctx, Storage storage, SongTask song, Map<Stem, Path> masters, Path scratch)
            throws IOException {
        OutputFormat format = OutputFormat.parse(song.format());
        int kbps = song.mp3Kbps(ctx.config().mp3BitrateKbps());
        Encoding enc = new Encoding(format, kbps, Mp3Encoder.forFormat(format, ctx.config().mp3Encoder()));
        List<Output> stems = stemOutputs(storage.layout(), song, masters, format.extension());
        Stem two = song.twoStem();
        StemOutputs wanted = new StemOutputs(format.name(), format == OutputFormat.MP3 ? kbps : 0, two == null ? null : two.id());
        if (!current(storage, song.musicId(), wanted, stems)) {
            // the old files go first: a stem file on storage is always in the format outputs.json names
            storage.deleteRecursively(storage.layout().stemsDir(song.musicId()));
            for (Output o : stems) {
                renderAndPublish(storage, o, enc.to(scratch.resolve(o.target().getName())));
            }
            storage.writeAtomically(storage.layout().stemOutputs(song.musicId()), Json.bytes(wanted));
            LOG.info("song {}: {} stems derived from the masters as {}", song.musicId(), stems.size(), format.extension());
        }
        String mixFile = publishMix(ctx, storage, song, masters, scratch, enc);
        return new Published(stems.stream().map(o -> o.target().getName()).toList(), mixFile);
    }

    /** The stem files a request asks for: the four stems, or one stem and the song without it. */
    private static List<Output> stemOutputs(StorageLayout layout, SongTask song, Map<Stem, Path> masters, String ext) {
        Stem two = song.twoStem();
        List<Output> outputs = new ArrayList<>();
        if (two == null) {
            for (Stem s : Stem.values()) {
                outputs.add(new Output(layout.stem(song.musicId(), s, ext), List.of(new Mixdown.Source(masters.get(s), 1f))));
            }
            return outputs;
        }
        List<Mixdown.Source> rest = new ArrayList<>();
        for (Stem s : Stem.values()) {
            if (s != two) {
                rest.add(new Mixdown.Source(masters.get(s), 1f));
            }
        }
        outputs.add(new Output(layout.stem(song.musicId(), two, ext), List.of(new Mixdown.Source(masters.get(two), 1f))));
        outputs.add(new Output(layout.stemWithout(song.musicId(), two, ext), rest));
        return outputs;
    }

    /**
     * Renders the selection with its gains (and the request's practice options) and publishes it;
     * returns the mix's file name.
     */
    private static String publishMix(JobContext ctx, Storage storage, SongTask song, Map<Stem, Path> masters, Path scratch,
            Encoding how) throws IOException {
        Mix mix = song.mix();
        List<Mixdown.Source> selected = new ArrayList<>();
        for (Stem s : mix.stems()) {
            selected.add(new Mixdown.Source(masters.get(s), (float) mix.gain(s)));
        }
        RenderOptions render = song.renderOrPlain();
        org.apache.hadoop.fs.Path target = storage.layout().mix(song.musicId(), MixFile.of(mix, render, how.format().extension()));
        Path local = scratch.resolve(target.getName());
        if (render.isPlain()) {
            renderAndPublish(storage, new Output(target, selected), how.to(local));
            return target.getName();
        }
        // the plain mix in float, then tempo, key, click and loudness through FFmpeg's filters
        Path plain = scratch.resolve("plain-" + target.getName() + ".wav");
        try {
            Mixdown.render(selected, new Mixdown.Target(plain, OutputFormat.WAV_FLOAT, 0,
                    Mp3Encoder.forFormat(OutputFormat.WAV_FLOAT, ctx.config().mp3Encoder())));
            RenderedMix.render(storage, ctx.config(), song.musicId(), plain, render, how.format(), local, how.kbps());
            storage.copyFromLocal(local, target);
        } finally {
            Files.deleteIfExists(plain);
            Files.deleteIfExists(local);
        }
        return target.getName();
    }

    /** How the request's files are encoded. */
    private record Encoding(OutputFormat format, int kbps, Mp3Encoder mp3) {
        Mixdown.Target to(Path file) {
            return new Mixdown.Target(file, format, kbps, mp3);
        }
    }

    private record Output(org.apache.hadoop.fs.Path target, List<Mixdown.Source> sources) {}

    private static void renderAndPublish(Storage storage, Output o, Mixdown.Target local) throws IOException {
        try {
            Mixdown.render(o.sources(), local);
            storage.copyFromLocal(local.file(), o.target());
        } finally {
            Files.deleteIfExists(local.file());
        }
    }

    /** True when stems/ holds exactly the wanted kind of files; an unreadable record means no. */
    private static boolean current(Storage storage, long id, StemOutputs wanted, List<Output> outputs) throws IOException {
        Optional<StemOutputs> have;
        try {
            have = storage.readJson(storage.layout().stemOutputs(id), StemOutputs.class);
        } catch (IOException e) {
            LOG.warn("song {}: {} unreadable, the stems are derived again: {}", id, storage.layout().stemOutputs(id).getName(), e.toString());
            return false;
        }
        if (have.isEmpty() || !Objects.equals(have.get(), wanted)) {
            return false;
        }
        for (Output o : outputs) {
            if (!storage.exists(o.target())) {
                return false;
            }
        }
        return true;
    }
}
