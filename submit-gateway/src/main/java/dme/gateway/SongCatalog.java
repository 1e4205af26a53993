package dme.gateway;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.Submissions;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The songs in storage as the API shows them. A song exists once its {@code meta.json} does (the
 * gateway writes it last), so half-stored uploads are never listed.
 */
final class SongCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(SongCatalog.class);
    static final List<Track> TRACKS = Arrays.stream(Stem.values())
            .map(s -> new Track(s.id(), s.trackId())).toList();

    private final Storage storage;
    private final StorageLayout layout;
    /** The gateway's one instance: it serialises the reset marker's writes, so delete and reset share it. */
    private final Submissions submissions;

    SongCatalog(Storage storage, Submissions submissions) {
        this.storage = storage;
        this.layout = storage.layout();
        this.submissions = submissions;
    }

    /**
     * The song's meta; empty when the song does not exist. A meta that is not valid JSON or does not
     * describe this song is damaged: {@link DamagedRecord}.
     */
    Optional<SongMeta> meta(long id) throws IOException {
        return DamagedRecord.read(storage, layout.meta(id), SongMeta.class, "song " + id + "'s record (songs/" + id + "/meta.json)",
                m -> m.musicId() == id && m.originalFile() != null, "describes another song or no file");
    }

    /** The song's meta, or 404 when the id is malformed or unknown (a damaged one: {@link DamagedRecord}). */
    SongMeta require(String idText) throws IOException {
        long id = parseSongId(idText);
        return meta(id).orElseThrow(() -> ApiException.notFound("no music with id " + id));
    }

    /** Validates a song id from the URL; any text that is not a positive 64-bit integer is unknown (404). */
    static long parseSongId(String idText) {
        OptionalLong id = StorageLayout.parseId(idText);
        if (id.isEmpty()) {
            throw ApiException.notFound("no music with id '" + MessageText.clip(idText) + "': ids are positive integers");
        }
        return id.getAsLong();
    }

    /** The songs that can be shown, and the ids of those whose record is damaged (skipped). */
    record Listing(List<Music> songs, List<Long> damaged) {}

    Listing all(UrlBase urls) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (FileStatus f : storage.list(layout.songsDir())) {
            StorageLayout.parseId(f.getPath().getName()).ifPresent(ids::add);
        }
        ids.sort(Long::compare);
        List<Music> out = new ArrayList<>();
        List<Long> damaged = new ArrayList<>();
        for (long id : ids) {
            try {
                meta(id).ifPresent(m -> out.add(music(m, urls)));
            } catch (DamagedRecord e) {
                // one bad record must not take the list down for everybody
                LOG.warn("song {} skipped in the list: {}", id, e.getMessage());
                damaged.add(id);
            }
        }
        return new Listing(out, damaged);
    }

    static Music music(SongMeta m, UrlBase urls) {
        // names stored before control and bidi characters were stripped are cleaned on the way out
        return new Music(m.musicId(), UploadNames.firstText(m.name(), "Unknown"), UploadNames.firstText(m.band(), "Unknown"), TRACKS, m.durationSeconds(), m.sizeBytes(),
                m.submittedAt(), urls.original(m.musicId()));
    }

    /**
     * Removes one song (see {@link Submissions#deleteSong}), also one whose record is damaged or that
     * a storage fault left half-removed; 404 when nothing of it is left. A storage fault on the way
     * answers 503: the song is already invisible, and the same DELETE again finishes the removal.
     */
    void delete(long id) throws IOException {
        if (!submissions.hasTraces(id)) {
            throw ApiException.notFound("no music with id " + id);
        }
        try {
            submissions.deleteSong(id);
        } catch (IOException e) {
            String errorId = ErrorIds.next();
            LOG.warn("song {}: delete interrupted by a storage error (error id {})", id, errorId, e);
            throw ApiException.unavailable("song " + id + " is only partly deleted: storage failed (error id "
                    + errorId + "); send the same DELETE again to finish");
        }
        LOG.info("song {} deleted", id);
    }

    /** Deletes every song, request, status and picture (ids/, tables/ and checkpoints/ stay) and marks the reset. */
    long reset() throws IOException {
        long at = submissions.resetAll();
        LOG.info("reset: every song, request and status removed");
        return at;
    }
}
