package dme.job.separate.demucs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.SongStats;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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
    void manyThreadsLoadTheModelOnce() throws Exception {
        // a private copy: no other test has loaded this path, so its counter starts at zero
        Path model = Files.copy(DemucsFixtures.tinyModel(), tmp.resolve("concurrent.pt"));
        assertEquals(0, DemucsModelHolder.loads(model));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[][][]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    DemucsSeparator separator = DemucsSeparator.load(model, OPTIONS);
                    float[][][] last = null;
                    for (int i = 0; i < 3; i++) {
                        last = separator.separate(DemucsFixtures.mixture(15_000 + 1000 * seed, seed), SongStats.IDENTITY);
                    }
                    return last;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                float[][][] stems = results.get(t).get();
                assertEquals(15_000 + 1000 * t, stems[3][1].length);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, DemucsModelHolder.loads(model), "one load of the model in this JVM");
        // same results from every thread as from this one: the shared module is not corrupted
        float[][][] again = DemucsSeparator.load(model, OPTIONS).separate(DemucsFixtures.mixture(15_000, 0),
                SongStats.IDENTITY);
        float[][][] fresh = DemucsSeparator.load(model, OPTIONS).separate(DemucsFixtures.mixture(15_000, 0),
                SongStats.IDENTITY);
        assertEquals(0.0, DemucsFixtures.maxAbsDiff(again[2][0], fresh[2][0]));
        assertEquals(1, DemucsModelHolder.loads(model));
    }

    @Test
    void missingFileIsReportedClearly() {
        Path missing = tmp.resolve("nope/model.pt");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DemucsSeparator.validate(missing, OPTIONS));
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
        assertEquals(0, DemucsModelHolder.loads(zip));
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
