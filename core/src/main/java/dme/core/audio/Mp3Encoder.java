package dme.core.audio;

import dme.core.Messages;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Which code encodes MP3: JavaCV's FFmpeg in process ({@link #LIBRARY}), or an {@code ffmpeg} program fed
 * float PCM through a pipe. Why a program at all: javacpp-presets builds the LAME inside JavaCV's
 * libavcodec with {@code CFLAGS="-m64"}, which replaces autoconf's {@code -O2}, so that LAME runs
 * unoptimised (~30× real time per core here) while a distribution's ffmpeg, whose libmp3lame is built
 * with optimisation, encodes the same samples ~2.4× faster (docs/PERFORMANCE.md, section 2). Settings
 * ({@code dme.output.mp3.encoder}):
 * <ul>
 *   <li>{@code auto} (default): the {@code ffmpeg} on the PATH when it has libmp3lame, else the library;</li>
 *   <li>{@code library}: always in process;</li>
 *   <li>a program name or path: that ffmpeg, refused with a clear error when it cannot encode MP3.</li>
 * </ul>
 * Resolve once per song, not per file: the check starts the program.
 *
 * @param program the ffmpeg program to run, or null for the in-process library
 */
public record Mp3Encoder(String program) implements Serializable {
    public static final Mp3Encoder LIBRARY = new Mp3Encoder(null);
    public static final String AUTO = "auto";
    public static final String IN_PROCESS = "library";
    private static final long PROBE_SECONDS = 20;

    public boolean inProcess() {
        return program == null;
    }

    /** {@link #resolve} for MP3; the library, unchecked, for every other format (it encodes nothing). */
    public static Mp3Encoder forFormat(OutputFormat format, String setting) {
        return format == OutputFormat.MP3 ? resolve(setting) : LIBRARY;
    }

    /** Resolves a {@code dme.output.mp3.encoder} setting (see the class comment). */
    public static Mp3Encoder resolve(String setting) {
        String s = setting == null ? "" : setting.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals(IN_PROCESS)) {
            return LIBRARY;
        }
        if (lower.isEmpty() || lower.equals(AUTO)) {
            return encodesMp3("ffmpeg") == null ? new Mp3Encoder("ffmpeg") : LIBRARY;
        }
        String problem = encodesMp3(s);
        if (problem != null) {
            throw new IllegalArgumentException("MP3 encoder '" + s + "' cannot be used: " + problem
                    + " (set dme.output.mp3.encoder to auto, library or an ffmpeg with libmp3lame)");
        }
        return new Mp3Encoder(s);
    }

    /** Null when {@code program} runs and lists the libmp3lame encoder, else what is wrong. */
    static String encodesMp3(String program) {
        Path out = null;
        try {
            out = Files.createTempFile("dme-ffmpeg-encoders-", ".txt");
            Process p = new ProcessBuilder(program, "-hide_banner", "-nostdin", "-encoders")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'" + program + " -encoders' did not answer within " + PROBE_SECONDS + " s";
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                return "'" + program + " -encoders' exited with " + p.exitValue();
            }
            return text.contains(" libmp3lame ") ? null : "its encoders do not include libmp3lame";
        } catch (IOException e) {
            return "it does not run (" + Messages.firstLine(e.getMessage()) + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking it";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file of a few KB
                }
            }
        }
    }

    @Override
    public String toString() {
        return inProcess() ? "JavaCV in process" : "program " + program;
    }
}
