package dme.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what crashed processes leave behind: staging files under the storage's {@code _tmp/}
 * ({@code *.part} of interrupted atomic writes, {@code _tmp/chunks/<id>-<seq>/} of songs never
 * stitched) and the job's local scratch under {@code dme.local.tmp} (see {@link LocalScratch}).
 *
 * <p>Something is stale when neither it nor anything inside it was modified for
 * {@code dme.scratch.max.age.seconds}: a write in progress, a chunk folder still receiving chunks, or a
 * decoded song still being read (the job touches it per chunk) is always newer than that. The age must
 * exceed the longest time a scratch file legitimately sits unchanged (a song's chunks waiting for the
 * rest of a long batch), hence a default of a day.
 */
public final class ScratchSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchSweeper.class);
    /** Folder of separated chunks under {@code _tmp/} (see {@link StorageLayout#chunkScratchDir}). */
    private static final String CHUNKS = "chunks";
    /** How deep a stale folder is searched for a fresh file; scratch folders are one level deep. */
    private static final int MAX_DEPTH = 4;

    private final Storage storage;
    private final java.nio.file.Path localTmp;
    private final long maxAgeMillis;
    private long lastSweep = Long.MIN_VALUE;

    /**
     * What one sweep removed.
     *
     * @param storageEntries staging files and chunk folders removed from storage
     * @param localEntries local scratch files and folders removed
     * @param bytes their size in all
     */
    public record Report(int storageEntries, int localEntries, long bytes) {
        Report plus(Report o) {
            return new Report(storageEntries + o.storageEntries, localEntries + o.localEntries, bytes + o.bytes);
        }
    }

    public ScratchSweeper(Storage storage, DmeConfig config) {
        this.storage = storage;
        this.localTmp = config.localTmp();
        this.maxAgeMillis = config.scratchMaxAgeSeconds() * 1000;
    }

    /** Sweeps storage and local scratch now; errors are logged, a sweep never fails its caller. */
    public Report sweep() {
        lastSweep = System.currentTimeMillis();
        long cutoff = lastSweep - maxAgeMillis;
        Report r = sweepStorage(cutoff).plus(sweepLocal(cutoff));
        if (r.storageEntries() + r.localEntries() > 0) {
            LOG.info("removed stale scratch: {} in storage, {} local, {} bytes", r.storageEntries(), r.localEntries(),
                    r.bytes());
        }
        return r;
    }

    /**
     * {@link #sweep()} when the last sweep of this sweeper is more than half the maximum age ago (or
     * there was none); for a loop to call as often as it likes.
     */
    public Report sweepIfDue() {
        if (lastSweep != Long.MIN_VALUE && System.currentTimeMillis() - lastSweep < maxAgeMillis / 2) {
            return new Report(0, 0, 0);
        }
        return sweep();
    }

    private Report sweepStorage(long cutoff) {
        FileSystem fs = storage.fs();
        Path tmp = storage.layout().tmpDir();
        int removed = 0;
        long bytes = 0;
        try {
            for (FileStatus s : children(fs, tmp)) {
                boolean chunkRoot = s.isDirectory() && s.getPath().getName().equals(CHUNKS);
                for (FileStatus entry : chunkRoot ? children(fs, s.getPath()) : List.of(s)) {
                    try {
                        long[] sizeAndNewest = sizeAndNewest(fs, entry, 0);
                        if (sizeAndNewest[1] < cutoff && fs.delete(entry.getPath(), true)) {
                            removed++;
                            bytes += sizeAndNewest[0];
                        }
                    } catch (IOException e) {
                        LOG.warn("cannot sweep stale scratch {}: {}", entry.getPath(), e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep stale scratch under {}: {}", tmp, e.getMessage());
        }
        return new Report(removed, 0, bytes);
    }

    private static List<FileStatus> children(FileSystem fs, Path dir) throws IOException {
        try {
            return List.of(fs.listStatus(dir));
        } catch (java.io.FileNotFoundException e) {
            return List.of();
        }
    }

    /** Total size and newest modification time of a file or folder tree. */
    private static long[] sizeAndNewest(FileSystem fs, FileStatus s, int depth) throws IOException {
        long[] r = {s.getLen(), s.getModificationTime()};
        if (s.isDirectory()) {
            if (depth >= MAX_DEPTH) {
                r[1] = Long.MAX_VALUE; // too deep to be ours: leave it
                return r;
            }
            for (FileStatus c : children(fs, s.getPath())) {
                long[] cr = sizeAndNewest(fs, c, depth + 1);
                r[0] += cr[0];
                r[1] = Math.max(r[1], cr[1]);
            }
        }
        return r;
    }

    private Report sweepLocal(long cutoff) {
        int removed = 0;
        long bytes = 0;
        if (!Files.isDirectory(localTmp)) {
            return new Report(0, 0, 0);
        }
        try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(localTmp,
                p -> LocalScratch.PREFIXES.stream().anyMatch(p.getFileName().toString()::startsWith))) {
            for (java.nio.file.Path p : entries) {
                try {
                    long[] sizeAndNewest = sizeAndNewest(p, 0);
                    if (sizeAndNewest[1] < cutoff) {
                        deleteTree(p);
                        removed++;
                        bytes += sizeAndNewest[0];
                    }
                } catch (IOException e) {
                    LOG.warn("cannot sweep stale scratch {}: {}", p, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep stale scratch in {}: {}", localTmp, e.getMessage());
        }
        return new Report(0, removed, bytes);
    }

    private static long[] sizeAndNewest(java.nio.file.Path p, int depth) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long[] r = {a.isRegularFile() ? a.size() : 0, a.lastModifiedTime().toMillis()};
        if (a.isDirectory()) {
            if (depth >= MAX_DEPTH) {
                r[1] = Long.MAX_VALUE;
                return r;
            }
            try (Stream<java.nio.file.Path> children = Files.list(p)) {
                for (java.nio.file.Path c : (Iterable<java.nio.file.Path>) children::iterator) {
                    long[] cr = sizeAndNewest(c, depth + 1);
                    r[0] += cr[0];
                    r[1] = Math.max(r[1], cr[1]);
                }
            }
        }
        return r;
    }

    /** Deletes a file or folder tree without following links out of it. */
    private static void deleteTree(java.nio.file.Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<java.nio.file.Path> children = Files.list(p)) {
                for (java.nio.file.Path c : (Iterable<java.nio.file.Path>) children::iterator) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
