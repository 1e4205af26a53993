package dme.core.audio;

import dme.core.Messages;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Encodes MP3 with an {@code ffmpeg} program: interleaved little-endian float PCM goes to its stdin,
 * it writes the file itself (seekable, so it adds the Xing/LAME header that lets decoders trim the
 * encoder delay, as the library path does). Its error output goes to a temp file whose last line is
 * reported when it fails. See {@link Mp3Encoder} for why a program.
 */
final class ProgramEncoder implements SampleEncoder {
    /** How long the program may take to drain the pipe's tail and write the trailer after stdin closes. */
    private static final long FINISH_SECONDS = 120;

    private final Process process;
    private final OutputStream stdin;
    private final Path log;
    private final String name;
    private final String program;
    private final ByteBuffer bytes = ByteBuffer.allocate(AudioWriter.BLOCK * 2 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private boolean finished;

    private ProgramEncoder(Process process, Path log, String name, String program) {
        this.process = process;
        this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.log = log;
        this.name = name;
        this.program = program;
    }

    static ProgramEncoder start(String program, Path localFile, int mp3BitrateKbps, Map<String, String> tags)
            throws IOException {
        String name = String.valueOf(localFile.getFileName());
        List<String> cmd = new ArrayList<>(List.of(program, "-nostdin", "-hide_banner", "-loglevel", "error",
                "-f", "f32le", "-ar", String.valueOf(PcmFormat.SAMPLE_RATE), "-ac", String.valueOf(PcmFormat.CHANNELS),
                "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", mp3BitrateKbps + "k"));
        if (tags != null) {
            // Arguments, not a shell line: a tag value cannot become an option or a command.
            tags.forEach((k, v) -> {
                cmd.add("-metadata");
                cmd.add(k + "=" + v);
            });
        }
        cmd.addAll(List.of("-f", "mp3", "-y", localFile.toAbsolutePath().toString()));
        try {
            // The program would only report an unwritable place after it started reading: fail at open, as
            // the in-process encoder does.
            Files.write(localFile, new byte[0]);
        } catch (IOException e) {
            throw new IOException(name + ": cannot create the file (" + Messages.firstLine(e.toString()) + ")", e);
        }
        Path log = Files.createTempFile("dme-ffmpeg-", ".log");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile())
                    .start();
            return new ProgramEncoder(p, log, name, program);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(log);
            throw new IOException(name + ": cannot start the MP3 encoder '" + program + "' ("
                    + Messages.firstLine(e.getMessage()) + ")", e);
        }
    }

    @Override
    public void encode(float[] l, float[] r, int off, int n) throws IOException {
        bytes.clear();
        for (int i = 0; i < n; i++) {
            bytes.putFloat(l[off + i]);
            bytes.putFloat(r[off + i]);
        }
        try {
            stdin.write(bytes.array(), 0, bytes.position());
        } catch (IOException e) {
            // The program stopped reading: it exited, and its own message says why.
            throw new IOException(name + ": encoding failed (" + programMessage(e) + ")", e);
        }
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            try {
                stdin.close();
            } catch (IOException e) {
                throw new IOException(name + ": finishing the file failed (" + programMessage(e) + ")", e);
            }
            if (!process.waitFor(FINISH_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(name + ": the MP3 encoder '" + program + "' did not finish within "
                        + FINISH_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(name + ": finishing the file failed (" + programMessage(null) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": interrupted while the MP3 encoder finished", e);
        } finally {
            process.destroyForcibly(); // no-op once it exited; never leaves a program behind
            Files.deleteIfExists(log);
        }
    }

    /** The program's last error line, or its exit, or the pipe's own error. */
    private String programMessage(IOException pipeError) {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                String text = Files.readString(log, StandardCharsets.UTF_8).strip();
                String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
                return "'" + program + "' exited with " + process.exitValue() + (last.isEmpty() ? "" : ": " + last);
            }
        } catch (IOException ignored) {
            // fall through to the pipe's error
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pipeError == null ? "'" + program + "' failed" : Messages.firstLine(pipeError.getMessage());
    }
}
