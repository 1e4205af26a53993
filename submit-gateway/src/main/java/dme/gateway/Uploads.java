package dme.gateway;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import javax.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;

/**
 * {@code POST /music}: an upload is received into a per-request scratch folder
 * ({@link UploadReceiver}), then probed and stored under a new id ({@link UploadStore}). On any
 * failure nothing of it remains: no song folder, no staging file, no scratch file.
 */
final class Uploads {
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

    private final UploadReceiver receiver;
    private final UploadStore store;
    private final Path scratchRoot;
    private final int maxConcurrent;
    private final Semaphore slots;

    Uploads(DmeConfig config, Storage storage, Submissions submissions, Path scratchRoot) {
        this.receiver = new UploadReceiver(config.uploadMaxBytes(), config.uploadMinBytesPerSecond());
        this.store = new UploadStore(storage, submissions, config.uploadMaxSeconds(), config.decodeLimits());
        this.scratchRoot = scratchRoot;
        this.maxConcurrent = config.uploadMaxConcurrent();
        this.slots = new Semaphore(maxConcurrent);
    }

    Music upload(Request req, UrlBase urls) throws IOException {
        // Each upload holds a server thread while its body arrives: a bounded number at once keeps
        // threads for reads and /info when many clients upload slowly. The rest are told to retry
        // before a byte of their body is read.
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable("too many uploads at once (" + maxConcurrent
                    + "): try again in a few seconds");
        }
        try {
            return SongCatalog.music(receiveAndStore(req.raw()), urls);
        } catch (ApiException refused) {
            if (refused.status() != 408) {
                UploadReceiver.drainForCleanAnswer(req.raw());
            }
            throw refused;
        } finally {
            slots.release();
        }
    }

    private SongMeta receiveAndStore(HttpServletRequest raw) throws IOException {
        receiver.refuseIfDeclaredTooLarge(raw);
        Files.createDirectories(scratchRoot);
        Path work = Files.createTempDirectory(scratchRoot, "upload-");
        try {
            return store.store(receiver.receive(raw, work));
        } finally {
            deleteScratch(work);
        }
    }

    private static void deleteScratch(Path work) {
        try {
            UploadScratchSweeper.deleteTree(work);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot clean the upload scratch folder {}: {}", work, e.getMessage());
        }
    }
}
