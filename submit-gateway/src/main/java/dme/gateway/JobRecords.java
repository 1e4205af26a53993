package dme.gateway;

import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.format.ChunkRecord;
import dme.core.format.JobIds;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.SongStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The jobs of the public API, read from the chunk records the executors write under
 * {@code status/<id>/chunks/} (the same rows the job appends to its Delta table), so the gateway
 * never needs Spark. Records are cached by path, modification time and length: a page polling a
 * long song's progress does not re-read hundreds of unchanged files every second.
 */
final class JobRecords {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobRecords.class);
    private static final Pattern CHUNK_FILE = Pattern.compile("([0-9]{1,6})\\.json");
    private static final int MAX_CACHED = 200_000;

    private final Storage storage;
    private final StorageLayout layout;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> requestTracks = new ConcurrentHashMap<>();

    private record Cached(long modified, long length, ChunkRecord record) {}

    JobRecords(Storage storage) {
        this.storage = storage;
        this.layout = storage.layout();
    }

    /** Every chunk record of a song, in chunk order. */
    List<ChunkRecord> chunks(long musicId) throws IOException {
        List<ChunkRecord> out = new ArrayList<>();
        for (FileStatus f : storage.list(layout.chunksDir(musicId))) {
            if (f.isFile() && CHUNK_FILE.matcher(f.getPath().getName()).matches()) {
                read(f).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingInt(ChunkRecord::chunkIndex));
        return out;
    }

    Optional<ChunkRecord> chunk(long musicId, int chunkIndex) throws IOException {
        try {
            return read(storage.fs().getFileStatus(layout.chunkStatus(musicId, chunkIndex)));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Ids of every job of every existing song, ascending. */
    List<Long> jobIds() throws IOException {
        List<Long> ids = new ArrayList<>();
        for (FileStatus songStatus : storage.list(layout.statusRoot())) {
            OptionalLong musicId = StorageLayout.parseId(songStatus.getPath().getName());
            if (musicId.isEmpty() || !storage.songExists(musicId.getAsLong())) {
                continue;
            }
            for (FileStatus f : storage.list(layout.chunksDir(musicId.getAsLong()))) {
                Matcher m = CHUNK_FILE.matcher(f.getPath().getName());
                if (m.matches() && Integer.parseInt(m.group(1)) < JobIds.MAX_CHUNKS) {
                    ids.add(JobIds.of(musicId.getAsLong(), Integer.parseInt(m.group(1))));
                }
            }
        }
        ids.sort(Long::compare);
        return ids;
    }

    /** The job with this id, or 404. */
    Job job(String jobIdText) throws IOException {
        OptionalLong jobId = StorageLayout.parseId(jobIdText);
        if (jobId.isEmpty()) {
            throw ApiException.notFound("no job with id '" + MessageText.clip(jobIdText) + "': ids are positive integers");
        }
        long musicId = JobIds.musicId(jobId.getAsLong());
        int index = JobIds.chunkIndex(jobId.getAsLong());
        if (!StorageLayout.isValidId(musicId) || !storage.songExists(musicId)) {
            throw ApiException.notFound("no job with id " + jobId.getAsLong());
        }
        ChunkRecord r = chunk(musicId, index)
                .orElseThrow(() -> ApiException.notFound("no job with id " + jobId.getAsLong()));
        return view(r);
    }

    Job view(ChunkRecord r) throws IOException {
        return new Job(r.jobId(), r.inputBytes(), Job.seconds(r.processingMs()), r.processingMs(), r.musicId(), tracksOf(r.musicId(), r.requestSeq()),
                r.startedAt(), r.finishedAt(), r.executorId(), r.host(), r.separator(), r.attempt(),
                r.chunkIndex(), r.totalChunks(), r.startSeconds(), r.durationSeconds(), r.requestSeq());
    }

    /** The track ids the request selected; requests never change once written, so they are cached. */
    private List<Integer> tracksOf(long musicId, long seq) throws IOException {
        String key = musicId + "-" + seq;
        List<Integer> known = requestTracks.get(key);
        if (known != null) {
            return known;
        }
        try {
            Optional<ProcessRequest> request = storage.readJson(layout.request(musicId, seq), ProcessRequest.class);
            if (request.isPresent() && request.get().tracks() != null) {
                requestTracks.put(key, request.get().tracks());
                return request.get().tracks();
            }
            // no request file any more: the status may still say what that request selected
            return storage.readJson(layout.songStatus(musicId), SongStatus.class)
                    .filter(s -> s.requestSeq() == seq && s.tracks() != null).map(SongStatus::tracks).orElse(List.of());
        } catch (JsonProcessingException e) {
            return List.of(); // a damaged request or status record: the job is shown without its selection
        }
    }

    private Optional<ChunkRecord> read(FileStatus f) throws IOException {
        String key = f.getPath().toString();
        Cached c = cache.get(key);
        if (c != null && c.modified() == f.getModificationTime() && c.length() == f.getLen()) {
            return Optional.of(c.record());
        }
        ChunkRecord r;
        try {
            r = Json.read(storage.readAll(f.getPath()), ChunkRecord.class);
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            // a truncated record is skipped: its song's progress and jobs are still answered
            LOG.warn("chunk record {} skipped: damaged ({})", f.getPath().getName(), e.getOriginalMessage());
            return Optional.empty();
        }
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Cached(f.getModificationTime(), f.getLen(), r));
        return Optional.of(r);
    }

    /** Drops cached entries of a deleted song (ids are never reused, so this only frees memory). */
    void forget(long musicId) {
        String dir = layout.statusDir(musicId).toString() + Path.SEPARATOR;
        cache.keySet().removeIf(k -> k.startsWith(dir));
        requestTracks.keySet().removeIf(k -> k.startsWith(musicId + "-"));
    }

    void forgetAll() {
        cache.clear();
        requestTracks.clear();
    }
}
