package dme.core.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file FFmpeg can open: either the stored file itself (local storage) or a temporary copy of it.
 * Closing deletes the copy and leaves a stored file alone.
 *
 * @param path the local file to read
 * @param temporary true when {@code path} is a copy that {@link #close()} deletes
 */
public record LocalFile(Path path, boolean temporary) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(path);
        }
    }
}
