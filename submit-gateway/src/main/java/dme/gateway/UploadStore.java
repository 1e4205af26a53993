package dme.gateway;

import dme.core.DecodeLimitException;
import dme.core.DecodeLimits;
import dme.core.Messages;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioDecodeException;
import dme.core.audio.AudioInfo;
import dme.core.audio.AudioProbe;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a received upload with FFmpeg and stores it under a new id. It must decode, be no longer
 * than the duration limit and within the decode limits; only then does it get an id. Its original
 * is stored atomically and its meta written last, which makes the song visible; a failure on the
 * way leaves nothing of the song behind.
 */
final class UploadStore {
    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);

    private final Storage storage;
    private final Submissions submissions;
    private final long maxSeconds;
    private final DecodeLimits decodeLimits;

    UploadStore(Storage storage, Submissions submissions, long maxSeconds, DecodeLimits decodeLimits) {
        this.storage = storage;
        this.submissions = submissions;
        this.maxSeconds = maxSeconds;
        this.decodeLimits = decodeLimits;
    }

    SongMeta store(UploadReceiver.Received r) throws IOException {
        AudioInfo info = probe(r);
        String name = UploadNames.songName(r.name(), info.title(), r.fileName());
        String band = UploadNames.band(r.band(), info.artist());
        String ext = UploadNames.containerExtension(info.container());

        long id = submissions.issueId();
        try {
            String original = "original." + ext;
            storage.copyFromLocal(r.file(), storage.layout().original(id, ext));
            SongMeta meta = new SongMeta(id, name, band, original, r.bytes(), info.durationSeconds(),
                    info.sampleRate(), info.channels(), info.codec(), System.currentTimeMillis());
            submissions.storeMeta(meta);
            LOG.info("song {} stored: {} bytes, {} s of {} ({})", id, r.bytes(),
                    String.format(Locale.ROOT, "%.1f", info.durationSeconds()), info.codec(), ext);
            return meta;
        } catch (IOException | RuntimeException e) {
            // the id stays issued (ids are never reused) but no trace of the song remains
            storage.deleteRecursively(storage.layout().songDir(id));
            throw e;
        }
    }

    /** What FFmpeg finds in the file; 405 unless it is audio within the limits. */
    private AudioInfo probe(UploadReceiver.Received r) throws IOException {
        if (r.bytes() == 0) {
            throw ApiException.invalid("the file is empty");
        }
        AudioInfo info;
        try {
            // counted only a little past the limit: a hostile file is not measured for hours
            info = AudioProbe.probe(r.file(), maxSeconds);
        } catch (AudioDecodeException e) {
            throw ApiException.invalid("not a decodable audio file: " + Messages.firstLine(e.getMessage())
                    .replace(r.file().getFileName().toString(), UploadNames.displayName(r.fileName())));
        }
        if (info.durationSeconds() > maxSeconds) {
            throw ApiException.invalid(String.format(Locale.ROOT, "the song is too long: %.0f s, the limit is %d s",
                    info.durationSeconds(), maxSeconds));
        }
        try {
            decodeLimits.checkSource(info); // a decompression bomb: small file, huge decoded audio
        } catch (DecodeLimitException e) {
            throw ApiException.invalid(e.getMessage());
        }
        return info;
    }
}
