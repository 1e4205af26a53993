package dme.job.separate.demucs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.SongStats;
import dme.job.separate.ExecutorSeparator;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: once per JVM under concurrency, and clear failures for missing or broken files. */
class DemucsModelLoadTest {
    static final DemucsOptions OPTIONS = DemucsOptions.defaults().withSegmentSeconds(0.5).withDevice("cpu").withThreads(1, 1);

    @TempDir
    Path tmp;

    @BeforeEach
    void offline() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run DJL offline");
    }

    @Test
    void manyThreadsShareOneModelPerJvm() throws Exception {
        // a private copy: no other test has loaded this file
        Path model = Files.copy(DemucsFixtures.tinyModel(), tmp.resolve("concurrent.pt"));
        DmeConfig config = DmeConfig.of(Map.of(DmeConfig.ROOT, tmp.toUri().toString(), DmeConfig.SEPARATOR, "demucs",
                DmeConfig.MODEL, model.toString(), DmeConfig.DEMUCS_SEGMENT_SECONDS, "0.5", DmeConfig.DJL_DEVICE, "cpu",
                DmeConfig.DJL_THREADS, "1"));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<ExecutorSeparator.Held> held = new ArrayList<>();
        try {
            List<Future<ExecutorSeparator.Held>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    ExecutorSeparator.Held h = ExecutorSeparator.get(config, new Configuration(false));
                    for (int i = 0; i < 3; i++) {
                        float[][][] stems = h.separator().separate(DemucsFixtures.mixture(15_000 + 1000 * seed, seed),
                                SongStats.IDENTITY);
                        assertEquals(15_000 + 1000 * seed, stems[3][1].length);
                    }
                    return h;
                }));
            }
            start.countDown();
            for (Future<ExecutorSeparator.Held> f : results) {
                held.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        for (ExecutorSeparator.Held h : held) {
            assertSame(held.get(0).separator(), h.separator(), "one separator (one model) in this JVM");
            assertEquals(1, h.loads());
        }
        // the shared model gives the results a model of its own gives: it is not corrupted
        float[][][] shared = held.get(0).separator().separate(DemucsFixtures.mixture(15_000, 0), SongStats.IDENTITY);
        try (DemucsSeparator own = DemucsSeparator.load(model, OPTIONS)) {
            float[][][] fresh = own.separate(DemucsFixtures.mixture(15_000, 0), SongStats.IDENTITY);
            assertEquals(0.0, DemucsFixtures.maxAbsDiff(shared[2][0], fresh[2][0]));
        }
        // a replaced model file is a new model
        Files.setLastModifiedTime(model, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertNotSame(held.get(0).separator(), ExecutorSeparator.get(config, new Configuration(false)).separator());
    }

    @Test
    void missingFileIsReportedClearly() {
        Path missing = tmp.resolve("nope/model.pt");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DemucsSeparator.load(missing, OPTIONS));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void randomBytesAreReportedClearly() throws Exception {
        Path broken = tmp.resolve("random.pt");
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Files.write(broken, bytes);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DemucsSeparator.load(broken, OPTIONS));
        assertTrue(e.getMessage().contains("not a TorchScript file"), e.getMessage());
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }

    @Test
    void emptyFileAndDirectoryAreReportedClearly() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.pt"));
        assertTrue(assertThrows(ModelLoadException.class, () -> DemucsSeparator.load(empty, OPTIONS))
                .getMessage().contains("is empty"));
        assertTrue(assertThrows(ModelLoadException.class, () -> DemucsSeparator.load(tmp, OPTIONS))
                .getMessage().contains("not a readable regular file"));
    }

    @Test
    void zipThatIsNotTorchScriptIsReportedByLibtorch() throws Exception {
        Path zip = tmp.resolve("notes.pt");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("notes/readme.txt"));
            z.write("not a model".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DemucsSeparator.load(zip, OPTIONS));
        assertTrue(e.getMessage().contains("is not a loadable TorchScript module"), e.getMessage());
    }

    @Test
    void truncatedModelIsReportedClearly() throws Exception {
        byte[] model = Files.readAllBytes(DemucsFixtures.tinyModel());
        Path truncated = tmp.resolve("truncated.pt");
        Files.write(truncated, java.util.Arrays.copyOf(model, model.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DemucsSeparator.load(truncated, OPTIONS));
        assertTrue(e.getMessage().contains("is not a loadable TorchScript module"), e.getMessage());
    }
}
