package dme.job.stage;

import dme.core.Mix;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
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
        StorageLayout layout = storage.layout();
        OutputFormat format = OutputFormat.parse(song.format());
        int kbps = song.mp3Kbps(ctx.config().mp3BitrateKbps());
        Mp3Encoder mp3 = Mp3Encoder.forFormat(format, ctx.config().mp3Encoder());
        String ext = format.extension();
        Stem two = song.twoStem();
        StemOutputs wanted = new StemOutputs(format.name(), format == OutputFormat.MP3 ? kbps : 0, two == null ? null : two.id());

        List<Output> stemOutputs = new ArrayList<>();
        if (two == null) {
            for (Stem s : Stem.values()) {
                stemOutputs.add(new Output(layout.stem(song.musicId(), s, ext), List.of(new Mixdown.Source(masters.get(s), 1f))));
            }
        } else {
            List<Mixdown.Source> rest = new ArrayList<>();
            for (Stem s : Stem.values()) {
                if (s != two) {
                    rest.add(new Mixdown.Source(masters.get(s), 1f));
                }
            }
            stemOutputs.add(new Output(layout.stem(song.musicId(), two, ext), List.of(new Mixdown.Source(masters.get(two), 1f))));
            stemOutputs.add(new Output(layout.stemWithout(song.musicId(), two, ext), rest));
        }
        if (!current(storage, song.musicId(), wanted, stemOutputs)) {
            // the old files go first: a stem file on storage is always in the format outputs.json names
            storage.deleteRecursively(layout.stemsDir(song.musicId()));
            for (Output o : stemOutputs) {
                renderAndPublish(storage, o, new Mixdown.Target(scratch.resolve(o.target().getName()), format, kbps, mp3));
            }
            storage.writeAtomically(layout.stemOutputs(song.musicId()), Json.bytes(wanted));
            LOG.info("song {}: {} stems derived from the masters as {}", song.musicId(), stemOutputs.size(), ext);
        }
        Mix mix = song.mix();
        List<Mixdown.Source> selected = new ArrayList<>();
        for (Stem s : mix.stems()) {
            selected.add(new Mixdown.Source(masters.get(s), (float) mix.gain(s)));
        }
        dme.core.format.RenderOptions render = song.renderOrPlain();
        org.apache.hadoop.fs.Path mixTarget = layout.mix(song.musicId(), dme.core.MixFile.of(mix, render, ext));
        if (render.isPlain()) {
            renderAndPublish(storage, new Output(mixTarget, selected),
                    new Mixdown.Target(scratch.resolve(mixTarget.getName()), format, kbps, mp3));
        } else {
            // the plain mix in float, then tempo, key, click and loudness through FFmpeg's filters
            Path plain = scratch.resolve("plain-" + mixTarget.getName() + ".wav");
            Path rendered = scratch.resolve(mixTarget.getName());
            try {
                Mixdown.render(selected, new Mixdown.Target(plain, OutputFormat.WAV_FLOAT, 0,
                        Mp3Encoder.forFormat(OutputFormat.WAV_FLOAT, ctx.config().mp3Encoder())));
                RenderedMix.render(storage, ctx.config(), song.musicId(), plain, render, format, rendered, kbps);
                storage.copyFromLocal(rendered, mixTarget);
            } finally {
                Files.deleteIfExists(plain);
                Files.deleteIfExists(rendered);
            }
        }
        List<String> names = new ArrayList<>();
        for (Output o : stemOutputs) {
            names.add(o.target().getName());
        }
        return new Published(names, mixTarget.getName());
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
