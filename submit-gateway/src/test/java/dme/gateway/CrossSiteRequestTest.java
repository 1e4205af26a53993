package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write requests that a page of another site makes a browser send are refused, whatever the
 * tokens; plain clients (no Origin, no Sec-Fetch-Site: curl, the contract's test client) and the
 * page itself keep working; origins on the allow-list may call the API on purpose.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossSiteRequestTest {
    static final String EVIL = "http://evil.example";

    @TempDir
    Path dir;

    @Test
    void crossSiteWritesAreRefusedAndPlainClientsAreNot() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            // the contract's client: octet-stream upload, no browser headers at all
            long id = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            List<String> before = g.storedFiles();

            String own = "http://127.0.0.1:" + g.gateway.port();
            for (String[] h : List.of(new String[] {"Origin", EVIL}, new String[] {"Origin", "null"},
                    new String[] {"Origin", "http://127.0.0.1:1"}, new String[] {"Sec-Fetch-Site", "cross-site"},
                    new String[] {"Sec-Fetch-Site", "same-site"})) {
                String why = h[0] + ": " + h[1];
                assertTrue(assertError(g.send(HttpRequest.newBuilder(g.uri("/reset")).header(h[0], h[1])
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("x=1"))), 403).contains("cross-site"), why);
                assertError(g.send(HttpRequest.newBuilder(g.uri("/music/" + id)).header(h[0], h[1])
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("[2,3]="))), 403);
                assertError(g.send(HttpRequest.newBuilder(g.uri("/music/" + id)).header(h[0], h[1]).DELETE()), 403);
                // a small body: the server answers before reading it, and a large unread one can make the
                // client's TCP stack drop the answer (a reset), which is no part of what is tested here
                assertError(g.send(HttpRequest.newBuilder(g.uri("/music")).header(h[0], h[1])
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(Files.readAllBytes(wav), 1024)))), 403);
            }
            assertEquals(before, g.storedFiles(), "nothing was written, queued or deleted");

            // reads stay open to everybody (the page's own GETs, other tools)
            assertEquals(200, g.send(HttpRequest.newBuilder(g.uri("/music")).header("Origin", EVIL)
                    .header("Sec-Fetch-Site", "cross-site").GET()).statusCode());

            // the gateway's own page, and a user typing the address, may write
            HttpResponse<String> same = g.send(HttpRequest.newBuilder(g.uri("/music/" + id)).header("Origin", own)
                    .header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[1]")));
            assertEquals(200, same.statusCode(), same.body());
            assertEquals(200, g.send(HttpRequest.newBuilder(g.uri("/music/" + id)).header("Sec-Fetch-Site", "none")
                    .POST(HttpRequest.BodyPublishers.ofString("[2]"))).statusCode());
            assertTrue(Files.exists(g.root.resolve("requests/" + id + "-2.json")));
        }
    }

    @Test
    void tokensDoNotMakeCrossSiteUploadsAcceptable() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.ADMIN_TOKEN, "a-secret"))) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            byte[] body = GatewayFixture.multipartBody("b0undary", Files.readAllBytes(wav), "a.wav", Map.of());
            // a no-cors multipart fetch from another site: no token needed for uploads, so Origin is the guard
            assertError(g.send(HttpRequest.newBuilder(g.uri("/music")).header("Origin", EVIL)
                    .header("Sec-Fetch-Site", "cross-site").header("Content-Type", "multipart/form-data; boundary=b0undary")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))), 403);
            assertError(g.send(HttpRequest.newBuilder(g.uri("/reset")).header("Origin", EVIL)
                    .header("Authorization", "Bearer a-secret").POST(HttpRequest.BodyPublishers.noBody())), 403);
            assertFalse(Files.exists(g.root.resolve("songs")));
            assertEquals(200, g.uploadMultipart(wav, "a.wav", Map.of()).statusCode(), "plain clients still upload");
        }
    }

    @Test
    void allowListedOriginsMayWriteAndReadAnswers() throws Exception {
        String tool = "https://tools.example.org";
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.ALLOWED_ORIGINS, tool + "/, http://other.example:8080"))) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            HttpResponse<String> up = g.send(HttpRequest.newBuilder(g.uri("/music")).header("Origin", tool)
                    .header("Sec-Fetch-Site", "cross-site").header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(wav)));
            assertEquals(200, up.statusCode(), up.body());
            assertEquals(tool, up.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            HttpResponse<String> preflight = g.send(HttpRequest.newBuilder(g.uri("/music/1")).header("Origin", tool)
                    .header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertEquals(204, preflight.statusCode(), preflight.body());
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
            assertError(g.send(HttpRequest.newBuilder(g.uri("/music/1")).header("Origin", EVIL).DELETE()), 403);
            assertEquals(200, g.send(HttpRequest.newBuilder(g.uri("/music/1")).header("Origin", "http://other.example:8080")
                    .DELETE()).statusCode());
            assertFalse(g.send(HttpRequest.newBuilder(g.uri("/music")).header("Origin", EVIL).GET()).headers()
                    .firstValue("Access-Control-Allow-Origin").isPresent(), "other origins cannot read the answers");
        }
    }
}
