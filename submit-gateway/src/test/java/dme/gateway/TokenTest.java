package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens on the write and admin endpoints: missing, wrong and right. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TokenTest {
    @TempDir
    Path dir;

    @Test
    void writeAndAdminTokensAreEnforced() throws Exception {
        Map<String, String> tokens = Map.of(DmeConfig.WRITE_TOKEN, "w-secret", DmeConfig.ADMIN_TOKEN, "a-secret");
        try (GatewayFixture g = new GatewayFixture(dir, tokens)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            long id = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            String path = "/music/" + id;

            assertError(g.post(path, "[1]", null), 401);
            assertError(g.post(path, "[1]", "wrong"), 401);
            assertError(g.post(path, "[1]", "w-secre"), 401);
            var noBearer = g.send(HttpRequest.newBuilder(g.uri(path)).header("Authorization", "Basic dzp3")
                    .POST(HttpRequest.BodyPublishers.ofString("[1]")));
            assertError(noBearer, 401);
            assertEquals("Bearer realm=\"dme\"", noBearer.headers().firstValue("WWW-Authenticate").orElse(""));
            assertFalse(Files.exists(g.root.resolve("requests")), "refused requests write nothing");
            assertEquals(200, g.post(path, "[1]", "w-secret").statusCode());
            assertEquals(200, g.post(path, "[2]", "a-secret").statusCode(), "the admin token may write too");
            // the token is checked before anything else: an unknown song without a token is still 401
            assertError(g.post("/music/999", "[1]", null), 401);

            assertError(g.post("/reset", "", null), 401);
            assertError(g.post("/reset", "", "w-secret"), 401);
            assertTrue(Files.exists(g.root.resolve("songs/" + id)));

            assertError(g.delete(path, null), 401);
            assertError(g.delete(path, "nope"), 401);
            assertEquals(200, g.delete(path, "w-secret").statusCode());

            assertEquals(200, g.post("/reset", "", "a-secret").statusCode());
            assertTrue(Files.exists(g.root.resolve("control/reset.json")));

            // reads stay open; the page learns that tokens are needed
            assertEquals(200, g.get("/music").statusCode());
            assertTrue(json(g.get("/info")).get("write_token_required").asBoolean());
        }
    }

    @Test
    void adminTokenAloneProtectsWritesToo() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.ADMIN_TOKEN, "only-admin"))) {
            long id = json(g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 0.5, 440), null)).get("music_id").asLong();
            String msg = assertError(g.post("/music/" + id, "[1]", null), 401);
            assertTrue(msg.contains("<admin token>") && !msg.contains("write token"), "names the token that is set: " + msg);
            assertEquals(200, g.post("/music/" + id, "[1]", "only-admin").statusCode());
            assertError(g.post("/reset", "", null), 401);
            assertEquals(200, g.post("/reset", "", "Only-admin".toLowerCase()).statusCode());
        }
    }

    @Test
    void noTokensMeansOpen() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            assertEquals(200, g.post("/reset", "", null).statusCode());
            assertFalse(json(g.get("/info")).get("admin_token_required").asBoolean());
        }
    }
}
