package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongMeta;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /music over real HTTP with real audio: both encodings, tags, and every way to be refused. */
@org.junit.jupiter.api.Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class UploadTest {
    @TempDir
    Path dir;

    @Test
    void rawUploadStoresOriginalAndMetaAndReturnsMusic() throws Exception {
        Path wav = TestAudio.wav(dir.resolve("in.wav"), 2.0, 440);
        try (GatewayFixture g = new GatewayFixture(dir)) {
            HttpResponse<String> r = g.uploadRaw(wav, "name=Night%20Drive&band=The%20Tests");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode m = json(r);
            assertEquals(1, m.get("music_id").asLong());
            assertEquals("Night Drive", m.get("name").asText());
            assertEquals("The Tests", m.get("band").asText());
            assertTracks(m);

            assertArrayEquals(Files.readAllBytes(wav), Files.readAllBytes(g.root.resolve("songs/1/original.wav")));
            SongMeta meta = Json.read(Files.readAllBytes(g.root.resolve("songs/1/meta.json")), SongMeta.class);
            assertEquals(1, meta.musicId());
            assertEquals("original.wav", meta.originalFile());
            assertEquals(Files.size(wav), meta.sizeBytes());
            assertEquals(2.0, meta.durationSeconds(), 0.05);
            assertEquals(List.of("ids/1", "songs/1/meta.json", "songs/1/original.wav"), g.storedFiles());
            assertEquals(List.of(), g.scratchFiles());

            JsonNode list = json(g.get("/music"));
            assertEquals(1, list.size());
            assertEquals("Night Drive", list.get(0).get("name").asText());
        }
    }

    @Test
    void multipartUploadWithFieldsAndIdsIncrease() throws Exception {
        Path wav = TestAudio.wav(dir.resolve("song.wav"), 1.5, 220, 330);
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", "Überlied <b>");
            fields.put("band", "Band & Co");
            HttpResponse<String> r = g.uploadMultipart(wav, "song.wav", fields);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode m = json(r);
            assertEquals(1, m.get("music_id").asLong());
            assertEquals("Überlied <b>", m.get("name").asText());
            assertEquals("Band & Co", m.get("band").asText());
            assertTracks(m);
            assertArrayEquals(Files.readAllBytes(wav), Files.readAllBytes(g.root.resolve("songs/1/original.wav")));

            // no fields and no tags: the file name names the song
            JsonNode second = json(g.uploadMultipart(wav, "C:\\music\\Second Song.wav", Map.of()));
            assertEquals(2, second.get("music_id").asLong());
            assertEquals("Second Song", second.get("name").asText());
            assertEquals("Unknown", second.get("band").asText());
            assertEquals(List.of(), g.scratchFiles(), "multipart temp files must be deleted");
        }
    }

    @Test
    void tagsNameTheSongUnlessFieldsSayOtherwise() throws Exception {
        Path mp3 = TestAudio.write(dir.resolve("tagged.mp3"), TestAudio.chord(2.0, 440),
                OutputFormat.MP3, 128, Map.of("title", "Tagged Title", "artist", "Tagged Artist"));
        try (GatewayFixture g = new GatewayFixture(dir)) {
            JsonNode fromTags = json(g.uploadRaw(mp3, null));
            assertEquals("Tagged Title", fromTags.get("name").asText());
            assertEquals("Tagged Artist", fromTags.get("band").asText());
            assertTrue(Files.exists(g.root.resolve("songs/1/original.mp3")), "the extension comes from the content");

            JsonNode explicit = json(g.uploadMultipart(mp3, "x.mp3", Map.of("name", "Form Name")));
            assertEquals("Form Name", explicit.get("name").asText());
            assertEquals("Tagged Artist", explicit.get("band").asText());
        }
    }

    @Test
    void nonAudioIsRefusedAndLeavesNothing() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp3"), "this is not audio at all\n".repeat(200));
        try (GatewayFixture g = new GatewayFixture(dir)) {
            String raw = assertError(g.uploadRaw(text, "filename=notes.mp3"), 405);
            assertTrue(raw.contains("not a decodable audio file"), raw);
            String multi = assertError(g.uploadMultipart(text, "notes.mp3", Map.of("name", "x")), 405);
            assertTrue(multi.contains("not a decodable audio file"), multi);
            assertNothingLeft(g);
            assertEquals(0, json(g.get("/music")).size());
        }
    }

    @Test
    void emptyAndMissingFilesAreRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        try (GatewayFixture g = new GatewayFixture(dir)) {
            assertTrue(assertError(g.uploadRaw(empty, null), 405).contains("empty"));
            assertTrue(assertError(g.uploadMultipart(null, null, Map.of("name", "no file")), 405).contains("'file'"));
            assertError(g.send(HttpRequest.newBuilder(g.uri("/music"))
                    .header("Content-Type", "multipart/form-data; boundary=xyz")
                    .POST(HttpRequest.BodyPublishers.ofString("garbage without boundaries"))), 405);
            assertNothingLeft(g);
        }
    }

    @Test
    void oversizeIsRefusedBeforeAndWhileReading() throws Exception {
        Path wav = TestAudio.wav(dir.resolve("big.wav"), 1.0, 440); // about 176 kB
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.UPLOAD_MAX_BYTES, "50000"))) {
            // Content-Length known: refused from the headers alone; this client never sends a body byte
            String known = g.rawExchange("POST /music HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 1000000000\r\nExpect: 100-continue\r\n\r\n");
            assertTrue(known.startsWith("HTTP/1.1 405"), "[" + known + "]");
            assertTrue(known.contains("too large") && known.contains("application/json"), known);
            String knownMultipart = g.rawExchange("POST /music HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000000\r\nExpect: 100-continue\r\n\r\n");
            assertTrue(knownMultipart.startsWith("HTTP/1.1 405"), knownMultipart);

            // length unknown (chunked): refused while streaming
            byte[] bytes = Files.readAllBytes(wav);
            HttpResponse<String> chunked = g.send(HttpRequest.newBuilder(g.uri("/music"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
            assertTrue(assertError(chunked, 405).contains("too large"), chunked.body());

            // multipart: the file part is over the limit
            HttpResponse<String> multi = g.uploadMultipart(wav, "big.wav", Map.of("name", "big"));
            assertTrue(assertError(multi, 405).contains("too large"), multi.body());

            assertNothingLeft(g);
        }
    }

    @Test
    void decompressionBombIsRefusedAtUpload() throws Exception {
        // 1 s of 384 kHz 8-channel 16-bit silence: 6 MB here, far over a 1 MiB decoded-size limit
        int rate = 384_000;
        int channels = 8;
        int bytes = rate * channels * 2;
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + bytes).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
                .putShort((short) (channels * 2)).putShort((short) 16).put("data".getBytes()).putInt(bytes);
        Path bomb = dir.resolve("bomb.wav");
        try (var out = Files.newOutputStream(bomb)) {
            out.write(h.array());
            out.write(new byte[bytes]);
        }
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.DECODE_MAX_BYTES, String.valueOf(1 << 20)))) {
            String msg = assertError(g.uploadRaw(bomb, null), 405);
            assertTrue(msg.contains("decodes to more than") && msg.contains(DmeConfig.DECODE_MAX_BYTES), msg);
            assertNothingLeft(g);
        }
    }

    @Test
    void tooLongIsRefused() throws Exception {
        Path wav = TestAudio.wav(dir.resolve("long.wav"), 3.0, 440);
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.UPLOAD_MAX_SECONDS, "2"))) {
            assertTrue(assertError(g.uploadRaw(wav, null), 405).contains("too long"));
            assertNothingLeft(g);
            // a valid upload afterwards gets id 1: refused uploads never consumed an id
            Path ok = TestAudio.wav(dir.resolve("ok.wav"), 1.0, 440);
            assertEquals(1, json(g.uploadRaw(ok, null)).get("music_id").asLong());
        }
    }

    @Test
    void twoHourSongIsAccepted() throws Exception {
        // 2:00:00 of 8 kHz mono 8-bit PCM (57.6 MB): long songs are supported up to the default limit.
        int rate = 8000;
        int n = rate * 7200;
        Path wav = dir.resolve("two-hours.wav");
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + n).put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate).putShort((short) 1).putShort((short) 8)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(n);
        byte[] second = new byte[rate];
        for (int i = 0; i < rate; i++) {
            second[i] = (byte) (128 + 60 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(wav), 1 << 20)) {
            out.write(h.array());
            for (int s = 0; s < 7200; s++) {
                out.write(second);
            }
        }
        try (GatewayFixture g = new GatewayFixture(dir)) {
            HttpResponse<String> r = g.uploadRaw(wav, null);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(7200, json(r).get("duration_seconds").asDouble(), 1.0);
        }
    }

    @Test
    void utf8NamesAndControlCharactersAreCleaned() throws Exception {
        Path wav = TestAudio.wav(dir.resolve("in.wav"), 0.5, 440);
        try (GatewayFixture g = new GatewayFixture(dir)) {
            String longName = "x".repeat(500);
            JsonNode m = json(g.uploadMultipart(wav, "in.wav", Map.of("name", "  a\u0001b\tc  ", "band", longName)));
            assertEquals("a b c", m.get("name").asText());
            assertEquals(200, m.get("band").asText().length());
            byte[] meta = Files.readAllBytes(g.root.resolve("songs/1/meta.json"));
            assertTrue(new String(meta, StandardCharsets.UTF_8).contains("\"name\":\"a b c\""));
        }
    }

    static void assertTracks(JsonNode m) {
        JsonNode tracks = m.get("tracks");
        assertEquals(4, tracks.size());
        String[] names = {"drums", "bass", "other", "vocals"};
        for (int i = 0; i < 4; i++) {
            assertEquals(names[i], tracks.get(i).get("name").asText());
            assertEquals(i + 1, tracks.get(i).get("track_id").asInt());
        }
    }

    private static void assertNothingLeft(GatewayFixture g) throws Exception {
        assertEquals(List.of(), g.storedFiles(), "no song folder, id marker or staging file may remain");
        assertTrue(!Files.exists(g.root.resolve("songs")) || Files.list(g.root.resolve("songs")).findAny().isEmpty());
        assertEquals(List.of(), g.scratchFiles(), "the upload scratch space must be empty");
    }
}
