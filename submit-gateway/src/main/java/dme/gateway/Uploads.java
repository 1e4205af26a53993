package dme.gateway;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.AudioDecodeException;
import dme.core.audio.AudioInfo;
import dme.core.audio.AudioProbe;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.servlet.MultipartConfigElement;
import javax.servlet.ServletRequestWrapper;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.Part;
import org.eclipse.jetty.http.MultiPartFormInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;

/**
 * {@code POST /music}: receives an upload (raw body or multipart), validates it with FFmpeg and
 * stores it under a new id.
 *
 * <p>The body is streamed to a per-request scratch folder (never held in memory), checked against
 * the size limit before reading when Content-Length is known and while streaming otherwise, then
 * probed: it must decode and be no longer than the duration limit. Only a valid upload gets an id;
 * its original is stored atomically and its meta written last, which makes the song visible. On
 * any failure nothing of it remains: no song folder, no staging file, no scratch file.
 */
final class Uploads {
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    /** Room for multipart boundaries, part headers and the name/band fields around the file. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    private static final int MAX_FIELD_BYTES = 4096;
    /** How much of a refused body is read and discarded so the client can read the refusal. */
    static final long MAX_DRAIN = 8L * 1024 * 1024;
    private static final int MAX_TEXT_CHARS = 200;
    /** How long an upload may take before its average rate is checked (connection set-up, slow start). */
    static final long RATE_GRACE_MS = 3000;
    private static final Pattern FILE_EXT = Pattern.compile(".*\\.([A-Za-z0-9]{1,8})");

    private final DmeConfig config;
    private final Storage storage;
    private final Submissions submissions;
    private final Path scratchRoot;
    private final Semaphore slots;

    Uploads(DmeConfig config, Storage storage, Submissions submissions, Path scratchRoot) {
        this.config = config;
        this.storage = storage;
        this.submissions = submissions;
        this.scratchRoot = scratchRoot;
        this.slots = new Semaphore(config.uploadMaxConcurrent());
    }

    /** What arrived: the local copy of the file and the optional form/query fields. */
    private record Received(Path file, long bytes, String fileName, String name, String band) {}

    Music upload(Request req, UrlBase urls) throws IOException {
        // Each upload holds a server thread while its body arrives: a bounded number at once keeps
        // threads for reads and /info when many clients upload slowly. The rest are told to retry
        // before a byte of their body is read.
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable("too many uploads at once (" + config.uploadMaxConcurrent()
                    + "): try again in a few seconds");
        }
        try {
            return receiveAndStore(req, urls);
        } catch (ApiException refused) {
            if (refused.status() != 408) {
                drainForCleanAnswer(req.raw());
            }
            throw refused;
        } finally {
            slots.release();
        }
    }

    /**
     * A client that is still sending its body reads no answer if the server closes the connection
     * under it (it sees a reset instead of the 405). Up to {@link #MAX_DRAIN} bytes of the rest are
     * therefore read and discarded; a larger rest is cut off. A client that asked for
     * {@code Expect: 100-continue} has not sent its body and gets the answer at once.
     */
    private static void drainForCleanAnswer(HttpServletRequest raw) {
        if ("100-continue".equalsIgnoreCase(raw.getHeader("Expect"))) {
            return;
        }
        long declared = raw.getContentLengthLong();
        if (declared > MAX_DRAIN) {
            return;
        }
        try (InputStream in = unwrap(raw).getInputStream()) {
            byte[] buf = new byte[1 << 16];
            long drained = 0;
            for (int n; drained < MAX_DRAIN && (n = in.read(buf)) > 0; ) {
                drained += n;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("stopped draining a refused upload: {}", e.getMessage());
        }
    }

    private Music receiveAndStore(Request req, UrlBase urls) throws IOException {
        HttpServletRequest raw = req.raw();
        String contentType = raw.getContentType() == null ? "" : raw.getContentType().toLowerCase(Locale.ROOT);
        boolean multipart = contentType.startsWith("multipart/form-data");
        long maxBytes = config.uploadMaxBytes();
        long declared = raw.getContentLengthLong();
        if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) {
            throw ApiException.invalid("the file is too large: " + declared + " bytes, the limit is "
                    + maxBytes + " bytes (" + megabytes(maxBytes) + ")");
        }
        Files.createDirectories(scratchRoot);
        Path work = Files.createTempDirectory(scratchRoot, "upload-");
        try {
            Received r = multipart ? receiveMultipart(raw, work, maxBytes) : receiveRaw(raw, work, maxBytes);
            return store(r, urls);
        } finally {
            deleteTree(work);
        }
    }

    private Received receiveRaw(HttpServletRequest raw, Path work, long maxBytes) throws IOException {
        Map<String, String> query = QueryString.parse(raw.getQueryString());
        String fileName = query.get("filename");
        Path file = work.resolve("upload." + extensionOf(fileName));
        long bytes;
        // sparkjava's request wrapper would buffer a non-chunked body in memory: read the container's stream
        try (InputStream in = unwrap(raw).getInputStream()) {
            bytes = copyLimited(in, file, maxBytes);
        }
        return new Received(file, bytes, fileName, query.get("name"), query.get("band"));
    }

    private Received receiveMultipart(HttpServletRequest raw, Path work, long maxBytes) throws IOException {
        Path parts = Files.createDirectory(work.resolve("parts"));
        // the body is received first, under the same rate and size checks as a raw upload, then parsed
        // from local disk: a client dribbling a form cannot hold a thread inside the parser
        Path body = work.resolve("body.multipart");
        try (InputStream in = unwrap(raw).getInputStream()) {
            copyLimited(in, body, maxBytes + MULTIPART_OVERHEAD);
        }
        MultipartConfigElement limits = new MultipartConfigElement(parts.toString(), maxBytes, maxBytes + MULTIPART_OVERHEAD, 64 * 1024);
        java.util.Collection<Part> all;
        try (InputStream stored = Files.newInputStream(body)) {
            MultiPartFormInputStream form = new MultiPartFormInputStream(stored, raw.getContentType(), limits, parts.toFile());
            all = form.getParts();
        } catch (IllegalStateException e) {
            throw ApiException.invalid("the file is too large: the limit is " + maxBytes + " bytes (" + megabytes(maxBytes) + ")");
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalid("malformed multipart/form-data body: " + firstLine(e.getMessage()));
        }
        try {
            Path file = null;
            long bytes = 0;
            String fileName = null;
            String name = null;
            String band = null;
            for (Part p : all) {
                switch (p.getName() == null ? "" : p.getName()) {
                    case "file" -> {
                        if (file == null) {
                            fileName = p.getSubmittedFileName();
                            file = work.resolve("upload." + extensionOf(fileName));
                            try (InputStream in = p.getInputStream()) {
                                bytes = copyLimited(in, file, maxBytes);
                            }
                        }
                    }
                    case "name" -> name = field(p);
                    case "band" -> band = field(p);
                    default -> { /* other fields are ignored */ }
                }
            }
            if (file == null) {
                throw ApiException.invalid("the multipart/form-data body has no 'file' field");
            }
            Map<String, String> query = QueryString.parse(raw.getQueryString());
            return new Received(file, bytes, fileName, name != null ? name : query.get("name"),
                    band != null ? band : query.get("band"));
        } finally {
            for (Part p : all) {
                try {
                    p.delete();
                } catch (IOException e) {
                    LOG.debug("cannot delete a multipart temp file: {}", e.getMessage());
                }
            }
        }
    }

    private Music store(Received r, UrlBase urls) throws IOException {
        if (r.bytes() == 0) {
            throw ApiException.invalid("the file is empty");
        }
        AudioInfo info;
        try {
            // counted only a little past the limit: a hostile file is not measured for hours
            info = AudioProbe.probe(r.file(), config.uploadMaxSeconds());
        } catch (AudioDecodeException e) {
            throw ApiException.invalid("not a decodable audio file: " + firstLine(e.getMessage())
                    .replace(r.file().getFileName().toString(), displayName(r.fileName())));
        }
        if (info.durationSeconds() > config.uploadMaxSeconds()) {
            throw ApiException.invalid(String.format(Locale.ROOT, "the song is too long: %.0f s, the limit is %d s",
                    info.durationSeconds(), config.uploadMaxSeconds()));
        }
        try {
            config.decodeLimits().checkSource(info); // a decompression bomb: small file, huge decoded audio
        } catch (dme.core.DecodeLimitException e) {
            throw ApiException.invalid(e.getMessage());
        }
        String name = firstText(r.name(), info.title(), baseName(r.fileName()), "Unknown");
        String band = firstText(r.band(), info.artist(), "Unknown");
        String ext = containerExtension(info.container());

        long id = submissions.issueId();
        try {
            String original = "original." + ext;
            storage.copyFromLocal(r.file(), storage.layout().original(id, ext));
            SongMeta meta = new SongMeta(id, name, band, original, r.bytes(), info.durationSeconds(),
                    info.sampleRate(), info.channels(), info.codec(), System.currentTimeMillis());
            submissions.storeMeta(meta);
            LOG.info("song {} stored: {} bytes, {} s of {} ({})", id, r.bytes(),
                    String.format(Locale.ROOT, "%.1f", info.durationSeconds()), info.codec(), ext);
            return SongCatalog.music(meta, urls);
        } catch (IOException | RuntimeException e) {
            // the id stays issued (ids are never reused) but no trace of the song remains
            storage.deleteRecursively(storage.layout().songDir(id));
            throw e;
        }
    }

    private static HttpServletRequest unwrap(HttpServletRequest r) {
        javax.servlet.ServletRequest cur = r;
        while (cur instanceof ServletRequestWrapper w) {
            cur = w.getRequest();
        }
        return (HttpServletRequest) cur;
    }

    /**
     * Copies at most {@code maxBytes} to the file. After a grace period, a body arriving slower than
     * {@code dme.upload.min.bytes.per.second} on average is cut off (408), so a dribbling client holds
     * its thread for seconds, not hours; a client that stops sending meets the idle timeout.
     */
    private long copyLimited(InputStream in, Path file, long maxBytes) throws IOException {
        long total = 0;
        long minRate = config.uploadMinBytesPerSecond();
        long started = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = readFromClient(in, buf)) > 0; ) {
                total += n;
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                if (minRate > 0 && elapsedMs > RATE_GRACE_MS && total < minRate * elapsedMs / 1000) {
                    throw new ApiException(408, "the upload was too slow: " + total + " bytes in " + elapsedMs / 1000
                            + " s, the minimum is " + minRate + " bytes per second");
                }
                if (total > maxBytes) {
                    throw ApiException.invalid("the file is too large: the limit is " + maxBytes + " bytes ("
                            + megabytes(maxBytes) + ")");
                }
                out.write(buf, 0, n);
            }
        }
        return total;
    }

    /**
     * One read of the client's body. A client that stalls past the idle timeout or sends slower than
     * the minimum upload rate is cut off by Jetty; that is the client's fault (408), not the server's.
     */
    private static int readFromClient(InputStream in, byte[] buf) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new ApiException(408, "the upload stopped before its end (the connection was idle or broken)");
        }
    }

    private static String field(Part p) throws IOException {
        try (InputStream in = p.getInputStream()) {
            byte[] b = in.readNBytes(MAX_FIELD_BYTES + 1);
            if (b.length > MAX_FIELD_BYTES) {
                throw ApiException.invalid("the field '" + p.getName() + "' is longer than " + MAX_FIELD_BYTES + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /**
     * Invisible format characters: the bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
     * U+061C) that make a name display as something else, zero-width spaces, BOMs. Zero-width
     * (non-)joiners stay: scripts and emoji need them.
     */
    private static final Pattern FORMAT_CHARS = Pattern.compile("[\\p{Cf}&&[^\\u200C\\u200D]]");

    /** First candidate with visible text, control and bidi characters removed, at most 200 characters. */
    static String firstText(String... candidates) {
        for (String c : candidates) {
            if (c == null) {
                continue;
            }
            String t = FORMAT_CHARS.matcher(c).replaceAll("")
                    .replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").trim();
            if (!t.isEmpty()) {
                return t.codePointCount(0, t.length()) > MAX_TEXT_CHARS
                        ? t.substring(0, t.offsetByCodePoints(0, MAX_TEXT_CHARS)) : t;
            }
        }
        return null;
    }

    private static String baseName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String n = fileName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String displayName(String fileName) {
        if (fileName == null) {
            return "the upload";
        }
        String n = fileName.replace('\\', '/');
        String t = firstText(n.substring(n.lastIndexOf('/') + 1));
        return t == null ? "the upload" : t;
    }

    /** Extension of the user's file name when it is plain, so FFmpeg's fallback demuxer guess can use it. */
    private static String extensionOf(String fileName) {
        if (fileName != null) {
            Matcher m = FILE_EXT.matcher(fileName);
            if (m.matches()) {
                return m.group(1).toLowerCase(Locale.ROOT);
            }
        }
        return "bin";
    }

    /** The stored original's extension comes from what FFmpeg found inside, not from the client. */
    static String containerExtension(String container) {
        String first = container == null ? "" : container.toLowerCase(Locale.ROOT).split(",")[0].trim();
        return switch (first) {
            case "mov", "mp4", "m4a" -> "m4a";
            case "matroska", "webm" -> "mka";
            case "ogg" -> "ogg";
            case "wav", "mp3", "flac", "aiff", "aac", "w64", "caf", "au", "opus", "wv", "ape", "amr" -> first;
            default -> first.matches("[a-z0-9]{1,8}") ? first : "audio";
        };
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot clean the upload scratch folder {}: {}", dir, e.getMessage());
        }
    }
}
