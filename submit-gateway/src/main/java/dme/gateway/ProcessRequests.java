package dme.gateway;

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
            p = submissions.requestProcessing(musicId, tracks, format);
        }
        LOG.info("song {} request {} queued: tracks {} as {}", musicId, p.seq(), p.tracks(), p.format());
        return new Queued(musicId, p.seq(), p.tracks(), p.format(), "queued");
    }

    static List<Integer> parseTracks(byte[] body) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid("the body must be a JSON array of track ids, e.g. [1, 3]");
        }
        if (node == null || !node.isArray()) {
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
