package dme.gateway;

import dme.core.Mix;
import dme.core.Stem;
import dme.core.StemFile;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.StorageLayout;
import dme.core.audio.OutputFormat;
import dme.core.format.ChunkRecord;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.SongAnalysis;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;

/**
 * Computes {@code GET /music/{id}} from the status files the job writes (protocol step 4):
 * 100 only when the latest request is DONE; otherwise {@code min(99, chunks done * 100 / total)},
 * 0 while queued. Stems are listed as soon as their files exist; the mix once the request is done.
 */
final class ProgressReader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProgressReader.class);

    private final Storage storage;
    private final StorageLayout layout;
    private final Submissions submissions;
    private final JobRecords jobs;
    private final String defaultFormat;

    private static final SongAnalysis NO_ANALYSIS = new SongAnalysis(null, null, null);

    private final JobHealth health;

    ProgressReader(Storage storage, Submissions submissions, JobRecords jobs, String configuredFormat, JobHealth health) {
        this.health = health;
        this.storage = storage;
        this.submissions = submissions;
        this.layout = storage.layout();
        this.jobs = jobs;
        this.defaultFormat = OutputFormat.parse(configuredFormat).extension();
    }

    Progress progress(SongMeta meta, UrlBase urls) throws IOException {
        long id = meta.musicId();
        Optional<SongStatus> status;
        try {
            status = status(id);
        } catch (DamagedRecord e) {
            LOG.warn("song {}: {}", id, e.getMessage());
            return new Progress(id, 0, instruments(id, defaultFormat, urls), null, "failed",
                    e.getMessage() + ": send the selection again to process the song anew",
                    submissions.latestRequestFileSeq(id), List.of(), 0, 0, null, 0, null, null, null, null,
                    java.util.Map.of(), null, null, null, null, null);
        }
        long latestSeq = Math.max(status.map(SongStatus::requestSeq).orElse(0L), submissions.latestRequestFileSeq(id));
        Optional<ProcessRequest> request = latestRequest(id, latestSeq);
        String preferredExt = request.flatMap(ProgressReader::extension).orElse(defaultFormat);
        Options options = Options.of(request);
        List<Instrument> instruments = instruments(id, preferredExt, urls);

        if (status.isEmpty() || status.get().requestSeq() < latestSeq) {
            // never requested, or a newer request than the state on disk is waiting for the stream
            SongAnalysis a = analysis(id);
            if (latestSeq == 0) {
                return new Progress(id, 0, instruments, null, "idle", null, 0, List.of(), 0, 0, null, 0, null, null, null,
                        null, options.gains, options.format, options.bitrate, options.twoStems, a.tempoBpm(), a.key());
            }
            Waiting w = waiting(id, SongState.QUEUED);
            return new Progress(id, 0, instruments, null, "queued", null, latestSeq, List.of(), 0, 0, null, 0,
                    w.position(), w.eta(), w.reason(), null, options.gains, options.format, options.bitrate, options.twoStems, a.tempoBpm(), a.key());
        }
        SongStatus s = status.get();
        int done = 0;
        if (s.totalChunks() > 0) {
            for (ChunkRecord r : jobs.chunks(id)) {
                if (r.requestSeq() == s.requestSeq()) {
                    done++;
                }
            }
            done = Math.min(done, s.totalChunks());
        }
        int percent = switch (s.state()) {
            case QUEUED -> 0;
            case SEPARATING, FAILED -> s.totalChunks() > 0 ? Math.min(99, done * 100 / s.totalChunks()) : 0;
            case MIXING -> 99;
            case DONE -> 100;
            case CANCELLED -> 0;
        };
        String finalUrl = null;
        String archiveUrl = null;
        if (s.state() == SongState.DONE && s.mixFile() != null) {
            Optional<dme.core.MixFile> mix = dme.core.MixFile.parse(s.mixFile());
            if (mix.isPresent()) {
                finalUrl = urls.mix(id, mix.get().urlName());
                archiveUrl = urls.archive(id);
            }
        }
        SongAnalysis a = analysis(id);
        Waiting w = s.state().finished() ? Waiting.NONE : waiting(id, s.state());
        return new Progress(id, percent, instruments, finalUrl, s.state().name().toLowerCase(Locale.ROOT),
                s.error(), s.requestSeq(), s.tracks(), done, s.totalChunks(), s.separator(), s.updatedAt(),
                w.position(), w.eta(), w.reason(), archiveUrl,
                options.gains, options.format, options.bitrate, options.twoStems, a.tempoBpm(), a.key());
    }

    /** The stored analysis; an empty one when there is none yet or its record is unreadable. */
    private SongAnalysis analysis(long id) {
        try {
            return storage.readJson(layout.analysis(id), SongAnalysis.class).map(SongAnalysis::sane).orElse(NO_ANALYSIS);
        } catch (IOException | RuntimeException e) {
            return NO_ANALYSIS;
        }
    }

    /** Where an unfinished song stands with the job: its place in the queue, the estimate, and why it waits. */
    private record Waiting(Integer position, Double eta, String reason) {
        static final Waiting NONE = new Waiting(null, null, null);
    }

    private Waiting waiting(long id, SongState state) {
        long now = System.currentTimeMillis();
        Optional<dme.core.format.JobHeartbeat> beat = health.heartbeat();
        if (!health.alive(beat, now)) {
            String since = beat.map(b -> " (no heartbeat for " + Math.round(b.ageSeconds(now)) + " s)").orElse("");
            return new Waiting(null, null, "separation is not running" + since
                    + "; the song waits until the job is back");
        }
        dme.core.format.JobHeartbeat b = beat.get();
        Double eta = b.etaSeconds().containsKey(id) ? Math.round(b.etaSeconds().get(id) * 10) / 10.0 : null;
        int position = b.queuePosition(id);
        if (position > 0) {
            String reason = position == 1
                    ? "next in line; " + b.running().size() + " of " + b.maxSongsInFlight() + " places are busy"
                    : (position - 1) + " songs ahead in the queue";
            return new Waiting(position, eta, reason);
        }
        if (b.running().contains(id)) {
            return new Waiting(null, eta, null);
        }
        return new Waiting(null, null, state == SongState.QUEUED ? "waiting for the job to pick up the request" : null);
    }

    /** The song's status record; a truncated or inconsistent one is {@link DamagedRecord}. */
    Optional<SongStatus> status(long id) throws IOException {
        return DamagedRecord.read(storage, layout.songStatus(id), SongStatus.class, "song " + id + "'s status record",
                s -> s.musicId() == id && s.state() != null && s.totalChunks() >= 0, "is inconsistent");
    }

    /** The output options of the latest request, for a client that shows them (a mixer's levels). */
    private record Options(java.util.Map<String, Double> gains, String format, Integer bitrate, String twoStems) {
        static Options of(Optional<ProcessRequest> r) {
            if (r.isEmpty()) {
                return new Options(java.util.Map.of(), null, null, null);
            }
            java.util.Map<String, Double> gains = new java.util.TreeMap<>();
            try {
                r.get().mix().gains().forEach((stem, g) -> gains.put(String.valueOf(stem.trackId()), g));
            } catch (IllegalArgumentException e) {
                // a bad request fails in the job, which says why; here it just has no gains
            }
            return new Options(gains, r.get().format(), r.get().bitrate(), r.get().twoStems());
        }
    }

    private Optional<ProcessRequest> latestRequest(long id, long seq) throws IOException {
        if (seq <= 0) {
            return Optional.empty();
        }
        try {
            return storage.readJson(layout.request(id, seq), ProcessRequest.class);
        } catch (JsonProcessingException e) {
            return Optional.empty(); // unreadable: the job reports it; progress still answers
        }
    }

    private static Optional<String> extension(ProcessRequest r) {
        try {
            return r.format() == null ? Optional.empty() : Optional.of(OutputFormat.parse(r.format()).extension());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * One entry per stem file present, in stem order (two-stem mode's {@code no_<stem>} after its stem);
     * the preferred format wins when several exist.
     */
    private List<Instrument> instruments(long id, String preferredExt, UrlBase urls) throws IOException {
        int n = Stem.values().length;
        StemFile[] chosen = new StemFile[2 * n];
        for (FileStatus f : storage.list(layout.stemsDir(id))) {
            Optional<StemFile> file = f.isFile() ? StemFile.parse(f.getPath().getName()) : Optional.empty();
            if (file.isEmpty()) {
                continue;
            }
            int i = 2 * file.get().stem().ordinal() + (file.get().without() ? 1 : 0);
            if (chosen[i] == null || file.get().ext().equals(preferredExt)) {
                chosen[i] = file.get();
            }
        }
        List<Instrument> out = new ArrayList<>();
        for (StemFile file : chosen) {
            if (file != null) {
                out.add(new Instrument(file.id(), urls.stem(id, file.fileName()),
                        file.without() ? null : file.stem().trackId(), file.ext()));
            }
        }
        return out;
    }
}
