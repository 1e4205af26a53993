package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.LocalScratch;
import dme.core.ScratchSweeper;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.AudioFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash leftovers are removed, files of writes in progress are kept: storage {@code _tmp/} on the local
 * file system and on a real HDFS (MiniDFSCluster), and the job's local scratch. Staleness is the
 * modification time, set into the past here.
 */
class ScratchSweeperTest {
    private static final long AGE_SECONDS = 3600;

    @TempDir
    Path dir;

    @Test
    void localStorageAndLocalScratch() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local"));
        DmeConfig config = config(dir.resolve("root").toUri().toString(), local);
        Storage storage = Storage.open(config.layout(), new Configuration());
        StorageCase r = storageCase(storage, config);
        assertEquals(3, r.sweep().storageEntries(), "stale: a .part file, a chunk folder, a staged file");
        r.assertSwept();

        Path stalePcm = old(Files.write(local.resolve(LocalScratch.PCM_PREFIX + "1-123.f32"), new byte[100]));
        Path staleCopy = old(Files.write(local.resolve(AudioFiles.LOCAL_COPY_PREFIX + "456.mp3"), new byte[100]));
        Path staleOut = Files.createDirectories(local.resolve(LocalScratch.OUTPUT_PREFIX + "1-789"));
        old(Files.write(staleOut.resolve("drums.wav"), new byte[100]));
        old(staleOut);
        Path busyOut = Files.createDirectories(local.resolve(LocalScratch.OUTPUT_PREFIX + "2-111"));
        old(Files.write(busyOut.resolve("drums.wav"), new byte[100]));
        Files.write(busyOut.resolve("bass.wav"), new byte[100]); // being written now
        old(busyOut);
        Path freshMix = Files.write(local.resolve(LocalScratch.MIX_PREFIX + "3-222.wav"), new byte[100]);
        Path models = old(Files.createDirectories(local.resolve("dme-models")));
        Path foreign = old(Files.write(local.resolve("someone-elses.f32"), new byte[100]));
        Path gatewayUploads = old(Files.createDirectories(local.resolve("dme-gateway-uploads")));

        ScratchSweeper.Report swept = new ScratchSweeper(storage, config).sweep();

        assertEquals(3, swept.localEntries(), "the stale pcm file, local copy and output folder");
        for (Path gone : List.of(stalePcm, staleCopy, staleOut)) {
            assertFalse(Files.exists(gone), gone + " is stale");
        }
        for (Path kept : List.of(busyOut.resolve("drums.wav"), freshMix, models, foreign, gatewayUploads)) {
            assertTrue(Files.exists(kept), kept + " is fresh, in use or not the job's");
        }
    }

    @Test
    void storageOnHdfs() throws Exception {
        Configuration hconf = new Configuration();
        hconf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(hconf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            DmeConfig config = config("hdfs://localhost:" + cluster.getNameNodePort() + "/dme",
                    Files.createDirectories(dir.resolve("local")));
            Storage storage = Storage.open(config.layout(), hconf);
            assertEquals("hdfs", storage.fs().getUri().getScheme());
            StorageCase r = storageCase(storage, config);
            assertEquals(3, r.sweep().storageEntries());
            r.assertSwept();
        } finally {
            cluster.shutdown();
        }
    }

    private static DmeConfig config(String root, Path local) {
        return DmeConfig.of(Map.of(DmeConfig.ROOT, root, DmeConfig.LOCAL_TMP, local.toString(),
                DmeConfig.SCRATCH_MAX_AGE_SECONDS, String.valueOf(AGE_SECONDS)));
    }

    /** Staging files and chunk folders of crashed writes (stale) next to those of writes in progress. */
    private StorageCase storageCase(Storage storage, DmeConfig config) throws Exception {
        StorageLayout layout = storage.layout();
        FileSystem fs = storage.fs();
        org.apache.hadoop.fs.Path stalePart = layout.newTmpPath(".part");
        org.apache.hadoop.fs.Path stageWav = layout.newTmpPath(".wav");
        org.apache.hadoop.fs.Path freshPart = layout.newTmpPath(".part");
        org.apache.hadoop.fs.Path staleChunks = layout.chunkScratchDir(5, 1);
        org.apache.hadoop.fs.Path busyChunks = layout.chunkScratchDir(6, 2);
        org.apache.hadoop.fs.Path freshChunks = layout.chunkScratchDir(7, 1);
        storage.writeAtomically(layout.songStatus(1), new byte[0]); // a finished write leaves no staging
        for (org.apache.hadoop.fs.Path p : List.of(stalePart, stageWav, freshPart, layout.chunkScratch(5, 1, 0),
                layout.chunkScratch(5, 1, 1), layout.chunkScratch(6, 2, 0), layout.chunkScratch(6, 2, 1),
                layout.chunkScratch(7, 1, 0))) {
            try (var out = fs.create(p, false)) {
                out.write(new byte[50]);
            }
        }
        long old = System.currentTimeMillis() - (AGE_SECONDS + 60) * 1000;
        for (org.apache.hadoop.fs.Path p : List.of(stalePart, stageWav, layout.chunkScratch(5, 1, 0),
                layout.chunkScratch(5, 1, 1), staleChunks, layout.chunkScratch(6, 2, 0), busyChunks)) {
            fs.setTimes(p, old, -1);
        }
        // chunk 1 of song 6 was written just now: its folder is in use
        return new StorageCase(storage, config, List.of(stalePart, stageWav, staleChunks),
                List.of(freshPart, layout.chunkScratch(6, 2, 0), layout.chunkScratch(6, 2, 1), freshChunks,
                        layout.chunkScratch(7, 1, 0), layout.songStatus(1), layout.chunkScratchDir(1, 1).getParent()));
    }

    private record StorageCase(Storage storage, DmeConfig config, List<org.apache.hadoop.fs.Path> stale,
            List<org.apache.hadoop.fs.Path> kept) {
        ScratchSweeper.Report sweep() {
            return new ScratchSweeper(storage, config).sweep();
        }

        void assertSwept() throws Exception {
            for (org.apache.hadoop.fs.Path p : stale) {
                assertFalse(storage.exists(p), p + " is stale");
            }
            for (org.apache.hadoop.fs.Path p : kept) {
                assertTrue(storage.exists(p), p + " is in use");
            }
        }
    }

    private static Path old(Path p) throws Exception {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - (AGE_SECONDS + 60) * 1000));
        return p;
    }
}
