package dme.gateway;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.OutputFormat;
import dme.core.format.SongMeta;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.http.HttpServletResponse;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
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
    private static final Pattern STEM = Pattern.compile("(drums|bass|other|vocals)\\.(wav|flac|mp3)");
    private static final Pattern MIX = Pattern.compile("([1-4](?:-[1-4]){0,3})\\.(wav|flac|mp3)");
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
        Matcher m = STEM.matcher(req.params(":file"));
        if (!m.matches()) {
            throw ApiException.notFound("no such stem file: use drums, bass, other or vocals with .wav, .flac or .mp3");
        }
        Stem stem = Stem.byId(m.group(1)).orElseThrow();
        return serve(req, res, layout.stem(meta.musicId(), stem, m.group(2)), m.group(2),
                safeName(meta) + "-" + stem.id() + "." + m.group(2));
    }

    Object mix(Request req, Response res) throws IOException {
        SongMeta meta = catalog.require(req.params(":id"));
        Matcher m = MIX.matcher(req.params(":file"));
        if (!m.matches()) {
            throw ApiException.notFound("no such mix file: name it by its track ids, e.g. 1-4.wav");
        }
        List<Stem> selection = new ArrayList<>();
        for (String t : m.group(1).split("-")) {
            selection.add(Stem.byTrackId(Integer.parseInt(t)).orElseThrow());
        }
        if (!StorageLayout.selectionKey(selection).equals(m.group(1))) {
            throw ApiException.notFound("no such mix file: track ids must be ascending and distinct, e.g. 1-4.wav");
        }
        return serve(req, res, layout.mix(meta.musicId(), selection, m.group(2)), m.group(2),
                safeName(meta) + "-mix-" + m.group(1) + "." + m.group(2));
    }

    Object original(Request req, Response res) throws IOException {
        SongMeta meta = catalog.require(req.params(":id"));
        Matcher m = ORIGINAL.matcher(String.valueOf(meta.originalFile()));
        if (!m.matches()) {
            throw ApiException.notFound("music " + meta.musicId() + " has no original file");
        }
        return serve(req, res, layout.original(meta.musicId(), m.group(1)), m.group(1),
                safeName(meta) + "." + m.group(1));
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

    /** A download name made of the song name's letters and digits only: nothing to escape in a header. */
    private static String safeName(SongMeta meta) {
        String n = meta.name() == null ? "" : meta.name().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (n.length() > 60) {
            n = n.substring(0, 60);
        }
        return n.isEmpty() ? "music-" + meta.musicId() : n;
    }

    private Object serve(Request req, Response res, Path path, String ext, String downloadName) throws IOException {
        FileStatus st;
        try {
            st = storage.fs().getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw ApiException.notFound("the file " + path.getName() + " does not exist (yet)");
        }
        if (!st.isFile()) {
            throw ApiException.notFound("the file " + path.getName() + " does not exist");
        }
        long length = st.getLen();
        String etag = "\"" + Long.toHexString(st.getModificationTime()) + "-" + Long.toHexString(length) + "\"";
        HttpServletResponse raw = res.raw();
        raw.setHeader("Accept-Ranges", "bytes");
        raw.setHeader("ETag", etag);
        raw.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(st.getModificationTime()).atZone(ZoneOffset.UTC)));
        raw.setHeader("Cache-Control", "no-cache");
        boolean attachment = "1".equals(QueryString.parse(req.raw().getQueryString()).get("download"));
        raw.setHeader("Content-Disposition", (attachment ? "attachment" : "inline") + "; filename=\"" + downloadName + "\"");
        raw.setContentType(OutputFormat.mimeTypeOf(ext));

        Optional<ByteRange> range;
        String ifRange = req.headers("If-Range");
        try {
            range = ifRange == null || ifRange.equals(etag) ? ByteRange.parse(req.headers("Range"), length) : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            raw.setHeader("Content-Range", "bytes */" + length);
            raw.setHeader("Content-Disposition", null);
            throw new ApiException(416, e.getMessage());
        }
        long start = range.map(ByteRange::start).orElse(0L);
        long count = range.map(ByteRange::length).orElse(length);
        if (range.isPresent()) {
            raw.setStatus(206);
            raw.setHeader("Content-Range", "bytes " + start + "-" + (start + count - 1) + "/" + length);
        } else {
            raw.setStatus(200);
        }
        raw.setContentLengthLong(count);
        if ("HEAD".equals(req.requestMethod()) || count == 0) {
            return "";
        }
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
        } catch (org.eclipse.jetty.io.EofException e) {
            LOG.debug("client went away while downloading {}", path.getName());
        }
        return "";
    }
}
