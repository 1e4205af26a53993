package dme.core;

import java.io.Serializable;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.Path;

/**
 * Owns every path under the storage root; nothing else in dme builds a storage path by hand.
 *
 * <pre>
 * songs/&lt;id&gt;/original.&lt;ext&gt;, meta.json   the upload (written by the gateway)
 * songs/&lt;id&gt;/masters/&lt;stem&gt;.wav          the separated stems, float WAV: the lossless source of every output
 * songs/&lt;id&gt;/stems/&lt;stem&gt;.&lt;fmt&gt;           stems in the requested format (no_&lt;stem&gt; in two-stem mode)
 * songs/&lt;id&gt;/stems/outputs.json          which format, bit rate and mode the stems/ files are in
 * songs/&lt;id&gt;/mix-&lt;key&gt;.&lt;fmt&gt;              the mix of the selected tracks, e.g. mix-1-4.wav, mix-1-4x0.25.wav
 * songs/&lt;id&gt;/analysis.json                tempo, beats and key (written with the stems)
 * requests/&lt;id&gt;-&lt;seq&gt;.json              process requests: the stream's input
 * status/&lt;id&gt;/song.json                   song state (queued, separating, done, failed)
 * status/&lt;id&gt;/chunks/&lt;idx&gt;.json          one record per finished chunk (live progress, jobs)
 * status/&lt;id&gt;/cancel.json                 a cancel request (gateway), for the song's requests up to its seq
 * queue/&lt;id&gt;.json                        a request the job admitted and has not finished (the job's own)
 * control/heartbeat.json                   the job's heartbeat: alive, songs running and queued
 * ids/&lt;id&gt;                               issued song ids (kept across reset: ids are never reused)
 * control/reset.json                       the latest reset, read by the job to purge its tables
 * tables/jobs, tables/songs                Delta tables
 * stats/gantt-&lt;id&gt;.png, chunk-times.png    job pictures drawn by the job after each batch
 * checkpoints/stream                       the streaming query's checkpoint
 * _tmp/                                    staging for atomic writes (write, then rename)
 * _tmp/chunks/&lt;id&gt;-&lt;seq&gt;/mixture.f32      the decoded song, read chunk by chunk by the separators
 * _tmp/chunks/&lt;id&gt;-&lt;seq&gt;/&lt;idx&gt;.f32        separated chunks on their way to the stitcher
 * </pre>
 *
 * Ids and stem names only enter a path after validation here, so no request text reaches the
 * file system.
 */
public final class StorageLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String root;

    public StorageLayout(String rootUri) {
        URI uri = URI.create(rootUri.endsWith("/") ? rootUri.substring(0, rootUri.length() - 1) : rootUri);
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException(
                    "storage root must be a URI with a scheme (file:, hdfs://, s3a://), got " + rootUri);
        }
        this.root = uri.toString();
    }

    public Path root() {
        return new Path(root);
    }

    /** Song ids are positive 64-bit integers. */
    public static boolean isValidId(long id) {
        return id > 0;
    }

    /**
     * Parses a song or job id from request text or a file name; empty unless it is a positive long
     * written canonically: ASCII digits only (not Arabic-Indic or other Unicode digits) and no leading
     * zero, so {@code 001} is not another name of song 1.
     */
    public static java.util.OptionalLong parseId(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || text.charAt(0) == '0'
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return java.util.OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(text);
            return v > 0 ? java.util.OptionalLong.of(v) : java.util.OptionalLong.empty();
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    private static long checked(long id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("invalid id " + id);
        }
        return id;
    }

    /** File extensions we accept for originals and outputs: letters and digits only. */
    public static String checkedExtension(String ext) {
        String e = ext == null ? "" : ext.toLowerCase(Locale.ROOT);
        if (e.isEmpty() || e.length() > 8 || !e.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("invalid file extension '" + ext + "'");
        }
        return e;
    }

    public Path songsDir() {
        return new Path(root(), "songs");
    }

    public Path songDir(long id) {
        return new Path(songsDir(), Long.toString(checked(id)));
    }

    public Path original(long id, String ext) {
        return new Path(songDir(id), "original." + checkedExtension(ext));
    }

    public Path meta(long id) {
        return new Path(songDir(id), "meta.json");
    }

    public Path analysis(long id) {
        return new Path(songDir(id), "analysis.json");
    }

    public Path stemsDir(long id) {
        return new Path(songDir(id), "stems");
    }

    public Path stem(long id, Stem stem, String ext) {
        return stem(id, new StemFile(stem, false, ext));
    }

    /** A file under {@code stems/}, named by the {@link StemFile} rule. */
    public Path stem(long id, StemFile file) {
        return new Path(stemsDir(id), new StemFile(file.stem(), file.without(), checkedExtension(file.ext())).fileName());
    }

    /** The lossless master of a stem (float WAV), written once by the separation. */
    public Path master(long id, Stem stem) {
        return new Path(new Path(songDir(id), "masters"), stem.id() + ".wav");
    }

    /** Two-stem mode's second file: the song without {@code stem}, e.g. {@code no_vocals.mp3}. */
    public Path stemWithout(long id, Stem stem, String ext) {
        return stem(id, new StemFile(stem, true, ext));
    }

    /** Which format the files under {@code stems/} are in (see {@code StemOutputs}). */
    public Path stemOutputs(long id) {
        return new Path(stemsDir(id), "outputs.json");
    }

    /** The mix file of a selection with gains, e.g. {@code mix-1-4x0.25.wav}. */
    public Path mix(long id, Mix mix, String ext) {
        return mix(id, new MixFile(mix, "", checkedExtension(ext)));
    }

    /** A mix file, rendered with options or plain (see {@link MixFile}). */
    public Path mix(long id, MixFile file) {
        checkedExtension(file.ext());
        return new Path(songDir(id), file.fileName());
    }

    /** The plain mix of a selection of stems at unity gains, e.g. {@code mix-1-4.wav}. */
    public Path mix(long id, Collection<Stem> selection, String ext) {
        return mix(id, Mix.of(selection.stream().map(Stem::trackId).toList(), java.util.Map.of()), ext);
    }

    public Path requestsDir() {
        return new Path(root(), "requests");
    }

    public Path request(long id, long seq) {
        return new Path(requestsDir(), checked(id) + "-" + seq + ".json");
    }

    public Path statusRoot() {
        return new Path(root(), "status");
    }

    public Path statusDir(long id) {
        return new Path(statusRoot(), Long.toString(checked(id)));
    }

    public Path songStatus(long id) {
        return new Path(statusDir(id), "song.json");
    }

    public Path chunksDir(long id) {
        return new Path(statusDir(id), "chunks");
    }

    public Path chunkStatus(long id, int chunkIndex) {
        if (chunkIndex < 0) {
            throw new IllegalArgumentException("invalid chunk index " + chunkIndex);
        }
        return new Path(chunksDir(id), chunkIndex + ".json");
    }

    /** A cancel request for the song, written by the gateway, read by the job. */
    public Path cancelRequest(long id) {
        return new Path(statusDir(id), "cancel.json");
    }

    /** Requests the job has admitted but not finished: they survive a driver restart. */
    public Path queueDir() {
        return new Path(root(), "queue");
    }

    public Path queueEntry(long id) {
        return new Path(queueDir(), checked(id) + ".json");
    }

    public Path idsDir() {
        return new Path(root(), "ids");
    }

    public Path idMarker(long id) {
        return new Path(idsDir(), Long.toString(checked(id)));
    }

    public Path resetMarker() {
        return new Path(new Path(root(), "control"), "reset.json");
    }

    /** The job's heartbeat, rewritten every few seconds while it runs. */
    public Path heartbeat() {
        return new Path(new Path(root(), "control"), "heartbeat.json");
    }

    public Path tablesDir() {
        return new Path(root(), "tables");
    }

    public Path jobsTable() {
        return new Path(tablesDir(), "jobs");
    }

    public Path songsTable() {
        return new Path(tablesDir(), "songs");
    }

    public Path statsDir() {
        return new Path(root(), "stats");
    }

    /** Gantt chart of a song's chunks per executor. */
    public Path ganttPlot(long id) {
        return new Path(statsDir(), "gantt-" + checked(id) + ".png");
    }

    /** Histogram of all chunk processing times. */
    public Path chunkTimesPlot() {
        return new Path(statsDir(), "chunk-times.png");
    }

    public Path checkpointDir() {
        return new Path(new Path(root(), "checkpoints"), "stream");
    }

    public Path tmpDir() {
        return new Path(root(), "_tmp");
    }

    /** Separated chunks of one request of a song, kept until the song is stitched. */
    public Path chunkScratchDir(long id, long seq) {
        return new Path(new Path(tmpDir(), "chunks"), checked(id) + "-" + seq);
    }

    public Path chunkScratch(long id, long seq, int chunkIndex) {
        return new Path(chunkScratchDir(id, seq), chunkIndex + ".f32");
    }

    /** The decoded mixture (interleaved stereo float32), read by the separator tasks chunk by chunk. */
    public Path decodedPcm(long id, long seq) {
        return new Path(chunkScratchDir(id, seq), "mixture.f32");
    }

    /** A fresh staging path; the suffix keeps the file's extension for tools that care. */
    public Path newTmpPath(String suffix) {
        return new Path(tmpDir(), UUID.randomUUID() + (suffix == null ? "" : suffix));
    }

    @Override
    public String toString() {
        return root;
    }
}
