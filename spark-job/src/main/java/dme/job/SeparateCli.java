package dme.job;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioDecodeException;
import dme.core.audio.AudioInfo;
import dme.core.audio.AudioProbe;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
import dme.core.format.RenderOptions;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code scripts/separate.sh SONG... [--stems vocals,drums] [--format flac] [--out DIR]}: stages the
 * files as songs, runs the job once in batch mode and leaves each song's stems and mix in
 * {@code DIR/<song>/}, printing chunk progress while it works. With {@code --tempo 0.8 --transpose -2
 * --click --loudness -14} it also leaves the mix rendered so, as {@code mix-<options>.<ext>}.
 */
public final class SeparateCli {
    private SeparateCli() {}

    public static void main(String[] args) throws Exception {
        List<Path> songs = new ArrayList<>();
        List<Stem> stems = List.of(Stem.values());
        String format = null;
        Path out = Paths.get("separated");
        RenderFlags render = new RenderFlags();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stems" -> stems = parseStems(value(args, ++i, "--stems"));
                case "--format" -> format = value(args, ++i, "--format");
                case "--out" -> out = Paths.get(value(args, ++i, "--out"));
                case "--tempo", "--transpose", "--loudness" -> render.set(args[i], value(args, ++i, args[i - 1]));
                case "--click" -> render.set("--click", "true");
                case "-h", "--help" -> usage(0, null);
                default -> {
                    if (args[i].startsWith("--")) {
                        usage(2, "unknown option " + args[i]);
                    }
                    songs.add(Paths.get(args[i]));
                }
            }
        }
        if (songs.isEmpty()) {
            usage(2, "no song given");
        }
        RenderOptions options = render.options(); // a clear error before Spark starts
        DmeConfig config = DmeConfig.load();
        if (System.getenv("DME_ROOT") == null && System.getProperty(DmeConfig.ROOT) == null) {
            // The CLI works in its own scratch storage unless told otherwise.
            config = config.with(DmeConfig.ROOT, Files.createTempDirectory("dme-separate-").toUri().toString());
        }
        if (format != null) {
            OutputFormat.parse(format); // a clear error before Spark starts
            config = config.with(DmeConfig.OUTPUT_FORMAT, format);
        }
        OutputFormat fmt = OutputFormat.parse(config.outputFormat());
        SparkSession spark = JobSession.create(config);
        int failures;
        try {
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Map<Long, Path> staged = stage(storage, songs, stems, config.outputFormat());
            if (staged.isEmpty()) {
                System.exit(1);
            }
            ProgressPrinter progress = new ProgressPrinter(storage, staged);
            progress.start();
            try {
                StreamingJob.start(spark, config, true).awaitTermination();
            } finally {
                progress.stop();
            }
            failures = collect(storage, staged, stems, fmt, out, options, config);
        } finally {
            spark.stop();
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static Map<Long, Path> stage(Storage storage, List<Path> songs, List<Stem> stems, String format)
            throws IOException {
        Submissions submit = new Submissions(storage);
        Map<Long, Path> staged = new LinkedHashMap<>();
        List<Integer> tracks = stems.stream().map(Stem::trackId).toList();
        for (Path song : songs) {
            AudioInfo info;
            try {
                info = AudioProbe.probe(song);
            } catch (AudioDecodeException e) {
                System.err.println(song + ": skipped: " + e.getMessage());
                continue;
            }
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
            submit.requestProcessing(id, tracks, format);
            staged.put(id, song);
        }
        return staged;
    }

    private static int collect(Storage storage, Map<Long, Path> staged, List<Stem> stems, OutputFormat fmt, Path out,
            RenderOptions options, DmeConfig config) throws IOException {
        int failures = 0;
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Map.Entry<Long, Path> e : staged.entrySet()) {
            long id = e.getKey();
            SongStatus s = Json.read(storage.readAll(storage.layout().songStatus(id)), SongStatus.class);
            if (s.state() != SongState.DONE) {
                System.err.println(e.getValue() + ": FAILED: " + s.error());
                failures++;
                continue;
            }
            String base = e.getValue().getFileName().toString().replaceFirst("\\.[^.]+$", "");
            if (!used.add(base)) {
                // songs with the same file name (a/mixture.flac, b/mixture.flac) keep apart
                Path parent = e.getValue().toAbsolutePath().getParent();
                base = (parent == null ? "song" : parent.getFileName()) + "-" + base;
                used.add(base);
            }
            Path dir = out.resolve(base);
            Files.createDirectories(dir);
            for (Stem stem : Stem.values()) {
                copy(storage, storage.layout().stem(id, stem, fmt.extension()), dir.resolve(stem.id() + "." + fmt.extension()));
            }
            copy(storage, storage.layout().mix(id, stems, fmt.extension()), dir.resolve("mix." + fmt.extension()));
            if (!options.isPlain()) {
                Path rendered = dir.resolve(RenderedMix.fileName(options, fmt));
                RenderedMix.render(storage, config, id, dir.resolve("mix." + fmt.extension()), options, fmt, rendered);
                System.out.println(e.getValue() + ": rendered " + rendered.getFileName());
            }
            String analysis = RenderedMix.describe(storage, id);
            System.out.println(e.getValue() + ": stems and mix in " + dir + (analysis == null ? "" : " (" + analysis + ")"));
        }
        return failures;
    }

    private static void copy(Storage storage, org.apache.hadoop.fs.Path from, Path to) throws IOException {
        try (InputStream in = storage.fs().open(from)) {
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<Stem> parseStems(String list) {
        List<Stem> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(Stem.byId(s.trim().toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new IllegalArgumentException("unknown stem '" + s + "': use drums, bass, other, vocals")));
        }
        return out;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(2, option + " needs a value");
        }
        return args[i];
    }

    private static void usage(int code, String error) {
        if (error != null) {
            System.err.println("error: " + error);
        }
        System.err.println("usage: separate.sh SONG... [--stems drums,bass,other,vocals] [--format wav|wav-float|flac|mp3] [--out DIR]"
                + " [--tempo 0.5..1.5] [--transpose -12..12] [--click] [--loudness LUFS]");
        System.exit(code);
    }

    /** The render options given on the command line, checked as the API checks them. */
    private static final class RenderFlags {
        private final com.fasterxml.jackson.databind.node.ObjectNode body = dme.core.format.Json.mapper().createObjectNode();

        void set(String option, String value) {
            String field = switch (option) {
                case "--tempo" -> "tempo";
                case "--transpose" -> "transpose";
                case "--loudness" -> "loudness_lufs";
                default -> "click";
            };
            if (field.equals("click")) {
                body.put(field, true);
                return;
            }
            try {
                body.put(field, Double.parseDouble(value));
            } catch (NumberFormatException e) {
                usage(2, option + " needs a number, not '" + value + "'");
            }
        }

        RenderOptions options() {
            try {
                return RenderOptions.fromJson(body);
            } catch (IllegalArgumentException e) {
                usage(2, e.getMessage());
                return RenderOptions.PLAIN;
            }
        }
    }

    /** Prints "chunks done" per song once a second while the job runs. */
    private static final class ProgressPrinter {
        private final Storage storage;
        private final Map<Long, Path> songs;
        private final Thread thread;
        private volatile boolean running = true;

        ProgressPrinter(Storage storage, Map<Long, Path> songs) {
            this.storage = storage;
            this.songs = songs;
            this.thread = new Thread(this::loop, "dme-progress");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(2000);
            print();
        }

        private void loop() {
            String last = "";
            while (running) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                last = printIfChanged(last);
            }
        }

        private String printIfChanged(String last) {
            String line = line();
            if (!line.equals(last)) {
                System.out.println(line);
            }
            return line;
        }

        private void print() {
            System.out.println(line());
        }

        private String line() {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<Long, Path> e : songs.entrySet()) {
                int done = 0;
                int total = 0;
                String state = "queued";
                try {
                    done = storage.list(storage.layout().chunksDir(e.getKey())).size();
                    SongStatus s = Json.read(storage.readAll(storage.layout().songStatus(e.getKey())), SongStatus.class);
                    total = s.totalChunks();
                    state = s.state().name().toLowerCase(Locale.ROOT);
                } catch (IOException ignored) {
                    // not started yet
                }
                sb.append(sb.length() == 0 ? "" : "  |  ").append(e.getValue().getFileName()).append(": ")
                        .append(done).append('/').append(total == 0 ? "?" : total).append(" chunks, ").append(state);
            }
            return sb.toString();
        }
    }
}
