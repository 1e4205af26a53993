package dme.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FFmpeg needs local files: stored files on the local file system are used in place, others are copied. */
class LocalCopyTest {
    @TempDir
    Path dir;

    private Path song() throws IOException {
        Path f = dir.resolve("song.flac");
        TestAudio.write(f, TestAudio.music(TestAudio.RATE, 12), OutputFormat.FLAC, 0);
        return f;
    }

    @Test
    void fileUriIsUsedInPlace() throws Exception {
        Path f = song();
        FileSystem fs = FileSystem.get(URI.create("file:///"), new Configuration());
        try (LocalFile local = AudioFiles.localCopy(fs, new org.apache.hadoop.fs.Path(f.toUri()), dir.resolve("tmp"))) {
            assertFalse(local.temporary());
            assertEquals(f.toRealPath(), local.path().toRealPath());
        }
        assertTrue(Files.exists(f), "closing never deletes the stored file");
    }

    @Test
    void localFileSystemPathIsUsedInPlace() throws Exception {
        Path f = song();
        FileSystem fs = FileSystem.getLocal(new Configuration());
        // An unqualified path, as code using the default local file system passes it.
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f.toAbsolutePath().toString());
        try (LocalFile local = AudioFiles.localCopy(fs, p, dir.resolve("tmp"))) {
            assertFalse(local.temporary());
            assertEquals(f.toRealPath(), local.path().toRealPath());
            assertEquals(TestAudio.RATE, TestAudio.read(local.path())[0].length);
        }
        assertTrue(Files.exists(f));
    }

    /** A file system that is not local (Hadoop's read-only HTTP file system on a local server). */
    @Test
    void remoteFileIsCopiedAndTheCopyDeleted() throws Exception {
        byte[] bytes = Files.readAllBytes(song());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/music/", exchange -> {
            boolean found = exchange.getRequestURI().getPath().equals("/music/song.flac");
            exchange.sendResponseHeaders(found ? 200 : 404, found ? bytes.length : -1);
            if (found) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            FileSystem fs = FileSystem.newInstance(URI.create(base + "/"), new Configuration());
            Path tmp = dir.resolve("scratch");
            Path copy;
            try (LocalFile local = AudioFiles.localCopy(fs, new org.apache.hadoop.fs.Path(base + "/music/song.flac"), tmp)) {
                copy = local.path();
                assertTrue(local.temporary());
                assertEquals(tmp, copy.getParent(), "copied into the given scratch folder");
                assertTrue(copy.getFileName().toString().endsWith(".flac"), "keeps the extension: " + copy);
                assertArrayEquals(bytes, Files.readAllBytes(copy));
                assertEquals(TestAudio.RATE, TestAudio.read(copy)[0].length);
            }
            assertFalse(Files.exists(copy), "closing deletes the copy");

            assertThrows(IOException.class,
                    () -> AudioFiles.localCopy(fs, new org.apache.hadoop.fs.Path(base + "/music/missing.mp3"), tmp));
            try (var left = Files.list(tmp)) {
                assertEquals(0, left.count(), "a failed copy leaves nothing behind");
            }
        } finally {
            server.stop(0);
        }
    }
}
