package dme.job.stage;

import dme.core.Storage;
import dme.core.format.ChunkRecord;
import dme.core.format.Json;
import java.io.IOException;

/** A separated chunk's progress record ({@code status/<id>/chunks/}), read by the gateway's progress. */
final class ChunkProgress {
    private ChunkProgress() {}

    /** Writes it, unless the song was deleted meanwhile (nothing of it may reappear). */
    static void record(Storage storage, ChunkRecord record) throws IOException {
        if (!storage.songExists(record.musicId())) {
            return;
        }
        storage.writeAtomically(storage.layout().chunkStatus(record.musicId(), record.chunkIndex()), Json.bytes(record));
    }
}
