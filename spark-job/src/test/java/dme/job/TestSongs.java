package dme.job;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Audio made by the tests, and songs stored exactly as the gateway stores them. */
final class TestSongs {
    private TestSongs() {}

    /** Stores a song file (any bytes) with its meta, as the gateway does; returns the id. */
    static long store(Storage storage, Path file, String ext, String name) throws IOException {
        Submissions s = new Submissions(storage);
        long id = s.issueId();
        String stored;
        try (InputStream in = Files.newInputStream(file)) {
            stored = s.storeOriginal(id, ext, in, Long.MAX_VALUE);
        }
        s.storeMeta(new SongMeta(id, name, "Test Band", stored, Files.size(file), 0, 44_100, 2, "test",
                System.currentTimeMillis()));
        return id;
    }

    static long storeMusic(Storage storage, Path dir, float[][] audio, String name) throws IOException {
        Path f = Files.createTempFile(dir, "song-", ".flac");
        TestAudio.write(f, audio, OutputFormat.FLAC, 320);
        return store(storage, f, "flac", name);
    }

    static DmeConfig config(Path root) {
        return DmeConfig.of(java.util.Map.of(
                DmeConfig.ROOT, root.toUri().toString(),
                DmeConfig.CHUNK_SECONDS, "2",
                DmeConfig.SPARK_MASTER, "local[2]",
                DmeConfig.OUTPUT_FORMAT, "wav-float",
                DmeConfig.SEPARATOR, "spectral"));
    }
}
