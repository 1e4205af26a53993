package dme.job.driver;

import dme.core.Storage;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import dme.job.stage.SongTask;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a song's state ({@code status/<id>/song.json}, read by the gateway), with a
 * method per transition of one request: queued, separating, mixing, done, failed, cancelled. A song
 * that no longer exists (deleted, or gone in a reset) gets no new record, so nothing of it
 * reappears; {@link #discardIfDeleted} removes what was published for it meanwhile.
 */
final class SongLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SongLifecycle.class);

    private final Storage storage;
    private final SongTask song;
    private int totalChunks;
    private double durationSeconds;
    private String separator;

    SongLifecycle(Storage storage, SongTask song) {
        this.storage = storage;
        this.song = song;
    }

    /** Continues from the song's last record of the same request (a remix keeps the separation's figures). */
    static SongLifecycle resume(Storage storage, SongTask song) throws IOException {
        SongLifecycle life = new SongLifecycle(storage, song);
        Optional<SongStatus> last = read(storage, song.musicId());
        if (last.isPresent()) {
            life.totalChunks = last.get().totalChunks();
            life.durationSeconds = last.get().durationSeconds();
            life.separator = last.get().separator();
        }
        return life;
    }

    static Optional<SongStatus> read(Storage storage, long musicId) throws IOException {
        return storage.readJson(storage.layout().songStatus(musicId), SongStatus.class);
    }

    SongTask song() {
        return song;
    }

    boolean songExists() throws IOException {
        return storage.songExists(song.musicId());
    }

    void queued() throws IOException {
        write(SongState.QUEUED, null, null, null);
    }

    void separating(int chunks, double seconds, String separatorName) throws IOException {
        this.totalChunks = chunks;
        this.durationSeconds = seconds;
        this.separator = separatorName;
        write(SongState.SEPARATING, null, null, null);
        LOG.info("song {} separating: {} chunks, {} s", song.musicId(), chunks, String.format("%.1f", seconds));
    }

    void separator(String name) {
        this.separator = name;
    }

    void mixing() throws IOException {
        write(SongState.MIXING, null, null, null);
    }

    void done(List<String> stems, String mixFile) throws IOException {
        write(SongState.DONE, stems, mixFile, null);
        LOG.info("song {} done: {} stems and {} written", song.musicId(), stems.size(), mixFile);
    }

    void failed(String error) throws IOException {
        write(SongState.FAILED, null, null, error);
        LOG.warn("song {} failed: {}", song.musicId(), error);
    }

    void cancelled(String reason) throws IOException {
        write(SongState.CANCELLED, null, null, reason);
        LOG.info("song {} cancelled: {}", song.musicId(), reason);
    }

    /** The record the last transition wrote, as the tables keep it. */
    SongStatus current(SongState state, String error) {
        return new SongStatus(song.musicId(), song.seq(), state, totalChunks, durationSeconds, song.tracks(),
                separator, null, null, error, System.currentTimeMillis());
    }

    /**
     * A song deleted (or reset) while its outputs were published: removes what was written. Returns
     * true when the song is gone.
     */
    boolean discardIfDeleted() throws IOException {
        if (songExists()) {
            return false;
        }
        storage.deleteRecursively(storage.layout().songDir(song.musicId()));
        storage.deleteRecursively(storage.layout().statusDir(song.musicId()));
        LOG.info("song {} was deleted while it was processed; its outputs are removed", song.musicId());
        return true;
    }

    private void write(SongState state, List<String> stems, String mixFile, String error) throws IOException {
        if (!songExists()) {
            return;
        }
        SongStatus s = new SongStatus(song.musicId(), song.seq(), state, totalChunks, durationSeconds,
                song.tracks(), separator, stems, mixFile, error, System.currentTimeMillis());
        storage.writeAtomically(storage.layout().songStatus(song.musicId()), Json.bytes(s));
    }

    /**
     * A request whose song's record (meta.json) cannot be read: it fails with the reason, written
     * without the song's details (which only that record holds).
     */
    static void failedWithoutMeta(Storage storage, dme.core.format.ProcessRequest request, String why) throws IOException {
        SongStatus s = new SongStatus(request.musicId(), request.seq(), SongState.FAILED, 0, 0, request.tracks(),
                null, null, null, why, System.currentTimeMillis());
        storage.writeAtomically(storage.layout().songStatus(request.musicId()), Json.bytes(s));
    }
}
