package dme.core.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;

/** Whole-file conveniences (tests, small files) and the local copy FFmpeg needs; the pipeline itself streams. */
public final class AudioFiles {
    /** Name start of the temporary copies {@link #localCopy} makes (local scratch, swept when stale). */
    public static final String LOCAL_COPY_PREFIX = "dme-src-";

    private AudioFiles() {}

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
