package dme.gateway;

import dme.core.MixFile;
import dme.core.StemFile;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.OutputFormat;
import dme.core.format.SongMeta;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.servlet.http.HttpServletResponse;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;

/**
 * Serves stems, mixes and originals straight from storage with HTTP range support, so browsers can
 * seek: the file is opened, seeked to the range start and copied in 64 KiB blocks, never loaded
 * whole. Request text only selects among names the layout defines (stem ids, track-id keys,
 * known extensions); it never becomes part of a path.
 */
final class FileDownloads {
    private static final Logger LOG = LoggerFactory.getLogger(FileDownloads.class);
    private static final Pattern ORIGINAL = Pattern.compile("original\\.([a-z0-9]{1,8})");
    private static final Pattern GANTT = Pattern.compile("gantt-([0-9]{1,19})\\.png");

    private final Storage storage;
    private final StorageLayout layout;
    private final SongCatalog catalog;

    FileDownloads(Storage storage, SongCatalog catalog) {
        this.storage = storage;
        this.layout = storage.layout();
        this.catalog = catalog;
    }

    Object stem(Request req, Response res) throws IOException {
        SongMeta meta = catalog.require(req.params(":id"));
        StemFile file = StemFile.parse(req.params(":file")).orElseThrow(() -> ApiException.notFound(
                "no such stem file: use drums, bass, other or vocals (no_vocals etc. in two-stem mode) with .wav, .flac or .mp3"));
        return serve(req, res, layout.stem(meta.musicId(), file), file.ext(), downloadName(meta, file));
    }

    Object mix(Request req, Response res) throws IOException {
        SongMeta meta = catalog.require(req.params(":id"));
        MixFile mix = MixFile.parse("mix-" + req.params(":file")).orElseThrow(() -> ApiException.notFound(
                "no such mix file: name it by its ascending track ids, each with x<gain> when "
                        + "not 1, e.g. 1-4.wav or 1-4x0.25.wav (and _<options> when rendered with some)"));
        return serve(req, res, layout.mix(meta.musicId(), mix), mix.ext(), downloadName(meta, mix));
    }

    /**
     * A zip of the song's current stems and mix (those the latest finished request made), streamed from
     * storage: stored, not compressed (audio does not shrink), named like the single downloads.
     */
    Object archive(Request req, Response res) throws IOException {
        SongMeta meta = catalog.require(req.params(":id"));
        Map<String, Path> entries = archiveEntries(meta, doneStatus(meta.musicId()));
        HttpServletResponse raw = res.raw();
        raw.setStatus(200);
        raw.setContentType("application/zip");
        raw.setHeader("Content-Disposition", DownloadNames.contentDisposition(true, DownloadNames.of(meta, "stems", "zip")));
        if (!"HEAD".equals(req.requestMethod())) {
            writeZip(entries, raw, meta.musicId());
        }
        return "";
    }

    /** The status of a song whose latest request is done; 404 otherwise. */
    private SongStatus doneStatus(long id) {
        Optional<SongStatus> status;
        try {
            status = storage.readJson(layout.songStatus(id), SongStatus.class);
        } catch (IOException e) {
            throw ApiException.notFound("music " + id + " has no readable status: process it again");
        }
        if (status.isEmpty() || status.get().state() != SongState.DONE || status.get().mixFile() == null) {
            throw ApiException.notFound("music " + id + " is not done yet: the archive exists once progress is 100");
        }
        return status.get();
    }

    /** Download name to stored file, stems first, then the mix; 404 when any of them is missing. */
    private Map<String, Path> archiveEntries(SongMeta meta, SongStatus status) throws IOException {
        long id = meta.musicId();
        Map<String, Path> entries = new LinkedHashMap<>();
        for (String name : status.stems()) {
            StemFile.parse(name).ifPresent(file -> entries.put(downloadName(meta, file), layout.stem(id, file)));
        }
        Optional<MixFile> mix = MixFile.parse(status.mixFile());
        if (mix.isEmpty() || entries.isEmpty()) {
            throw ApiException.notFound("music " + id + " has no outputs to archive: process it again");
        }
        entries.put(downloadName(meta, mix.get()), layout.mix(id, mix.get()));
        for (Path p : entries.values()) {
            if (!storage.exists(p)) {
                throw ApiException.notFound("the file " + p.getName() + " does not exist (any more): process the song again");
            }
        }
        return entries;
    }

    private void writeZip(Map<String, Path> entries, HttpServletResponse raw, long id) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(raw.getOutputStream(), StandardCharsets.UTF_8)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            byte[] buf = new byte[1 << 16];
            for (Map.Entry<String, Path> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                try (FSDataInputStream in = storage.fs().open(e.getValue())) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        zip.write(buf, 0, n);
                    }
                }
                zip.closeEntry();
            }
        } catch (EofException e) {
            LOG.debug("client went away while downloading the archive of {}", id);
        }
    }

    private static String downloadName(SongMeta meta, StemFile file) {
        return DownloadNames.of(meta, DownloadNames.stemPart(file.stem(), file.without()), file.ext());
    }

    private static String downloadName(SongMeta meta, MixFile file) {
        return DownloadNames.of(meta, DownloadNames.mixPart(file), file.ext());
    }

    Object original(Request req, Response res) throws IOException {
        SongMeta meta = catalog.require(req.params(":id"));
        Matcher m = ORIGINAL.matcher(String.valueOf(meta.originalFile()));
        if (!m.matches()) {
            throw ApiException.notFound("music " + meta.musicId() + " has no original file");
        }
        return serve(req, res, layout.original(meta.musicId(), m.group(1)), m.group(1),
                DownloadNames.of(meta, "original", m.group(1)));
    }

    /** The job pictures the job draws into stats/ (a song's Gantt chart, the chunk-time histogram). */
    Object stats(Request req, Response res) throws IOException {
        String file = req.params(":file");
        Matcher m = GANTT.matcher(file);
        Path path;
        if (m.matches()) {
            long id = StorageLayout.parseId(m.group(1)).orElseThrow(() -> ApiException.notFound("no such picture"));
            path = layout.ganttPlot(id);
        } else if (file.equals("chunk-times.png")) {
            path = layout.chunkTimesPlot();
        } else {
            throw ApiException.notFound("no such picture: use gantt-<music_id>.png or chunk-times.png");
        }
        return serve(req, res, path, "png", file);
    }

    /** One stored file, whole or the asked-for range, with the headers browsers need to cache and seek. */
    private Object serve(Request req, Response res, Path path, String ext, String downloadName) throws IOException {
        FileStatus st = existingFile(path);
        long length = st.getLen();
        String etag = "\"" + Long.toHexString(st.getModificationTime()) + "-" + Long.toHexString(length) + "\"";
        HttpServletResponse raw = res.raw();
        describe(req, raw, st, etag, ext, downloadName);
        Optional<ByteRange> range = range(req, raw, etag, length);
        long start = range.map(ByteRange::start).orElse(0L);
        long count = range.map(ByteRange::length).orElse(length);
        if (range.isPresent()) {
            raw.setStatus(206);
            raw.setHeader("Content-Range", "bytes " + start + "-" + (start + count - 1) + "/" + length);
        } else {
            raw.setStatus(200);
        }
        raw.setContentLengthLong(count);
        if (!"HEAD".equals(req.requestMethod()) && count > 0) {
            copy(path, start, count, raw);
        }
        return "";
    }

    private FileStatus existingFile(Path path) throws IOException {
        FileStatus st;
        try {
            st = storage.fs().getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw ApiException.notFound("the file " + path.getName() + " does not exist (yet)");
        }
        if (!st.isFile()) {
            throw ApiException.notFound("the file " + path.getName() + " does not exist");
        }
        return st;
    }

    private static void describe(Request req, HttpServletResponse raw, FileStatus st, String etag, String ext,
            String downloadName) {
        raw.setHeader("Accept-Ranges", "bytes");
        raw.setHeader("ETag", etag);
        raw.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(st.getModificationTime()).atZone(ZoneOffset.UTC)));
        raw.setHeader("Cache-Control", "no-cache");
        boolean attachment = "1".equals(QueryString.parse(req.raw().getQueryString()).get("download"));
        raw.setHeader("Content-Disposition", DownloadNames.contentDisposition(attachment, downloadName));
        raw.setContentType(OutputFormat.mimeTypeOf(ext));
    }

    /** The asked-for range; none (the whole file) when If-Range names another version. Unsatisfiable: 416. */
    private static Optional<ByteRange> range(Request req, HttpServletResponse raw, String etag, long length) {
        String ifRange = req.headers("If-Range");
        try {
            return ifRange == null || ifRange.equals(etag) ? ByteRange.parse(req.headers("Range"), length) : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            raw.setHeader("Content-Range", "bytes */" + length);
            raw.setHeader("Content-Disposition", null);
            throw new ApiException(416, e.getMessage());
        }
    }

    /** Copies {@code count} bytes from {@code start} in 64 KiB blocks; a client that leaves ends it quietly. */
    private void copy(Path path, long start, long count, HttpServletResponse raw) throws IOException {
        try (FSDataInputStream in = storage.fs().open(path)) {
            in.seek(start);
            OutputStream out = raw.getOutputStream();
            byte[] buf = new byte[1 << 16];
            long left = count;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
            out.flush();
        } catch (EofException e) {
            LOG.debug("client went away while downloading {}", path.getName());
        }
    }
}
