package dme.core;

import dme.core.format.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * File operations on the storage root with the one rule the gateway and the job rely on: a file
 * appears under its final name complete or not at all (written under {@code _tmp/}, then renamed).
 */
public final class Storage {
    private final StorageLayout layout;
    private final FileSystem fs;
    /** Null for the local file system, whose rename already replaces atomically. */
    private final FileContext fc;

    private Storage(StorageLayout layout, FileSystem fs, FileContext fc) {
        this.layout = layout;
        this.fs = fs;
        this.fc = fc;
    }

    public static Storage open(StorageLayout layout, Configuration conf) throws IOException {
        FileSystem fs = layout.root().getFileSystem(conf);
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
            // The checksummed local file system keeps a .crc file beside each file; the two are not
            // renamed as one, so a reader racing a replacement sees a checksum error. POSIX rename
            // of the raw file is atomic on its own.
            return new Storage(layout, local.getRawFileSystem(), null);
        }
        FileContext fc = FileContext.getFileContext(fs.getUri(), conf);
        return new Storage(layout, fs, fc);
    }

    public static Storage open(StorageLayout layout) throws IOException {
        return open(layout, new Configuration());
    }

    public StorageLayout layout() {
        return layout;
    }

    public FileSystem fs() {
        return fs;
    }

    /** Writes bytes to a staging file and renames it over {@code target}. */
    public void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = layout.newTmpPath(".part");
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(bytes);
        }
        publish(tmp, target);
    }

    /** Streams {@code in} to {@code target} atomically; returns the number of bytes written. */
    public long writeAtomically(Path target, InputStream in, long maxBytes) throws IOException {
        Path tmp = layout.newTmpPath(".part");
        long total = 0;
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new SizeLimitException(maxBytes);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, false);
            throw e;
        }
        publish(tmp, target);
        return total;
    }

    /** Copies a local file to {@code target} atomically. */
    public void copyFromLocal(java.nio.file.Path local, Path target) throws IOException {
        Path tmp = layout.newTmpPath(".part");
        try {
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
        } catch (IOException e) {
            fs.delete(tmp, false);
            throw e;
        }
        publish(tmp, target);
    }

    /** Renames a staged file over {@code target}, replacing an older version in one step. */
    public void publish(Path staged, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        try {
            if (fc == null) {
                // raw local file system: rename(2) replaces the target atomically
                if (!fs.rename(staged, target)) {
                    throw new IOException("cannot rename " + staged + " to " + target);
                }
            } else {
                fc.rename(staged, target, Options.Rename.OVERWRITE);
            }
        } catch (IOException e) {
            fs.delete(staged, false);
            throw e;
        }
    }

    /** Creates an empty file only if absent; true when this call created it (atomic on HDFS). */
    public boolean createExclusive(Path path) throws IOException {
        try (OutputStream out = fs.create(path, false)) {
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(path)) {
                return false;
            }
            throw e;
        }
    }

    public byte[] readAll(Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    public boolean exists(Path path) throws IOException {
        return fs.exists(path);
    }

    /**
     * Whether song {@code id} still exists: its record (meta.json) is written before anything else of
     * it and removed first when it is deleted, so nothing of a deleted song may be written after this
     * says no.
     */
    public boolean songExists(long id) throws IOException {
        return fs.exists(layout.meta(id));
    }

    /** A JSON record of dme.core.format, or empty when its file does not exist. */
    public <T> Optional<T> readJson(Path file, Class<T> type) throws IOException {
        try {
            return Optional.of(Json.read(readAll(file), type));
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Children of a folder; empty when the folder does not exist. */
    public List<FileStatus> list(Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (!name.startsWith(".") && !name.startsWith("_") && !name.endsWith(".crc")) {
                    out.add(s);
                }
            }
        } catch (java.io.FileNotFoundException e) {
            return out;
        }
        return out;
    }

    public void deleteRecursively(Path path) throws IOException {
        fs.delete(path, true);
    }

    /** Thrown when a stream passes a configured size limit. */
    public static final class SizeLimitException extends IOException {
        private final long limit;

        public SizeLimitException(long limit) {
            super("file is larger than the limit of " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
