package dme.core;

import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.ResetMarker;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;

/**
 * The submitting side of the storage protocol, shared by the gateway and the batch CLI: issue a song
 * id, store an upload with its meta, and queue a process request for the stream.
 */
public final class Submissions {
    private final Storage storage;

    public Submissions(Storage storage) {
        this.storage = storage;
    }

    /**
     * Issues a new song id: one more than the highest ever issued. The marker under {@code ids/} is
     * created exclusively, so two gateways never get the same id, and a reset (which keeps
     * {@code ids/}) never brings an id back.
     */
    public synchronized long issueId() throws IOException {
        long next = highestIssued() + 1;
        while (!storage.createExclusive(storage.layout().idMarker(next))) {
            next++;
        }
        return next;
    }

    private long highestIssued() throws IOException {
        long max = 0;
        for (FileStatus f : storage.list(storage.layout().idsDir())) {
            OptionalLong id = StorageLayout.parseId(f.getPath().getName());
            if (id.isPresent()) {
                max = Math.max(max, id.getAsLong());
            }
        }
        return max;
    }

    /** Stores the original (atomically, within the size limit); returns its file name. */
    public String storeOriginal(long id, String extension, InputStream body, long maxBytes) throws IOException {
        org.apache.hadoop.fs.Path target = storage.layout().original(id, extension);
        storage.writeAtomically(target, body, maxBytes);
        return target.getName();
    }

    /** Makes the song visible: the meta is written last, after the original is in place. */
    public void storeMeta(SongMeta meta) throws IOException {
        storage.writeAtomically(storage.layout().meta(meta.musicId()), Json.bytes(meta));
    }

    /**
     * Queues processing: the song's status becomes QUEUED, then the stream's request file appears.
     * Then the song's meta is checked once more: a song deleted meanwhile ({@link #deleteSong}
     * removes the meta first, the requests and status after) gets its two new files removed again
     * and a {@link java.io.FileNotFoundException}, so no request outlives its song.
     */
    public ProcessRequest requestProcessing(long id, List<Integer> tracks, String format) throws IOException {
        return requestProcessing(id, tracks, format, java.util.Map.of(), null, null);
    }

    /**
     * As {@link #requestProcessing(long, List, String)}, with gains per track id, an MP3 bit rate (null:
     * the configured one) and two-stem mode (a stem id, or null for four stems); see {@link ProcessRequest}.
     */
    public ProcessRequest requestProcessing(long id, List<Integer> tracks, String format, java.util.Map<String, Double> gains,
            Integer bitrate, String twoStems) throws IOException {
        return requestProcessing(id, tracks, format, gains, bitrate, twoStems, null);
    }

    /** As above, with practice render options for the mix (null or plain: the plain mix). */
    public ProcessRequest requestProcessing(long id, List<Integer> tracks, String format, java.util.Map<String, Double> gains,
            Integer bitrate, String twoStems, dme.core.format.RenderOptions render) throws IOException {
        long seq = lastRequestSeq(id) + 1;
        ProcessRequest request = new ProcessRequest(id, seq, tracks, format, System.currentTimeMillis(), gains, bitrate,
                twoStems, render == null || render.isPlain() ? null : render);
        request.validate(); // rejects unknown track ids, bad gains and bit rates before anything is written
        SongStatus queued = new SongStatus(id, seq, SongState.QUEUED, 0, 0, tracks, null, null, null, null,
                request.requestedAt());
        try {
            storage.writeAtomically(storage.layout().songStatus(id), Json.bytes(queued));
            storage.writeAtomically(storage.layout().request(id, seq), Json.bytes(request));
        } catch (IOException e) {
            // a delete removing the song's folders under the writes makes them fail: same answer
            if (storage.songExists(id)) {
                throw e;
            }
        }
        if (!storage.songExists(id)) {
            storage.fs().delete(storage.layout().request(id, seq), false);
            storage.deleteRecursively(storage.layout().statusDir(id));
            throw new java.io.FileNotFoundException("song " + id + " was deleted while its request was queued");
        }
        return request;
    }

    /**
     * Removes every song, request, status record and job picture (not the issued ids: an id is never
     * reused), then writes the reset marker, from which the job purges its tables and discards work in
     * flight for songs that no longer exist. Returns the marker's time.
     */
    public long resetAll() throws IOException {
        StorageLayout layout = storage.layout();
        for (org.apache.hadoop.fs.Path p : List.of(layout.songsDir(), layout.requestsDir(), layout.statusRoot(),
                layout.statsDir())) {
            storage.deleteRecursively(p);
        }
        // The stream keeps watching requests/: give it its (now empty) folder back at once.
        storage.fs().mkdirs(layout.requestsDir());
        return writeResetMarker();
    }

    /**
     * Removes one song: the meta first (so the song disappears at once, the job drops results it is
     * still producing for it and {@link #requestProcessing} undoes a request racing this), then its
     * requests, status and picture, a reset marker so the job purges the table rows of songs that no
     * longer exist, and the song's files last. Every step tolerates what is already gone, so after a
     * storage fault the same call (see {@link #hasTraces}) finishes the removal.
     */
    public void deleteSong(long id) throws IOException {
        StorageLayout layout = storage.layout();
        storage.fs().delete(layout.meta(id), false);
        for (FileStatus r : requestFiles(id)) {
            storage.fs().delete(r.getPath(), false);
        }
        storage.deleteRecursively(layout.statusDir(id));
        storage.fs().delete(layout.ganttPlot(id), false);
        writeResetMarker();
        // last: while the song folder remains, a retry after a fault sees the song and finishes
        storage.deleteRecursively(layout.songDir(id));
    }

    /** Whether anything of the song is still in storage (meta, files, status, requests, picture). */
    public boolean hasTraces(long id) throws IOException {
        StorageLayout layout = storage.layout();
        return storage.exists(layout.songDir(id)) || storage.exists(layout.statusDir(id))
                || storage.exists(layout.ganttPlot(id)) || requestFiles(id).length > 0;
    }

    /** Whether this id was ever issued (its marker under {@code ids/} stays through deletes and resets). */
    public boolean wasIssued(long id) throws IOException {
        return storage.exists(storage.layout().idMarker(id));
    }

    private FileStatus[] requestFiles(long id) throws IOException {
        FileStatus[] files = storage.fs().globStatus(new org.apache.hadoop.fs.Path(storage.layout().requestsDir(), id + "-*.json"));
        return files == null ? new FileStatus[0] : files;
    }

    /**
     * Asks the job to stop the song's requests up to the newest one (queued or running); returns that
     * request's seq, 0 when the song was never requested.
     */
    public long requestCancel(long id) throws IOException {
        long seq = lastRequestSeq(id);
        if (seq > 0) {
            storage.writeAtomically(storage.layout().cancelRequest(id),
                    Json.bytes(new dme.core.format.CancelRequest(id, seq, System.currentTimeMillis())));
        }
        return seq;
    }

    /** Each marker is newer than the previous one, even within one millisecond, so the job never misses one. */
    private synchronized long writeResetMarker() throws IOException {
        long at = System.currentTimeMillis();
        Optional<ResetMarker> previous = storage.readJson(storage.layout().resetMarker(), ResetMarker.class);
        if (previous.isPresent()) {
            at = Math.max(at, previous.get().resetAt() + 1);
        }
        storage.writeAtomically(storage.layout().resetMarker(), Json.bytes(new ResetMarker(at)));
        return at;
    }

    /** The song's newest request seq: its status's or its newest request file's (0 when none). */
    public long lastRequestSeq(long id) throws IOException {
        long fromStatus;
        try {
            fromStatus = storage.readJson(storage.layout().songStatus(id), SongStatus.class)
                    .map(SongStatus::requestSeq).orElse(0L);
        } catch (com.fasterxml.jackson.core.JsonProcessingException damaged) {
            fromStatus = 0; // a new request replaces a damaged status; the request files still count
        }
        return Math.max(fromStatus, latestRequestFileSeq(id));
    }

    /**
     * Highest seq among the song's request files under {@code requests/} (0 when none). The job deletes
     * nothing there until a reset, so with the status this gives the newest request of a song.
     */
    public long latestRequestFileSeq(long id) throws IOException {
        FileStatus[] files = requestFiles(id);
        long max = 0;
        {
            String prefix = id + "-";
            for (FileStatus f : files) {
                String name = f.getPath().getName();
                OptionalLong seq = StorageLayout.parseId(name.substring(prefix.length(), name.length() - ".json".length()));
                if (seq.isPresent()) {
                    max = Math.max(max, seq.getAsLong());
                }
            }
        }
        return max;
    }
}
