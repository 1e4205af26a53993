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

    SongCatalog(Storage storage) {
        this.storage = storage;
        this.layout = storage.layout();
    }

    Optional<SongMeta> meta(long id) throws IOException {
        return storage.readJson(layout.meta(id), SongMeta.class);
    }

    /** The song's meta, or 404 when the id is malformed or unknown. */
    SongMeta require(String idText) throws IOException {
        long id = parseSongId(idText);
        return meta(id).orElseThrow(() -> ApiException.notFound("no music with id " + id));
    }

    /** Validates a song id from the URL; any text that is not a positive 64-bit integer is unknown (404). */
    static long parseSongId(String idText) {
        OptionalLong id = StorageLayout.parseId(idText);
        if (id.isEmpty()) {
            throw ApiException.notFound("no music with id '" + clip(idText) + "': ids are positive integers");
        }
        return id.getAsLong();
    }

    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    List<Music> all(UrlBase urls) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (FileStatus f : storage.list(layout.songsDir())) {
            StorageLayout.parseId(f.getPath().getName()).ifPresent(ids::add);
        }
        ids.sort(Long::compare);
        List<Music> out = new ArrayList<>();
        for (long id : ids) {
            meta(id).ifPresent(m -> out.add(music(m, urls)));
        }
        return out;
    }

    static Music music(SongMeta m, UrlBase urls) {
        return new Music(m.musicId(), m.name(), m.band(), TRACKS, m.durationSeconds(), m.sizeBytes(),
                m.submittedAt(), urls.original(m.musicId()));
    }

    /** Removes one song (see {@link Submissions#deleteSong}). */
    void delete(long id) throws IOException {
        new Submissions(storage).deleteSong(id);
        LOG.info("song {} deleted", id);
    }

    /** Deletes every song, request, status and picture (ids/, tables/ and checkpoints/ stay) and marks the reset. */
    long reset() throws IOException {
        long at = new Submissions(storage).resetAll();
        LOG.info("reset: every song, request and status removed");
        return at;
    }
}
