package dme.gateway;

import dme.core.Stem;
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
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * Computes {@code GET /music/{id}} from the status files the job writes (protocol step 4):
 * 100 only when the latest request is DONE; otherwise {@code min(99, chunks done * 100 / total)},
 * 0 while queued. Stems are listed as soon as their files exist; the mix once the request is done.
 */
final class ProgressReader {
    static final Pattern STEM_FILE = Pattern.compile("(drums|bass|other|vocals)\\.(wav|flac|mp3)");
    static final Pattern MIX_FILE = Pattern.compile("mix-([1-4](?:-[1-4]){0,3})\\.(wav|flac|mp3)");

    private final Storage storage;
    private final StorageLayout layout;
    private final Submissions submissions;
    private final JobRecords jobs;
    private final String defaultFormat;

    private static final SongAnalysis NO_ANALYSIS = new SongAnalysis(null, null, null);

    ProgressReader(Storage storage, Submissions submissions, JobRecords jobs, String configuredFormat) {
        this.storage = storage;
        this.submissions = submissions;
        this.layout = storage.layout();
        this.jobs = jobs;
        this.defaultFormat = OutputFormat.parse(configuredFormat).extension();
    }

    Progress progress(SongMeta meta, UrlBase urls) throws IOException {
        long id = meta.musicId();
        Optional<SongStatus> status = status(id);
        long latestSeq = Math.max(status.map(SongStatus::requestSeq).orElse(0L), submissions.latestRequestFileSeq(id));
        String preferredExt = requestedExtension(id, latestSeq).orElse(defaultFormat);
        List<Instrument> instruments = instruments(id, preferredExt, urls);

        if (status.isEmpty() || status.get().requestSeq() < latestSeq) {
            // never requested, or a newer request than the state on disk is waiting for the stream
            String state = latestSeq == 0 ? "idle" : "queued";
            SongAnalysis a = analysis(id);
            return new Progress(id, 0, instruments, null, state, null, latestSeq, List.of(), 0, 0, null, 0, a.tempoBpm(), a.key());
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
        };
        String finalUrl = null;
        if (s.state() == SongState.DONE && s.mixFile() != null) {
            Matcher m = MIX_FILE.matcher(s.mixFile());
            if (m.matches()) {
                finalUrl = urls.mix(id, m.group(1) + "." + m.group(2));
            }
        }
        SongAnalysis a = analysis(id);
        return new Progress(id, percent, instruments, finalUrl, s.state().name().toLowerCase(Locale.ROOT),
                s.error(), s.requestSeq(), s.tracks(), done, s.totalChunks(), s.separator(), s.updatedAt(),
                a.tempoBpm(), a.key());
    }

    /** The stored analysis; an empty one when there is none yet or its record is unreadable. */
    private SongAnalysis analysis(long id) {
        try {
            return storage.readJson(layout.analysis(id), SongAnalysis.class).map(SongAnalysis::sane).orElse(NO_ANALYSIS);
        } catch (IOException | RuntimeException e) {
            return NO_ANALYSIS;
        }
    }

    Optional<SongStatus> status(long id) throws IOException {
        return storage.readJson(layout.songStatus(id), SongStatus.class);
    }

    private Optional<String> requestedExtension(long id, long seq) throws IOException {
        if (seq <= 0) {
            return Optional.empty();
        }
        try {
            String format = Json.read(storage.readAll(layout.request(id, seq)), ProcessRequest.class).format();
            return format == null ? Optional.empty() : Optional.of(OutputFormat.parse(format).extension());
        } catch (FileNotFoundException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** One entry per stem file present, in stem order; the preferred format wins when several exist. */
    private List<Instrument> instruments(long id, String preferredExt, UrlBase urls) throws IOException {
        String[] chosen = new String[Stem.values().length];
        for (FileStatus f : storage.list(layout.stemsDir(id))) {
            Matcher m = STEM_FILE.matcher(f.getPath().getName());
            if (!f.isFile() || !m.matches()) {
                continue;
            }
            int i = Stem.byId(m.group(1)).orElseThrow().ordinal();
            if (chosen[i] == null || m.group(2).equals(preferredExt)) {
                chosen[i] = f.getPath().getName();
            }
        }
        List<Instrument> out = new ArrayList<>();
        for (Stem s : Stem.values()) {
            String file = chosen[s.ordinal()];
            if (file != null) {
                String ext = file.substring(file.indexOf('.') + 1);
                out.add(new Instrument(s.id(), urls.stem(id, file), s.trackId(), ext));
            }
        }
        out.sort(Comparator.comparingInt(Instrument::trackId));
        return out;
    }
}
