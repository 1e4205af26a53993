package dme.job.cli;

import dme.core.Stem;
import dme.core.audio.OutputFormat;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@code scripts/separate.sh}, parsed and checked without touching a file or
 * starting anything: a bad option is a {@link UsageException} with one line that says what to use.
 */
record SeparateOptions(
        List<Path> songs,
        Path out,
        List<Stem> stems,
        boolean mixWanted,
        Stem twoStems,
        String format,
        Integer mp3Bitrate,
        String model,
        Integer jobs,
        String root,
        boolean verbose,
        boolean help,
        dme.core.format.RenderOptions render) {

    static final String DEFAULT_OUT = "separated";

    static SeparateOptions parse(String[] args) throws UsageException {
        List<Path> songs = new ArrayList<>();
        Path out = Paths.get(DEFAULT_OUT);
        List<Stem> stems = List.of(Stem.values());
        boolean mixWanted = false;
        Stem twoStems = null;
        String format = null;
        Integer bitrate = null;
        String model = null;
        Integer jobs = null;
        String root = null;
        boolean verbose = false;
        boolean help = false;
        boolean onlyFiles = false;
        // practice renders of the mix (tempo, key, click, loudness), checked as the API checks them
        com.fasterxml.jackson.databind.node.ObjectNode render = dme.core.format.Json.mapper().createObjectNode();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (onlyFiles || !a.startsWith("-") || a.equals("-")) {
                songs.add(Paths.get(a));
                continue;
            }
            String opt = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                opt = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            switch (opt) {
                case "--" -> onlyFiles = true;
                case "-h", "--help" -> help = true;
                case "-v", "--verbose" -> verbose = true;
                case "-o", "--out" -> out = Paths.get(CliArgs.nonEmpty(opt, inline != null ? inline : CliArgs.value(args, ++i, opt)));
                case "--stems" -> {
                    stems = parseStems(inline != null ? inline : CliArgs.value(args, ++i, opt));
                    mixWanted = true;
                }
                case "--two-stems" -> twoStems = stem(opt, inline != null ? inline : CliArgs.value(args, ++i, opt));
                case "--format" -> format = checkedFormat(inline != null ? inline : CliArgs.value(args, ++i, opt));
                case "--mp3" -> format = setOnce(format, "mp3");
                case "--int24" -> format = setOnce(format, "wav24");
                case "--float32" -> format = setOnce(format, "wav-float");
                case "--flac" -> format = setOnce(format, "flac");
                case "--mp3-bitrate" -> bitrate = intIn(opt, inline != null ? inline : CliArgs.value(args, ++i, opt), 32, 320);
                case "-n", "--model" -> model = CliArgs.nonEmpty(opt, inline != null ? inline : CliArgs.value(args, ++i, opt));
                case "-j", "--jobs" -> jobs = intIn(opt, inline != null ? inline : CliArgs.value(args, ++i, opt), 1, 1024);
                case "--tempo" -> render.put("tempo", number(opt, inline != null ? inline : CliArgs.value(args, ++i, opt)));
                case "--transpose" -> render.put("transpose", number(opt, inline != null ? inline : CliArgs.value(args, ++i, opt)));
                case "--loudness" -> render.put("loudness_lufs", number(opt, inline != null ? inline : CliArgs.value(args, ++i, opt)));
                case "--click" -> render.put("click", true);
                case "--root" -> root = CliArgs.nonEmpty(opt, inline != null ? inline : CliArgs.value(args, ++i, opt));
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (!help && songs.isEmpty()) {
            throw new UsageException("no song given: separate.sh SONG... (see --help)");
        }
        if (bitrate != null && format != null && !format.equals("mp3")) {
            throw new UsageException("--mp3-bitrate is for MP3 output: add --mp3 or --format mp3");
        }
        if (bitrate != null && format == null) {
            format = "mp3"; // asking for a bit rate means MP3, as demucs' --mp3-bitrate does with --mp3
        }
        dme.core.format.RenderOptions renderOptions;
        try {
            renderOptions = dme.core.format.RenderOptions.fromJson(render);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new SeparateOptions(List.copyOf(songs), out, stems, mixWanted, twoStems, format, bitrate, model, jobs,
                root, verbose, help, renderOptions);
    }

    private static String setOnce(String current, String format) throws UsageException {
        if (current != null && !current.equals(format)) {
            throw new UsageException("two output formats given (" + current + " and " + format + "): choose one");
        }
        return format;
    }

    private static String checkedFormat(String name) throws UsageException {
        try {
            OutputFormat.parse(name);
            return name.trim().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format: " + e.getMessage());
        }
    }

    private static Stem stem(String option, String name) throws UsageException {
        return Stem.byId(name.trim().toLowerCase(Locale.ROOT)).orElseThrow(
                () -> new UsageException(option + ": unknown stem '" + name + "': use drums, bass, other or vocals"));
    }

    private static List<Stem> parseStems(String list) throws UsageException {
        List<Stem> out = new ArrayList<>();
        for (String s : list.split(",", -1)) {
            Stem stem = stem("--stems", s);
            if (!out.contains(stem)) {
                out.add(stem);
            }
        }
        return List.copyOf(out);
    }

    private static double number(String option, String text) throws UsageException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, not '" + text + "'");
        }
    }

    private static int intIn(String option, String text, int min, int max) throws UsageException {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
    }

    /** The help text: every option with its default, and the settings the model takes. */
    static String help(String configuredFormat, int configuredBitrate, String configuredSeparator, String configuredModel,
            String configuredMaster) {
        return String.join("\n",
                "usage: separate.sh [OPTIONS] SONG...",
                "",
                "Separates each song into drums, bass, other and vocals with the dme Spark job (local mode) and",
                "writes OUT/<song>/<stem>.<ext>. <song> is the file name without its extension; when several songs",
                "of one run have the same name, the second gets <song>-2, the third <song>-3 (in the order given).",
                "Files of an earlier run in the same folder are replaced.",
                "",
                "options:",
                "  -o, --out DIR          output folder (default: ./" + DEFAULT_OUT + ")",
                "  --stems LIST           also write mix.<ext> of these stems, e.g. vocals,drums (default: no mix)",
                "  --two-stems STEM       write STEM and no_STEM (the rest: with vocals, the karaoke track)",
                "                         instead of the four stems (default: four stems)",
                "  --format FMT           wav (16-bit), wav24, wav-float, flac or mp3 (default: " + configuredFormat + ")",
                "  --mp3                  same as --format mp3",
                "  --mp3-bitrate KBPS     MP3 bit rate, 32 to 320 (default: " + configuredBitrate + "); implies --mp3",
                "  --int24                same as --format wav24 (24-bit WAV)",
                "  --float32              same as --format wav-float (32-bit float WAV)",
                "  --flac                 same as --format flac",
                "  -n, --model MODEL      spectral (built in), demucs (needs DME_MODEL) or the path of a TorchScript",
                "                         Demucs file (default: " + configuredSeparator
                        + (configuredModel.isEmpty() ? "" : ", model " + configuredModel) + ")",
                "  -j, --jobs N           Spark task slots, local[N] (default: " + configuredMaster + ")",
                "  --root URI             keep the run in this dme store (file:/..., hdfs://...) so that",
                "                         scripts/stats.sh --root URI can read its jobs (default: a scratch",
                "                         store under the temp folder, deleted after the run)",
                "  --tempo F              also render the mix at F x the tempo, pitch kept (0.5 to 1.5)",
                "  --transpose N          ... moved by N semitones, tempo kept (-12 to 12)",
                "  --click                ... with a click on the detected beats",
                "  --loudness LUFS        ... normalised to LUFS (EBU R128, e.g. -14); written as mix-<options>.<ext>",
                "  -v, --verbose          show Spark's and dme's log lines (default: progress lines only)",
                "  -h, --help             this text",
                "",
                "model settings (environment or conf/dme.properties):",
                "  DME_SEPARATOR          auto, spectral or demucs (auto = demucs when DME_MODEL is set)",
                "  DME_MODEL              TorchScript Demucs file (scripts/export_demucs.py makes one)",
                "  DME_CHUNK_SECONDS      seconds of audio per Spark task (default 10)",
                "  DME_CHUNK_OVERLAP      overlap between chunks, 0 to 0.5 (default 0.25)",
                "  DME_DEMUCS_SEGMENT_SECONDS, DME_DJL_THREADS, DME_DJL_DEVICE   Demucs inference settings",
                "",
                "exit status: 0 all songs separated, 1 a song failed or could not be read, 2 a usage error");
    }
}
