package dme.job;

import dme.core.Storage;
import dme.core.format.ChunkRecord;
import dme.core.format.Json;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Writes the progress records the gateway reads ({@code status/<id>/...}). A song deleted by a
 * reset gets no new records, so nothing of it reappears.
 */
final class StatusWriter {
    private final Storage storage;

    StatusWriter(Storage storage) {
        this.storage = storage;
    }

    Storage storage() {
        return storage;
    }

    boolean songExists(long musicId) throws IOException {
        return storage.exists(storage.layout().meta(musicId));
    }

    Optional<SongMeta> meta(long musicId) throws IOException {
        return storage.readJson(storage.layout().meta(musicId), SongMeta.class);
    }

    Optional<SongStatus> song(long musicId) throws IOException {
        return storage.readJson(storage.layout().songStatus(musicId), SongStatus.class);
    }

    void song(SongTask song, SongState state, int totalChunks, double durationSeconds, String separator,
            List<String> stems, String mixFile, String error) throws IOException {
        if (!songExists(song.musicId())) {
            return;
        }
        SongStatus s = new SongStatus(song.musicId(), song.seq(), state, totalChunks, durationSeconds,
                song.tracks(), separator, stems, mixFile, error, System.currentTimeMillis());
        storage.writeAtomically(storage.layout().songStatus(song.musicId()), Json.bytes(s));
    }

    void chunk(ChunkRecord record) throws IOException {
        if (!songExists(record.musicId())) {
            return;
        }
        storage.writeAtomically(storage.layout().chunkStatus(record.musicId(), record.chunkIndex()), Json.bytes(record));
    }
}
