package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import dme.core.format.JobIds;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile requests over real HTTP: ids in other spellings, bidi tricks in names, forged forwarding
 * headers, and what a 500 may say.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileInputTest {
    @TempDir
    Path dir;

    @Test
    void idsAreCanonicalAsciiDigitsOnly() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = json(g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 0.5, 440), null)).get("music_id").asLong();
            assertEquals(1, id);
            assertEquals(200, g.get("/music/1").statusCode());
            // 001, Arabic-Indic one, full-width one, Devanagari one: none of them is song 1
            for (String other : List.of("001", "01", "%D9%A1", "%EF%BC%91", "%E0%A5%A7", "1%D9%A0")) {
                HttpResponse<String> r = g.get("/music/" + other);
                int code = r.statusCode();
                assertTrue(code == 404 || code == 400, other + " -> " + code + " " + r.body());
                assertError(r, code);
                assertError(g.get("/music/" + other + "/jobs"), code);
                assertError(g.post("/music/" + other, "[1]", null), code);
                assertError(g.delete("/music/" + other, null), code);
                HttpResponse<String> file = g.get("/files/" + other + "/original");
                assertTrue(file.statusCode() == 404 || file.statusCode() == 400, other + " -> " + file.statusCode());
            }
            assertError(g.get("/job/0" + JobIds.of(1, 0)), 404);
            assertEquals(200, g.get("/music/1").statusCode(), "song 1 is untouched");
            assertFalse(Files.exists(g.root.resolve("requests/1-1.json")));
        }
    }

    @Test
    void bidiAndOtherInvisibleControlsAreStrippedFromNames() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            String name = "\u202Egnp.exe\u202C Song\u200F\u200E\u2066x\u2069\u061C\uFEFF\u200B!";
            String band = "Fam\u200D\u200Cily \u0007Band";
            JsonNode m = json(g.uploadRaw(wav, "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + "&band=" + URLEncoder.encode(band, StandardCharsets.UTF_8)));
            assertEquals("gnp.exe Songx!", m.get("name").asText());
            assertEquals("Fam\u200D\u200Cily Band", m.get("band").asText(), "joiners stay, controls go");
            assertEquals("gnp.exe Songx!", json(g.get("/music")).get(0).get("name").asText());

            // a record stored before the names were cleaned is shown cleaned
            dme.core.format.SongMeta old = dme.core.format.Json.read(Files.readAllBytes(g.root.resolve("songs/1/meta.json")),
                    dme.core.format.SongMeta.class);
            new dme.core.Submissions(g.storage).storeMeta(new dme.core.format.SongMeta(1, "Old\u202E3pm.exe", "\u200FBand",
                    old.originalFile(), old.sizeBytes(), old.durationSeconds(), old.sampleRate(), old.channels(), old.codec(),
                    old.submittedAt()));
            JsonNode shown = json(g.get("/music")).get(0);
            assertEquals("Old3pm.exe", shown.get("name").asText());
            assertEquals("Band", shown.get("band").asText());
        }
    }

    @Test
    void forwardedHeadersCountOnlyFromTrustedProxies() throws Exception {
        Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
        try (GatewayFixture g = new GatewayFixture(dir.resolve("open"))) {
            g.uploadRaw(wav, null);
            for (String[] h : List.of(new String[] {"X-Forwarded-Host", "evil.example"},
                    new String[] {"Forwarded", "host=evil.example;proto=https"})) {
                String url = json(g.send(HttpRequest.newBuilder(g.uri("/music")).header(h[0], h[1]).GET()))
                        .get(0).get("original").asText();
                assertEquals("http://127.0.0.1:" + g.gateway.port() + "/files/1/original", url, h[0]);
            }
        }
        try (GatewayFixture g = new GatewayFixture(dir.resolve("proxied"), Map.of(DmeConfig.TRUSTED_PROXIES, "127.0.0.1"))) {
            g.uploadRaw(wav, null);
            String url = json(g.send(HttpRequest.newBuilder(g.uri("/music")).header("X-Forwarded-Host", "dme.example.org")
                    .header("X-Forwarded-Proto", "https").GET())).get(0).get("original").asText();
            assertEquals("https://dme.example.org/files/1/original", url, "the configured proxy is believed");
        }
    }

    @Test
    void internalErrorsAnswerAPlainMessageAndAnErrorId() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = json(g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 0.5, 440), null)).get("music_id").asLong();
            // a storage fault: the staging folder for atomic writes is a plain file, so no record can be written
            GatewayFixture.blockAtomicWrites(g.root);
            HttpResponse<String> r = g.post("/music/" + id, "[1]", null);
            String msg = assertError(r, 500);
            String errorId = json(r).get("error_id").asText();
            assertTrue(errorId.matches("[0-9a-f]{12}") && msg.contains(errorId), r.body());
            for (String leak : List.of("Exception", "java.", "hadoop", g.root.toString(), "/tmp", "\tat ")) {
                assertFalse(r.body().contains(leak), leak + " leaks into " + r.body());
            }
        }
    }
}
