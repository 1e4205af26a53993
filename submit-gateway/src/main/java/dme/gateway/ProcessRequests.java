package dme.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dme.core.Stem;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.TreeSet;
import javax.servlet.ServletRequestWrapper;
import javax.servlet.http.HttpServletRequest;

/**
 * {@code POST /music/{id}}: validates the selected track ids and queues the request for the stream
 * (protocol step 2). Returns as soon as the request file is written; a song whose stems exist is
 * only remixed by the job, never separated again.
 */
final class ProcessRequests {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProcessRequests.class);
    static final int MAX_BODY_BYTES = 4096;

    private final Submissions submissions;
    private final String defaultFormat;

    ProcessRequests(Submissions submissions, String defaultFormat) {
        this.submissions = submissions;
        this.defaultFormat = defaultFormat;
    }

    /** What the client gets back: the queued request. */
    record Queued(long musicId, long requestSeq, List<Integer> tracks, String format, String state) {}

    Queued request(long musicId, HttpServletRequest raw) throws IOException {
        List<Integer> tracks = parseTracks(readBody(raw));
        String format = QueryString.parse(raw.getQueryString()).getOrDefault("format", defaultFormat);
        try {
            OutputFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        ProcessRequest p;
        // one writer at a time per gateway, so two clicks never get the same request number
        synchronized (this) {
            try {
                p = submissions.requestProcessing(musicId, tracks, format);
            } catch (java.io.FileNotFoundException deletedMeanwhile) {
                throw ApiException.notFound("no music with id " + musicId + " (it was deleted)");
            }
        }
        LOG.info("song {} request {} queued: tracks {} as {}", musicId, p.seq(), p.tracks(), p.format());
        return new Queued(musicId, p.seq(), p.tracks(), p.format(), "queued");
    }

    static List<Integer> parseTracks(byte[] body) {
        JsonNode node = parseBody(body);
        if (!node.isArray()) {
            throw ApiException.invalid("the body must be a JSON array of track ids, e.g. [1, 3]");
        }
        if (node.isEmpty()) {
            throw ApiException.invalid("select at least one track id (1 drums, 2 bass, 3 other, 4 vocals)");
        }
        TreeSet<Integer> ids = new TreeSet<>();
        for (JsonNode n : node) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || Stem.byTrackId(n.asInt()).isEmpty()) {
                throw ApiException.invalid("unknown track id " + SongCatalog.clip(n.toString())
                        + ": use 1 (drums), 2 (bass), 3 (other), 4 (vocals)");
            }
            ids.add(n.asInt());
        }
        return List.copyOf(ids);
    }

    /**
     * The body as exactly one JSON value: a syntax error, an empty body or anything after the value
     * ({@code [1]garbage}, {@code [1] [2]}, a form-encoded {@code [2,3]=}) is refused with 400, so
     * only a body that was meant as JSON queues work. Duplicate object keys are refused too.
     */
    static JsonNode parseBody(byte[] body) {
        try (JsonParser p = Json.mapper().getFactory().createParser(body)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonNode node = Json.mapper().readTree(p);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the body is empty: send a JSON array of track ids, e.g. [1, 3]");
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("the body must be exactly one JSON value, e.g. [1, 3]: found more after it");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON: send a JSON array of track ids, e.g. [1, 3]");
        }
    }

    private static byte[] readBody(HttpServletRequest raw) throws IOException {
        if (raw.getContentLengthLong() > MAX_BODY_BYTES) {
            throw ApiException.invalid("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        javax.servlet.ServletRequest base = raw;
        while (base instanceof ServletRequestWrapper w) {
            base = w.getRequest();
        }
        try (InputStream in = base.getInputStream()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw ApiException.invalid("the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        }
    }
}
