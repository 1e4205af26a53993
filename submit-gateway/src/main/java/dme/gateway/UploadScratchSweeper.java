package dme.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes partial uploads a crashed or killed gateway left in its local scratch folder: every
 * upload folder in which nothing was written for the stale age. Runs at start-up and then
 * periodically. A live upload writes continuously (slow ones are cut off by the minimum upload rate
 * and the idle timeout, both far below the stale age), so it is never swept.
 */
final class UploadScratchSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadScratchSweeper.class);

    private final Path scratchRoot;
    private final long staleMillis;
    private final ScheduledExecutorService timer;

    UploadScratchSweeper(Path scratchRoot, long staleMillis) {
        this.scratchRoot = scratchRoot;
        this.staleMillis = staleMillis;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dme-upload-scratch-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sweeps now, then every quarter of the stale age (at least every second, at most every 10 minutes). */
    void start() {
        sweep();
        long period = Math.max(1000, Math.min(staleMillis / 4, TimeUnit.MINUTES.toMillis(10)));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Removes every stale upload folder (or stray file) directly under the scratch root; returns how many. */
    int sweep() {
        if (!Files.isDirectory(scratchRoot)) {
            return 0;
        }
        long cutoff = System.currentTimeMillis() - staleMillis;
        int removed = 0;
        try (Stream<Path> entries = Files.list(scratchRoot)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                try {
                    if (lastWrite(p) < cutoff) {
                        long bytes = deleteTree(p);
                        removed++;
                        LOG.info("removed a stale partial upload {} ({} bytes) from the gateway's scratch", p.getFileName(), bytes);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot remove the stale upload scratch {}: {}", p.getFileName(), e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the upload scratch {}: {}", scratchRoot, e.toString());
        }
        return removed;
    }

    /** Newest modification time in the tree (a folder's own time changes only when entries come or go). */
    private static long lastWrite(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            return all.map(UploadScratchSweeper::modified).max(Long::compare).orElse(0L);
        }
    }

    private static long modified(Path p) {
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return t.toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE; // vanished or unreadable meanwhile: not ours to judge this round
        }
    }

    /** Deletes a scratch folder with everything in it; returns the bytes its files held. */
    static long deleteTree(Path dir) throws IOException {
        long bytes = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                if (Files.isRegularFile(p)) {
                    bytes += Files.size(p);
                }
                Files.deleteIfExists(p);
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
