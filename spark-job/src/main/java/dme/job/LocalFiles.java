package dme.job;

import dme.core.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** FFmpeg reads local files: stored files on remote file systems are copied to local scratch first. */
final class LocalFiles {
    private LocalFiles() {}

    static boolean isLocal(Storage storage) {
        return "file".equals(storage.fs().getUri().getScheme());
    }

    static Path localCopy(Storage storage, org.apache.hadoop.fs.Path path, Path tmpDir) throws IOException {
        if (isLocal(storage)) {
            return Paths.get(storage.fs().makeQualified(path).toUri());
        }
        String name = path.getName();
        int dot = name.lastIndexOf('.');
        Path local = Files.createTempFile(tmpDir, "dme-in-", dot >= 0 ? name.substring(dot) : "");
        Files.delete(local);
        storage.fs().copyToLocalFile(false, path, new org.apache.hadoop.fs.Path(local.toUri()), true);
        return local;
    }

    static void deleteIfCopy(Path local, Storage storage, org.apache.hadoop.fs.Path original) throws IOException {
        if (!isLocal(storage)) {
            Files.deleteIfExists(local);
        }
    }
}
