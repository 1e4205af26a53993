package dme.core.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;

/** Whole-file conveniences (tests, small files) and the local copy FFmpeg needs; the pipeline itself streams. */
public final class AudioFiles {
    /** Name start of the temporary copies {@link #localCopy} makes (local scratch, swept when stale). */
    public static final String LOCAL_COPY_PREFIX = "dme-src-";

    private AudioFiles() {}

    /** Decodes a whole file to 44.1 kHz stereo float, {@code [2][frames]}. */
    public static float[][] decodeAll(Path localFile) throws AudioDecodeException {
        try (AudioReader r = AudioReader.open(localFile)) {
            // Sized from the container's duration when known, so long files are not copied while growing.
            long guess = (long) (r.info().durationSeconds() * PcmFormat.SAMPLE_RATE) + 4096;
            int size = (int) Math.min(Math.max(guess, 1 << 16), Integer.MAX_VALUE - 16);
            float[][] out = new float[2][size];
            int n = 0;
            while (true) {
                if (n == out[0].length) {
                    int grown = (int) Math.min((long) n * 2, Integer.MAX_VALUE - 16);
                    if (grown == n) {
                        throw new AudioDecodeException(localFile.getFileName() + ": too long to decode into one array");
                    }
                    out[0] = Arrays.copyOf(out[0], grown);
                    out[1] = Arrays.copyOf(out[1], grown);
                }
                int got = r.read(out, n, out[0].length - n);
                if (got < 0) {
                    break;
                }
                n += got;
            }
            return n == out[0].length ? out : new float[][] {Arrays.copyOf(out[0], n), Arrays.copyOf(out[1], n)};
        }
    }

    /** Encodes {@code audio} ({@code [2][frames]}, 44.1 kHz) to a local file in one go. */
    public static void write(Path localFile, float[][] audio, OutputFormat format, int mp3BitrateKbps) throws IOException {
        try (AudioWriter w = AudioWriter.open(localFile, format, mp3BitrateKbps)) {
            w.write(audio, 0, audio[0].length);
        }
    }

    /**
     * Makes a Hadoop file readable by FFmpeg, which needs a local path. A file on the local file system
     * ({@code file:} URIs, {@link org.apache.hadoop.fs.LocalFileSystem}) is returned as it is; any other
     * (HDFS, S3A, HTTP...) is streamed to a new temporary file in {@code tmpDir} that keeps the original
     * extension (FFmpeg uses it as a hint for damaged files). Only {@code fs.open} is used, so this works on
     * read-only file systems. Use in try-with-resources: closing deletes a copy and never the original.
     */
    public static LocalFile localCopy(FileSystem fs, org.apache.hadoop.fs.Path p, Path tmpDir) throws IOException {
        org.apache.hadoop.fs.Path qualified = fs.makeQualified(p);
        if ("file".equalsIgnoreCase(qualified.toUri().getScheme())) {
            return new LocalFile(Paths.get(qualified.toUri()), false);
        }
        Files.createDirectories(tmpDir);
        Path local = Files.createTempFile(tmpDir, LOCAL_COPY_PREFIX, extensionOf(p.getName()));
        try (InputStream in = fs.open(qualified)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            return new LocalFile(local, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
    }

    /** ".mp3" for "song.mp3"; "" when there is no plausible extension. */
    private static String extensionOf(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return "";
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.length() <= 8 && ext.chars().allMatch(Character::isLetterOrDigit) ? "." + ext : "";
    }
}
