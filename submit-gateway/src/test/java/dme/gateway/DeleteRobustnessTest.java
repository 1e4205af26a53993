package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.audio.TestAudio;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DELETE under a storage fault and racing process requests: never a 500 after deleting, nothing left behind. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeleteRobustnessTest {
    @TempDir
    Path dir;

    @Test
    void aDeleteCutShortByAStorageFaultSaysSoAndTheSameDeleteFinishesIt() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = json(g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 0.5, 440), null)).get("music_id").asLong();
            assertEquals(200, g.post("/music/" + id, "[1]", null).statusCode());
            GatewayFixture.blockAtomicWrites(g.root);

            HttpResponse<String> cut = g.delete("/music/" + id, null);
            String msg = assertError(cut, 503);
            assertTrue(msg.contains("partly deleted") && msg.contains("again"), msg);
            assertTrue(cut.headers().firstValue("Retry-After").isPresent());
            assertError(g.get("/music/" + id), 404); // gone for the user at once
            assertEquals(0, json(g.get("/music")).size());

            GatewayFixture.unblockAtomicWrites(g.root);
            HttpResponse<String> retry = g.delete("/music/" + id, null);
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(List.of(), traces(g, id));
            assertTrue(Files.exists(g.root.resolve("control/reset.json")), "the job is told to drop the song's rows");
            assertError(g.delete("/music/" + id, null), 404);
        }
    }

    @Test
    void aDeleteRacingProcessRequestsLeavesNothingBehind() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.3, 440);
            for (int round = 0; round < 8; round++) {
                long id = json(g.uploadRaw(wav, null)).get("music_id").asLong();
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(g.client.sendAsync(HttpRequest.newBuilder(g.uri("/music/" + id))
                            .POST(HttpRequest.BodyPublishers.ofString("[" + (1 + i % 4) + "]")).build(),
                            HttpResponse.BodyHandlers.ofString()));
                    if (i == 1) {
                        calls.add(g.client.sendAsync(HttpRequest.newBuilder(g.uri("/music/" + id)).DELETE().build(),
                                HttpResponse.BodyHandlers.ofString()));
                    }
                }
                for (CompletableFuture<HttpResponse<String>> c : calls) {
                    int code = c.get(30, TimeUnit.SECONDS).statusCode();
                    assertTrue(code == 200 || code == 404, "round " + round + ": " + code + " " + c.get().body());
                }
                assertEquals(List.of(), traces(g, id), "round " + round);
            }
        }
    }

    /** Whatever storage still holds of the song (its id marker aside). */
    private static List<String> traces(GatewayFixture g, long id) throws Exception {
        List<String> left = new ArrayList<>();
        for (String f : g.storedFiles()) {
            if (f.startsWith("songs/" + id + "/") || f.startsWith("status/" + id + "/") || f.startsWith("requests/" + id + "-")
                    || f.equals("stats/gantt-" + id + ".png")) {
                left.add(f);
            }
        }
        try (Stream<Path> s = Files.list(g.root)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("songs" + id)));
        }
        return left;
    }
}
