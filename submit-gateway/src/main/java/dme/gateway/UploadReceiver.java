package dme.gateway;

import dme.core.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import javax.servlet.MultipartConfigElement;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.Part;
import org.eclipse.jetty.http.MultiPartFormInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives an upload's body, raw or multipart, into a local scratch folder (never into memory) under
 * the size limit, checked before reading when Content-Length is known and while streaming otherwise,
 * and the minimum rate, so a slow or stalled client holds its thread for seconds, not hours.
 */
final class UploadReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(UploadReceiver.class);
    /** Room for multipart boundaries, part headers and the name/band fields around the file. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    private static final int MAX_FIELD_BYTES = 4096;
    /** How much of a refused body is read and discarded so the client can read the refusal. */
    static final long MAX_DRAIN = 8L * 1024 * 1024;
    /** How long an upload may take before its average rate is checked (connection set-up, slow start). */
    static final long RATE_GRACE_MS = 3000;

    /** What arrived: the local copy of the file and the optional form/query fields. */
    record Received(Path file, long bytes, String fileName, String name, String band) {}

    private final long maxBytes;
    private final long minBytesPerSecond;

    UploadReceiver(long maxBytes, long minBytesPerSecond) {
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    /** Refuses a body whose declared length is over the limit before a byte of it is read. */
    void refuseIfDeclaredTooLarge(HttpServletRequest raw) {
        long declared = raw.getContentLengthLong();
        if (declared > maxBytes + (isMultipart(raw) ? MULTIPART_OVERHEAD : 0)) {
            throw ApiException.invalid("the file is too large: " + declared + " bytes, the limit is "
                    + maxBytes + " bytes (" + megabytes(maxBytes) + ")");
        }
    }

    /** Receives the body into {@code work}, which the caller deletes afterwards. */
    Received receive(HttpServletRequest raw, Path work) throws IOException {
        return isMultipart(raw) ? receiveMultipart(raw, work) : receiveRaw(raw, work);
    }

    /**
     * A client that is still sending its body reads no answer if the server closes the connection
     * under it (it sees a reset instead of the 405). Up to {@link #MAX_DRAIN} bytes of the rest are
     * therefore read and discarded; a larger rest is cut off. A client that asked for
     * {@code Expect: 100-continue} has not sent its body and gets the answer at once.
     */
    static void drainForCleanAnswer(HttpServletRequest raw) {
        if ("100-continue".equalsIgnoreCase(raw.getHeader("Expect"))) {
            return;
        }
        long declared = raw.getContentLengthLong();
        if (declared > MAX_DRAIN) {
            return;
        }
        try (InputStream in = RawBody.open(raw)) {
            byte[] buf = new byte[1 << 16];
            long drained = 0;
            for (int n; drained < MAX_DRAIN && (n = in.read(buf)) > 0; ) {
                drained += n;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("stopped draining a refused upload: {}", e.getMessage());
        }
    }

    private static boolean isMultipart(HttpServletRequest raw) {
        String contentType = raw.getContentType() == null ? "" : raw.getContentType().toLowerCase(Locale.ROOT);
        return contentType.startsWith("multipart/form-data");
    }

    private Received receiveRaw(HttpServletRequest raw, Path work) throws IOException {
        Map<String, String> query = QueryString.parse(raw.getQueryString());
        String fileName = query.get("filename");
        Path file = work.resolve("upload." + UploadNames.extensionOf(fileName));
        long bytes;
        try (InputStream in = RawBody.open(raw)) {
            bytes = copyLimited(in, file, maxBytes);
        }
        return new Received(file, bytes, fileName, query.get("name"), query.get("band"));
    }

    private Received receiveMultipart(HttpServletRequest raw, Path work) throws IOException {
        Path parts = Files.createDirectory(work.resolve("parts"));
        // the body is received first, under the same rate and size checks as a raw upload, then parsed
        // from local disk: a client dribbling a form cannot hold a thread inside the parser
        Path body = work.resolve("body.multipart");
        try (InputStream in = RawBody.open(raw)) {
            copyLimited(in, body, maxBytes + MULTIPART_OVERHEAD);
        }
        Collection<Part> all = parseParts(body, raw.getContentType(), parts);
        try {
            return fromParts(all, work, QueryString.parse(raw.getQueryString()));
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

    private Collection<Part> parseParts(Path body, String contentType, Path parts) {
        MultipartConfigElement limits = new MultipartConfigElement(parts.toString(), maxBytes, maxBytes + MULTIPART_OVERHEAD, 64 * 1024);
        try (InputStream stored = Files.newInputStream(body)) {
            return new MultiPartFormInputStream(stored, contentType, limits, parts.toFile()).getParts();
        } catch (IllegalStateException e) {
            throw ApiException.invalid("the file is too large: the limit is " + maxBytes + " bytes (" + megabytes(maxBytes) + ")");
        } catch (IOException | RuntimeException e) {
            throw ApiException.invalid("malformed multipart/form-data body: " + Messages.firstLine(e.getMessage()));
        }
    }

    /** The first 'file' part, copied out; the name and band fields, else the query's. */
    private Received fromParts(Collection<Part> all, Path work, Map<String, String> query) throws IOException {
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
                        file = work.resolve("upload." + UploadNames.extensionOf(fileName));
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
        return new Received(file, bytes, fileName, name != null ? name : query.get("name"),
                band != null ? band : query.get("band"));
    }

    /**
     * Copies at most {@code limit} bytes to the file. After a grace period, a body arriving slower than
     * {@code dme.upload.min.bytes.per.second} on average is cut off (408), so a dribbling client holds
     * its thread for seconds, not hours; a client that stops sending meets the idle timeout.
     */
    private long copyLimited(InputStream in, Path file, long limit) throws IOException {
        long total = 0;
        long started = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = readFromClient(in, buf)) > 0; ) {
                total += n;
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                if (minBytesPerSecond > 0 && elapsedMs > RATE_GRACE_MS && total < minBytesPerSecond * elapsedMs / 1000) {
                    throw new ApiException(408, "the upload was too slow: " + total + " bytes in " + elapsedMs / 1000
                            + " s, the minimum is " + minBytesPerSecond + " bytes per second");
                }
                if (total > limit) {
                    throw ApiException.invalid("the file is too large: the limit is " + limit + " bytes ("
                            + megabytes(limit) + ")");
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

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
