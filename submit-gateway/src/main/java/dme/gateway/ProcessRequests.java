package dme.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dme.core.Mix;
import dme.core.Stem;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.RenderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
    record Queued(long musicId, long requestSeq, List<Integer> tracks, Map<String, Double> gains, String format,
            Integer bitrate, String twoStems, String state) {}

    /**
     * A parsed body: the bare array of track ids of the original contract, or an object with the output
     * options: {@code {"tracks": [1, 4], "gains": {"4": 0.25}, "format": "mp3", "bitrate": 192, "two_stems": "vocals"}}
     * and the practice render options {@code "tempo": 0.8, "transpose": -2, "click": true, "loudness_lufs": -14}.
     */
    record Body(List<Integer> tracks, Map<String, Double> gains, String format, Integer bitrate, String twoStems,
            RenderOptions render) {}

    Queued request(long musicId, HttpServletRequest raw) throws IOException {
        Body body = parseRequest(readBody(raw));
        String fromQuery = QueryString.parse(raw.getQueryString()).get("format");
        if (body.format() != null && fromQuery != null && !body.format().equals(fromQuery)) {
            throw ApiException.invalid("the format is given twice (body '" + MessageText.clip(body.format())
                    + "', query '" + MessageText.clip(fromQuery) + "'): give it once");
        }
        String format = body.format() != null ? body.format() : fromQuery != null ? fromQuery : defaultFormat;
        try {
            OutputFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        ProcessRequest p;
        // one writer at a time per gateway, so two clicks never get the same request number
        synchronized (this) {
            try {
                p = submissions.requestProcessing(musicId, body.tracks(), format, body.gains(), body.bitrate(), body.twoStems(),
                        body.render());
            } catch (java.io.FileNotFoundException deletedMeanwhile) {
                throw ApiException.notFound("no music with id " + musicId + " (it was deleted)");
            }
        }
        LOG.info("song {} request {} queued: tracks {} gains {} as {}", musicId, p.seq(), p.tracks(), p.gains(), p.format());
        return new Queued(musicId, p.seq(), p.tracks(), p.mix().gains().entrySet().stream().collect(
                java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey().trackId()), Map.Entry::getValue,
                        (a, b) -> a, java.util.TreeMap::new)), p.format(), p.bitrate(), p.twoStems(), "queued");
    }

    private static final String SHAPE = "the body must be a JSON array of track ids, e.g. [1, 3], or an object such as "
            + "{\"tracks\": [1, 4], \"gains\": {\"4\": 0.25}, \"format\": \"mp3\", \"bitrate\": 192}";

    static Body parseRequest(byte[] body) {
        JsonNode node = parseBody(body);
        if (!(node.isArray() || node.isObject())) {
            throw ApiException.invalid(SHAPE);
        }
        if (node.isArray()) {
            return new Body(tracks(node), Map.of(), null, null, null, null);
        }
        for (java.util.Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String f = names.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.invalid("unknown field '" + MessageText.clip(f) + "': use " + String.join(", ", FIELDS));
            }
        }
        if (!node.has("tracks")) {
            throw ApiException.invalid("the object needs \"tracks\": the track ids to mix, e.g. [1, 4]");
        }
        List<Integer> tracks = tracks(node.get("tracks"));
        Map<String, Double> gains = new java.util.TreeMap<>();
        JsonNode g = node.get("gains");
        if (g != null && !g.isNull()) {
            if (!g.isObject()) {
                throw ApiException.invalid("gains must be an object of track id to gain, e.g. {\"4\": 0.25}");
            }
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw ApiException.invalid("gains: the gain of track " + MessageText.clip(e.getKey())
                            + " must be a number from 0 to " + Mix.MAX_GAIN);
                }
                gains.put(e.getKey(), e.getValue().asDouble());
            }
        }
        String format = text(node, "format");
        Integer bitrate = null;
        JsonNode b = node.get("bitrate");
        if (b != null && !b.isNull()) {
            if (!b.isIntegralNumber() || !b.canConvertToInt()) {
                throw ApiException.invalid("bitrate must be a whole number of kbps, 32 to 320");
            }
            bitrate = b.asInt();
        }
        String twoStems = text(node, "two_stems");
        RenderOptions render;
        try {
            Mix.of(tracks, gains);
            ProcessRequest.checkBitrate(bitrate);
            ProcessRequest.twoStem(twoStems);
            render = RenderOptions.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        return new Body(tracks, gains, format, bitrate, twoStems, render.isPlain() ? null : render);
    }

    private static final List<String> FIELDS = List.of("tracks", "gains", "format", "bitrate", "two_stems",
            "tempo", "transpose", "click", "loudness_lufs");

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field + " must be a string");
        }
        return v.asText();
    }

    private static List<Integer> tracks(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw ApiException.invalid(SHAPE);
        }
        if (node.isEmpty()) {
            throw ApiException.invalid("select at least one track id (1 drums, 2 bass, 3 other, 4 vocals)");
        }
        TreeSet<Integer> ids = new TreeSet<>();
        for (JsonNode n : node) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || Stem.byTrackId(n.asInt()).isEmpty()) {
                throw ApiException.invalid("unknown track id " + MessageText.clip(n.toString())
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
        try (InputStream in = RawBody.open(raw)) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw ApiException.invalid("the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        }
    }
}
