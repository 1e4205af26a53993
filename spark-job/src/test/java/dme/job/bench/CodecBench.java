package dme.job.bench;

import dme.core.audio.AudioReader;
import dme.core.audio.AudioWriter;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;

/**
 * Benchmark 2: decode and encode speed per output format through dme.core.audio (JavaCV/FFmpeg), in
 * times real time, next to the ffmpeg command line encoding the same audio. Two ffmpeg programs are
 * timed when present: the system's (/usr/bin/ffmpeg, its own libmp3lame) and the one bundled in the
 * JavaCV jar (the same libavcodec dme loads): equal CPU for JavaCV in-process and the bundled program
 * means the cost is in the library, not in the Java side. dme's own MP3 path through the system program
 * ({@link Mp3Encoder}, the default when one is installed) is timed next to the in-process one.
 */
public final class CodecBench {
    private static final int PIECE = 44_100; // the pipeline hands the writers a stride at a time; 1 s here

    private CodecBench() {}

    record Row(String what, double seconds, Bench.Timing t) {
        double wallX() {
            return seconds / t.wall();
        }

        double cpuX() {
            return seconds / t.cpu();
        }
    }

    public static void main(String[] args) throws Exception {
        String load0 = Bench.loadavg();
        int seconds = Bench.intProp("codec.seconds", 60);
        int rounds = Bench.intProp("codec.rounds", 3);
        Path dir = Files.createDirectories(Bench.work().resolve("codec"));
        float[][] x = new SyntheticSong(11).mix(0, seconds * SyntheticSong.RATE);

        List<List<String>> table = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> enc = new ArrayList<>();
        List<Double> dec = new ArrayList<>();
        Path floatWav = null;
        Bench.Timing javacvMp3 = null;
        Bench.Timing programMp3 = null;
        for (OutputFormat format : OutputFormat.values()) {
            Path f = dir.resolve("song-" + format.name().toLowerCase() + "." + format.extension());
            Bench.Timing e = Bench.Timing.best(rounds, () -> encode(f, x, format, Mp3Encoder.LIBRARY));
            Bench.Timing d = Bench.Timing.best(rounds, () -> decode(f));
            if (format == OutputFormat.WAV_FLOAT) {
                floatWav = f;
            }
            if (format == OutputFormat.MP3) {
                javacvMp3 = e;
            }
            String name = label(format) + (format == OutputFormat.MP3 ? " (JavaCV)" : "");
            names.add(name);
            enc.add(seconds / e.cpu());
            dec.add(seconds / d.cpu());
            table.add(List.of(name, x(seconds / e.wall()), x(seconds / e.cpu()), x(seconds / d.wall()), x(seconds / d.cpu()),
                    Bench.f("%.1f", Files.size(f) / 1e6)));
            Mp3Encoder system = format == OutputFormat.MP3 ? Mp3Encoder.resolve(Mp3Encoder.AUTO) : Mp3Encoder.LIBRARY;
            if (!system.inProcess()) {
                // The same writer, the same 1 s pieces, LAME in the ffmpeg program: dme's default with one installed.
                Path pf = dir.resolve("song-mp3-program.mp3");
                programMp3 = Bench.Timing.best(rounds, () -> encode(pf, x, format, system));
                Bench.Timing pd = Bench.Timing.best(rounds, () -> decode(pf));
                names.add("mp3 320k (dme via ffmpeg)");
                enc.add(seconds / programMp3.cpu());
                dec.add(seconds / pd.cpu());
                table.add(List.of("mp3 320k (dme: `AudioWriter` piping to the ffmpeg program)", x(seconds / programMp3.wall()),
                        x(seconds / programMp3.cpu()), x(seconds / pd.wall()), x(seconds / pd.cpu()),
                        Bench.f("%.1f", Files.size(pf) / 1e6)));
            }
        }
        StringBuilder md = new StringBuilder("## 2. Decode and encode throughput per format\n\n");
        md.append(Bench.f("%d s of a synthetic stereo song (44.1 kHz), written by `AudioWriter` in 1 s pieces and read "
                + "back by `AudioReader` in 8192-frame blocks; best of %d runs after a warm-up. \"× real time\" = "
                + "seconds of audio per second of wall time, or per second of the thread's CPU time (CPU is the "
                + "figure to trust on a shared machine; for the ffmpeg program row it is this thread's plus the "
                + "program's).\n\n", seconds, rounds));
        md.append(Bench.table(List.of("format", "encode × RT (wall)", "encode × RT (CPU)", "decode × RT (wall)",
                "decode × RT (CPU)", "file MB"), table));

        // The ffmpeg programs on the same audio (from the float WAV, whose decoding costs next to nothing).
        List<List<String>> cli = new ArrayList<>();
        List<String[]> programs = new ArrayList<>();
        Path system = Paths.get(Bench.prop("ffmpeg", "/usr/bin/ffmpeg"));
        if (Files.isExecutable(system)) {
            programs.add(new String[] {"system " + system + " (" + version(system) + ")", system.toString()});
        }
        String bundled = bundledFfmpeg();
        if (bundled != null) {
            programs.add(new String[] {"JavaCV's bundled ffmpeg (" + version(Paths.get(bundled)) + ")", bundled});
        }
        double systemMp3Cpu = Double.NaN;
        double bundledMp3Cpu = Double.NaN;
        for (String[] p : programs) {
            for (String[] codec : new String[][] {{"mp3 320k", "libmp3lame", "-b:a", "320k", "mp3"},
                    {"mp3 320k -compression_level 7", "libmp3lame", "-b:a", "320k", "mp3", "-compression_level", "7"},
                    {"flac", "flac", null, null, "flac"}, {"wav16", "pcm_s16le", null, null, "wav"}}) {
                List<String> cmd = new ArrayList<>(List.of(p[1], "-nostdin", "-v", "error", "-y", "-i", floatWav.toString(),
                        "-c:a", codec[1]));
                if (codec[2] != null) {
                    cmd.add(codec[2]);
                    cmd.add(codec[3]);
                }
                if (codec.length > 5) {
                    cmd.add(codec[5]);
                    cmd.add(codec[6]);
                }
                cmd.add(dir.resolve("cli." + codec[4]).toString());
                Bench.Timing t = runBest(cmd, rounds);
                if (codec[0].equals("mp3 320k")) {
                    if (p[1].equals(bundled)) {
                        bundledMp3Cpu = t.cpu();
                    } else {
                        systemMp3Cpu = t.cpu();
                    }
                }
                cli.add(List.of(p[0], codec[0], x(seconds / t.wall()), x(seconds / t.cpu()),
                        "`" + String.join(" ", cmd).replace(p[1], "ffmpeg").replace(dir.toString() + "/", "") + "`"));
                if (codec[0].startsWith("mp3 320k") && codec.length == 5) {
                    names.add(p[1].equals(bundled) ? "ffmpeg (bundled) mp3" : "ffmpeg (system) mp3");
                    enc.add(seconds / t.cpu());
                    dec.add(0.0);
                }
            }
        }
        md.append("\nThe ffmpeg command line on the same audio (input: the float WAV above; the times include "
                + "starting the program and reading the input; CPU = user + system of the process):\n\n");
        if (programs.isEmpty()) {
            md.append("_No ffmpeg program found (neither /usr/bin/ffmpeg nor JavaCV's bundled one): skipped._\n");
        } else {
            md.append(Bench.table(List.of("program", "codec", "× RT (wall)", "× RT (CPU)", "command"), cli));
        }
        md.append('\n');
        md.append(mp3Finding(seconds, javacvMp3, systemMp3Cpu, bundledMp3Cpu, programMp3));

        CategoryChart chart = Charts.bars("Encode and decode speed (CPU time, " + seconds + " s of audio)", "", "× real time (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.addSeries("encode", names, enc);
        chart.addSeries("decode", names, dec.stream().map(v -> v <= 0 ? 1e-9 : v).toList());
        chart.getStyler().setYAxisMin(1.0);
        md.append('\n').append(Charts.save(chart, "perf-codecs", "encode and decode speed per format"));
        md.append('\n').append(Bench.loadLine(load0, Bench.loadavg())).append('\n');
        System.out.println(md);
        Bench.fragment("20-codecs", md.toString());
    }

    private static String mp3Finding(int seconds, Bench.Timing javacv, double systemCpu, double bundledCpu,
            Bench.Timing program) {
        StringBuilder b = new StringBuilder("**MP3 with JavaCV vs the command line.** ");
        b.append(Bench.f("JavaCV in-process encodes MP3 at %.0f× real time per CPU second", seconds / javacv.cpu()));
        if (!Double.isNaN(systemCpu)) {
            b.append(Bench.f("; the system's ffmpeg at %.0f× (%.1f× less CPU)", seconds / systemCpu, javacv.cpu() / systemCpu));
        }
        if (!Double.isNaN(bundledCpu)) {
            b.append(Bench.f("; JavaCV's own bundled ffmpeg program at %.0f× (CPU %.2f s vs %.2f s in-process)",
                    seconds / bundledCpu, bundledCpu, javacv.cpu()));
        }
        b.append(". ");
        if (program != null) {
            b.append(Bench.f("**dme's `AudioWriter` through the ffmpeg program: %.0f× real time per CPU second (its thread "
                    + "and the program together), %.1f× less CPU and %.1f× less wall time than in process.** ",
                    seconds / program.cpu(), javacv.cpu() / program.cpu(), javacv.wall() / program.wall()));
        }
        b.append("""
                The bundled program runs no Java at all, yet costs the same CPU as `AudioWriter`, so the Java side \
                (staging into the two direct float buffers, clamping, `recordSamples`, JavaCV's resampler pass \
                and the 1152-sample framing) is not where the time goes: WAV16 through the very same path runs at \
                thousands × real time. The cost is the LAME library inside JavaCV's `libavcodec`. \
                javacpp-presets builds LAME 3.100 for linux-x86_64 with `./configure ... CFLAGS="-m64"` \
                (ffmpeg/cppbuild.sh), which replaces autoconf's default `-g -O2`: LAME is compiled without \
                optimisation. The machine code shows it: in the LAME part of JavaCV's libavcodec.so.62 37 % of \
                the instructions load or store stack slots through `%rbp` (22,598 of 61,607 in 0x1390000–0x13d0000, \
                the `-O0` pattern), against 0.02 % in FFmpeg's own code of the same library and 0.05 % in \
                Debian's libmp3lame.so.0 (`objdump -d`, once, by hand). Encoder settings do not explain it: with \
                the same `-compression_level` (LAME `-q`) both programs keep the same ratio, from q0 to q9.

                What dme does about it: nothing in `AudioWriter`'s buffer handling could help, so MP3 goes to \
                an optimised LAME instead. With `dme.output.mp3.encoder=auto` (the default) `AudioWriter` pipes \
                float PCM into the system's ffmpeg when it lists libmp3lame (`ffmpeg -f f32le -ar 44100 -ac 2 \
                -i pipe:0 -c:a libmp3lame -b:a 320k -f mp3 out.mp3`, tags as `-metadata` arguments) and \
                encodes in process only where there is none (`library` forces that; a path names another \
                ffmpeg). For the pipeline it matters only with `dme.output.format=mp3`: each song then encodes 5 \
                MP3 streams (4 stems + mix), 5 × (song length / encode × RT) seconds of one core in the stitch \
                task. Other ways, not taken: configure LAME with `CFLAGS="-m64 -O2"` in javacpp-presets' \
                ffmpeg/cppbuild.sh (upstream, or a preset built by us), or LAME `-q 7` \
                (`compression_level`), about 1.5× faster at some loss of psychoacoustic quality.
                """);
        return b.toString();
    }

    private static String label(OutputFormat f) {
        return switch (f) {
            case WAV16 -> "wav16";
            case WAV24 -> "wav24";
            case WAV_FLOAT -> "wav-float";
            case FLAC -> "flac";
            case MP3 -> "mp3 320k";
        };
    }

    private static String x(double v) {
        return v >= 100 ? Bench.f("%.0f", v) : Bench.f("%.1f", v);
    }

    static void encode(Path f, float[][] x, OutputFormat format, Mp3Encoder mp3) throws IOException {
        try (AudioWriter w = AudioWriter.open(f, format, 320, java.util.Map.of(), mp3)) {
            for (int off = 0; off < x[0].length; off += PIECE) {
                w.write(x, off, Math.min(PIECE, x[0].length - off));
            }
        }
    }

    static long decode(Path f) throws IOException {
        float[][] buf = new float[2][8192];
        long frames = 0;
        try (AudioReader r = AudioReader.open(f)) {
            for (int got; (got = r.read(buf, 0, buf[0].length)) >= 0; ) {
                frames += got;
            }
        }
        return frames;
    }

    /** Path of the ffmpeg program inside the JavaCV jar (extracted to ~/.javacpp/cache), or null. */
    static String bundledFfmpeg() {
        try {
            return org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String version(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            p.waitFor();
            String[] w = first.split(" ");
            return w.length > 2 ? "ffmpeg " + w[2] : first;
        } catch (IOException | InterruptedException e) {
            return "version unknown";
        }
    }

    /** Least wall and least CPU (user + system, of the child) over {@code rounds} runs after a warm-up. */
    static Bench.Timing runBest(List<String> cmd, int rounds) throws Exception {
        run(cmd);
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            double c0 = Bench.childrenCpu();
            double w0 = Bench.now();
            run(cmd);
            wall = Math.min(wall, Bench.now() - w0);
            cpu = Math.min(cpu, Bench.childrenCpu() - c0);
        }
        return new Bench.Timing(wall, cpu);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", cmd));
        }
    }
}
