package dme.job.cli;

import dme.core.DmeConfig;
import dme.core.Messages;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioDecodeException;
import dme.core.audio.AudioInfo;
import dme.core.audio.AudioProbe;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import dme.job.separate.SeparatorFactory;
import dme.job.stage.RenderedMix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/separate.sh [OPTIONS] SONG...} ({@code --help} lists the options): checks the options
 * and the files first (a usage error is one line and exit status 2, an unreadable song one line and 1,
 * before Spark starts), stages the songs in a store, runs the job once in batch mode with one progress
 * line per song, and copies each song's outputs to {@code OUT/<song>/}. The scratch folder
 * ({@code dme-separate-*} in the temp folder, holding the store unless {@code --root} names one, and
 * Spark's local files) is removed however the run ends.
 */
public final class SeparateCli {
    static final String NAME = "separate.sh";

    private SeparateCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args) {
        if (!java.util.Arrays.asList(args).contains("-v") && !java.util.Arrays.asList(args).contains("--verbose")) {
            Quiet.logs(); // before anything logs
        }
        SeparateOptions options;
        try {
            options = SeparateOptions.parse(args);
        } catch (UsageException e) {
            System.err.println(NAME + ": error: " + e.getMessage());
            return 2;
        }
        DmeConfig config = DmeConfig.load();
        if (options.help()) {
            System.out.println(SeparateOptions.help(config.outputFormat(), config.mp3BitrateKbps(),
                    config.get(DmeConfig.SEPARATOR), config.get(DmeConfig.MODEL), config.sparkMaster()));
            return 0;
        }
        try {
            config = configure(config, options);
        } catch (UsageException e) {
            System.err.println(NAME + ": error: " + e.getMessage());
            return 2;
        }
        List<String> unreadable = new ArrayList<>();
        Map<Path, AudioInfo> songs = new LinkedHashMap<>();
        for (Path song : options.songs()) {
            check(song).ifPresentOrElse(unreadable::add, () -> songs.put(song, probe(song)));
        }
        if (!unreadable.isEmpty()) {
            unreadable.forEach(line -> System.err.println(NAME + ": error: " + line));
            return 1;
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("dme-separate-");
        } catch (IOException e) {
            System.err.println(NAME + ": error: cannot create a scratch folder in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage());
            return 1;
        }
        Thread cleanup = new Thread(() -> deleteQuietly(scratch), "dme-separate-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C too
        try {
            return separate(withScratch(config, options, scratch), options, songs, scratch);
        } catch (Exception e) {
            System.err.println(NAME + ": error: " + Messages.firstLine(e));
            return 1;
        } finally {
            deleteQuietly(scratch);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    /** The options as dme settings; checks the separator settings (a model file that is not there) now. */
    private static DmeConfig configure(DmeConfig config, SeparateOptions o) throws UsageException {
        if (o.format() != null) {
            config = config.with(DmeConfig.OUTPUT_FORMAT, o.format());
        }
        if (o.mp3Bitrate() != null) {
            config = config.with(DmeConfig.MP3_BITRATE, String.valueOf(o.mp3Bitrate()));
        }
        if (o.jobs() != null) {
            config = config.with(DmeConfig.SPARK_MASTER, "local[" + o.jobs() + "]");
        }
        if (o.root() != null) {
            String root = o.root().contains(":") ? o.root() : Path.of(o.root()).toAbsolutePath().toUri().toString();
            config = config.with(DmeConfig.ROOT, root);
        }
        if (o.model() != null) {
            String m = o.model().toLowerCase(Locale.ROOT);
            if (m.equals("spectral") || m.equals("demucs") || m.equals("auto")) {
                config = config.with(DmeConfig.SEPARATOR, m);
            } else {
                Path file = Path.of(o.model());
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("--model: " + o.model()
                            + " is neither spectral, demucs nor a model file that exists");
                }
                config = config.with(DmeConfig.SEPARATOR, "demucs").with(DmeConfig.MODEL, file.toAbsolutePath().toString());
            }
        }
        try {
            dme.core.audio.OutputFormat.parse(config.outputFormat());
            config.mp3BitrateKbps();
            SeparatorFactory.resolve(config);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return config;
    }

    /** Scratch store (unless --root), the job's and Spark's local files: all under the scratch folder. */
    private static DmeConfig withScratch(DmeConfig config, SeparateOptions o, Path scratch) throws IOException {
        if (o.root() == null) {
            // a scratch store, deleted at the end: its tables would be written for nobody
            config = config.with(DmeConfig.ROOT, scratch.resolve("store").toUri().toString())
                    .with(DmeConfig.TABLES_ENABLED, "false");
        }
        Path tmp = Files.createDirectories(scratch.resolve("tmp"));
        System.setProperty("spark.local.dir", Files.createDirectories(scratch.resolve("spark")).toString());
        // a one-shot local run needs no web UI and no console progress bar (ours is per song)
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.ui.showConsoleProgress", "false");
        return config.with(DmeConfig.LOCAL_TMP, tmp.toString());
    }

    /** Why a song cannot be separated, or empty when it can (the file exists and FFmpeg reads audio in it). */
    private static Optional<String> check(Path song) {
        if (!Files.exists(song)) {
            return Optional.of(song + ": no such file");
        }
        if (!Files.isRegularFile(song) || !Files.isReadable(song)) {
            return Optional.of(song + ": not a readable file");
        }
        try {
            AudioInfo info = AudioProbe.probe(song);
            if (!(info.durationSeconds() > 0) && info.sampleRate() <= 0) {
                return Optional.of(song + ": holds no audio");
            }
            return Optional.empty();
        } catch (AudioDecodeException e) {
            return Optional.of(song + ": not an audio file FFmpeg can read (" + Messages.firstLine(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            return Optional.of(song + ": cannot be read (" + Messages.firstLine(e.getMessage()) + ")");
        }
    }

    private static AudioInfo probe(Path song) {
        try {
            return AudioProbe.probe(song);
        } catch (AudioDecodeException e) {
            throw new IllegalStateException(e); // checked just before
        }
    }

    private static int separate(DmeConfig config, SeparateOptions o, Map<Path, AudioInfo> songs, Path scratch)
            throws Exception {
        Map<Path, Path> folders = OutputFolders.assign(o.out(), songs.keySet());
        SparkSession spark = JobSession.create(config);
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Map<Long, Path> staged = stage(storage, songs, o);
            ProgressDisplay progress = new ProgressDisplay(storage, staged, System.out, System.console() != null);
            progress.start();
            try {
                StreamingJob.runPending(spark, config).awaitTermination();
            } finally {
                progress.stop();
            }
            return collect(storage, staged, folders, o, config) == 0 ? 0 : 1;
        } finally {
            spark.stop();
        }
    }

    private static Map<Long, Path> stage(Storage storage, Map<Path, AudioInfo> songs, SeparateOptions o) throws IOException {
        Submissions submit = new Submissions(storage);
        Map<Long, Path> staged = new LinkedHashMap<>();
        List<Integer> tracks = o.stems().stream().map(Stem::trackId).toList();
        for (Map.Entry<Path, AudioInfo> e : songs.entrySet()) {
            Path song = e.getKey();
            AudioInfo info = e.getValue();
            long id = submit.issueId();
            String name = song.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "bin";
            String stored;
            try (InputStream in = Files.newInputStream(song)) {
                stored = submit.storeOriginal(id, ext.matches("[a-z0-9]{1,8}") ? ext : "bin", in, Long.MAX_VALUE);
            }
            submit.storeMeta(new SongMeta(id, info.title() != null ? info.title() : name, info.artist(), stored,
                    Files.size(song), info.durationSeconds(), info.sampleRate(), info.channels(), info.codec(),
                    System.currentTimeMillis()));
            submit.requestProcessing(id, tracks, null, Map.of(), null, o.twoStems() == null ? null : o.twoStems().id());
            staged.put(id, song);
        }
        return staged;
    }

    /** Copies each done song's stems (and mix, with --stems) to its folder; returns how many failed. */
    private static int collect(Storage storage, Map<Long, Path> staged, Map<Path, Path> folders, SeparateOptions o,
            DmeConfig config)
            throws IOException {
        int failures = 0;
        for (Map.Entry<Long, Path> e : staged.entrySet()) {
            long id = e.getKey();
            Optional<SongStatus> s = storage.readJson(storage.layout().songStatus(id), SongStatus.class);
            if (s.isEmpty() || s.get().state() != SongState.DONE) {
                System.err.println(NAME + ": error: " + e.getValue() + ": " + s.map(SongStatus::error).orElse("not processed"));
                failures++;
                continue;
            }
            Path dir = folders.get(e.getValue());
            Files.createDirectories(dir);
            for (String file : s.get().stems()) {
                copy(storage, new org.apache.hadoop.fs.Path(storage.layout().stemsDir(id), file), dir.resolve(file));
            }
            if (o.mixWanted() && s.get().mixFile() != null) {
                String mix = s.get().mixFile();
                copy(storage, new org.apache.hadoop.fs.Path(storage.layout().songDir(id), mix),
                        dir.resolve("mix" + mix.substring(mix.lastIndexOf('.'))));
            }
            if (!o.render().isPlain() && s.get().mixFile() != null) {
                renderForPractice(storage, config, id, s.get().mixFile(), o.render(), dir);
            }
            String analysis = RenderedMix.describe(storage, id);
            if (analysis != null) {
                System.out.println(e.getValue() + ": " + analysis);
            }
        }
        return failures;
    }

    /** The mix again at another tempo, key, loudness or with a click: mix-<options>.<ext> in the song's folder. */
    private static void renderForPractice(Storage storage, DmeConfig config, long id, String mixFile,
            dme.core.format.RenderOptions render, Path dir) throws IOException {
        dme.core.audio.OutputFormat fmt = dme.core.audio.OutputFormat.parse(mixFile.substring(mixFile.lastIndexOf('.') + 1));
        Path plain = Files.createTempFile(dir, ".plain-mix-", "." + fmt.extension());
        try {
            copy(storage, new org.apache.hadoop.fs.Path(storage.layout().songDir(id), mixFile), plain);
            Path rendered = dir.resolve(RenderedMix.fileName(render, fmt));
            RenderedMix.render(storage, config, id, plain, render, fmt, rendered);
        } finally {
            Files.deleteIfExists(plain);
        }
    }

    private static void copy(Storage storage, org.apache.hadoop.fs.Path from, Path to) throws IOException {
        try (InputStream in = storage.fs().open(from)) {
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println(NAME + ": warning: scratch folder " + dir + " not fully removed: " + e.getMessage());
        }
    }
}
