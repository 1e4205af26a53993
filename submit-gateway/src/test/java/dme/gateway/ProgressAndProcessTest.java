package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.Stem;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** POST /music/{id} writes the protocol's files; GET /music/{id} reads what the job writes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProgressAndProcessTest {
    @TempDir
    Path dir;

    private long upload(GatewayFixture g) throws Exception {
        Path wav = TestAudio.wav(dir.resolve("song.wav"), 1.0, 440);
        return json(g.uploadRaw(wav, "name=Song")).get("music_id").asLong();
    }

    @Test
    void processWritesQueuedStatusThenRequestWithIncreasingSeq() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = upload(g);
            JsonNode idle = json(g.get("/music/" + id));
            assertEquals(0, idle.get("progress").asInt());
            assertEquals("idle", idle.get("state").asText());
            assertEquals(0, idle.get("instruments").size());
            assertTrue(idle.get("final").isNull());

            var r = g.post("/music/" + id, "[4, 1, 1]", null);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, json(r).get("request_seq").asLong());
            assertEquals(List.of(1, 4), List.of(json(r).get("tracks").get(0).asInt(), json(r).get("tracks").get(1).asInt()));

            ProcessRequest req = Json.read(Files.readAllBytes(g.root.resolve("requests/" + id + "-1.json")), ProcessRequest.class);
            assertEquals(id, req.musicId());
            assertEquals(1, req.seq());
            assertEquals(List.of(1, 4), req.tracks());
            assertEquals("wav", req.format());
            SongStatus st = Json.read(Files.readAllBytes(g.root.resolve("status/" + id + "/song.json")), SongStatus.class);
            assertEquals(SongState.QUEUED, st.state());
            assertEquals(1, st.requestSeq());

            JsonNode queued = json(g.get("/music/" + id));
            assertEquals("queued", queued.get("state").asText());
            assertEquals(0, queued.get("progress").asInt());

            var second = g.post("/music/" + id + "?format=flac", "[2]", null);
            assertEquals(2, json(second).get("request_seq").asLong());
            assertEquals("flac", Json.read(Files.readAllBytes(g.root.resolve("requests/" + id + "-2.json")),
                    ProcessRequest.class).format());
        }
    }

    @Test
    void invalidSelectionsAreRefusedWithoutWritingAnything() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = upload(g);
            for (String body : List.of("[]", "[5]", "[0]", "[-1]", "[1.5]", "[\"1\"]", "1",
                    "[null]", "[99999999999]", "[[1]]", "{}", "{\"tracks\":[]}", "{\"tracks\":[1],\"x\":1}",
                    "{\"tracks\":[1],\"gains\":{\"1\":1.6}}", "{\"tracks\":[1],\"gains\":{\"9\":1}}",
                    "{\"tracks\":[1],\"gains\":{\"1\":\"loud\"}}", "{\"tracks\":[1],\"gains\":[1]}",
                    "{\"tracks\":[1],\"bitrate\":999}", "{\"tracks\":[1],\"bitrate\":128.5}",
                    "{\"tracks\":[1],\"format\":\"ogg\"}", "{\"tracks\":[1],\"format\":3}",
                    "{\"tracks\":[1],\"two_stems\":\"voice\"}")) {
                String msg = assertError(g.post("/music/" + id, body, null), 405);
                assertFalse(msg.isBlank(), body);
            }
            // not exactly one JSON value: malformed syntax (400)
            for (String body : List.of("", "  ", "[1,", "[1]garbage", "[1] [2]", "[2,3]=", "[1]]", "[1]\u0000")) {
                String msg = assertError(g.post("/music/" + id, body, null), 400);
                assertFalse(msg.isBlank(), body);
            }
            assertError(g.post("/music/" + id, "[" + "1,".repeat(3000) + "1]", null), 405);
            assertError(g.post("/music/" + id + "?format=ogg", "[1]", null), 405);
            assertTrue(assertError(g.post("/music/" + id + "?format=wav", "{\"tracks\":[1],\"format\":\"mp3\"}", null), 405)
                    .contains("twice"));
            assertError(g.post("/music/999", "[1]", null), 404);
            assertFalse(Files.exists(g.root.resolve("requests")) && Files.list(g.root.resolve("requests")).findAny().isPresent());
            assertFalse(Files.exists(g.root.resolve("status/" + id)));
        }
    }

    @Test
    void anObjectBodyCarriesGainsFormatBitrateAndTwoStemMode() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = upload(g);
            var r = g.post("/music/" + id, "{\"tracks\": [4, 1], \"gains\": {\"4\": 0.25, \"1\": 1, \"2\": 0.5},"
                    + " \"format\": \"mp3\", \"bitrate\": 192, \"two_stems\": \"vocals\"}", null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode q = json(r);
            assertEquals(0.25, q.get("gains").get("4").asDouble());
            assertEquals(1, q.get("gains").size(), "only the gains that are not 1 of selected tracks are kept");
            ProcessRequest req = Json.read(Files.readAllBytes(g.root.resolve("requests/" + id + "-1.json")), ProcessRequest.class);
            assertEquals(List.of(1, 4), req.tracks());
            assertEquals("mp3", req.format());
            assertEquals(192, req.bitrate());
            assertEquals("vocals", req.twoStems());
            assertEquals("1-4x0.25", req.mix().key());
            // the format may come from the query as before
            assertEquals(200, g.post("/music/" + id + "?format=flac", "{\"tracks\": [2]}", null).statusCode());
            assertEquals("flac", Json.read(Files.readAllBytes(g.root.resolve("requests/" + id + "-2.json")), ProcessRequest.class).format());
        }
    }

    @Test
    void progressFollowsTheJobsFiles() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = upload(g);
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            assertEquals(200, g.post("/music/" + id, "[1,2]", null).statusCode());

            job.state(id, 1, SongState.SEPARATING, 4, List.of(1, 2), null, null, null);
            JsonNode p = json(g.get("/music/" + id));
            assertEquals("separating", p.get("state").asText());
            assertEquals(0, p.get("progress").asInt());
            assertEquals(4, p.get("total_chunks").asInt());

            job.chunk(id, 1, 0, 4);
            job.chunk(id, 1, 2, 4);
            p = json(g.get("/music/" + id));
            assertEquals(50, p.get("progress").asInt());
            assertEquals(2, p.get("chunks_done").asInt());

            job.chunk(id, 1, 1, 4);
            job.chunk(id, 1, 3, 4);
            assertEquals(99, json(g.get("/music/" + id)).get("progress").asInt(), "all chunks but not done yet: 99");

            List<String> files = job.stemsAndMix(id, List.of(Stem.DRUMS, Stem.BASS), 0.5);
            p = json(g.get("/music/" + id));
            assertEquals(4, p.get("instruments").size(), "stems appear as soon as their files exist");
            assertTrue(p.get("final").isNull());
            job.state(id, 1, SongState.DONE, 4, List.of(1, 2), files.subList(0, 4), "mix-1-2.wav", null);

            p = json(g.get("/music/" + id));
            assertEquals(100, p.get("progress").asInt());
            assertEquals("done", p.get("state").asText());
            String base = "http://127.0.0.1:" + g.gateway.port() + "/files/" + id;
            assertEquals(base + "/mixes/1-2.wav", p.get("final").asText());
            String[] names = {"drums", "bass", "other", "vocals"};
            for (int i = 0; i < 4; i++) {
                JsonNode in = p.get("instruments").get(i);
                assertEquals(names[i], in.get("name").asText());
                assertEquals(base + "/stems/" + names[i] + ".wav", in.get("track").asText());
                assertEquals(i + 1, in.get("track_id").asInt());
            }
            // the URLs work
            assertEquals(200, g.get("/files/" + id + "/mixes/1-2.wav").statusCode());
            assertEquals(200, g.get("/files/" + id + "/stems/vocals.wav").statusCode());

            // a new selection: its request is queued, so the old DONE no longer counts as 100
            assertEquals(200, g.post("/music/" + id, "[3]", null).statusCode());
            p = json(g.get("/music/" + id));
            assertEquals(0, p.get("progress").asInt());
            assertEquals("queued", p.get("state").asText());
            assertTrue(p.get("final").isNull());
            assertEquals(4, p.get("instruments").size(), "existing stems stay downloadable");
            // the job remixes without separating: MIXING, then DONE
            job.state(id, 2, SongState.MIXING, 4, List.of(3), null, null, null);
            assertEquals(99, json(g.get("/music/" + id)).get("progress").asInt());
            job.state(id, 2, SongState.DONE, 4, List.of(3), files.subList(0, 4), "mix-3.wav", null);
            assertEquals(100, json(g.get("/music/" + id)).get("progress").asInt());
            assertTrue(json(g.get("/music/" + id)).get("final").asText().endsWith("/mixes/3.wav"));
        }
    }

    @Test
    void aStaleDoneDoesNotCountWhenANewerRequestFileExists() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = upload(g);
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            g.post("/music/" + id, "[1]", null);
            g.post("/music/" + id, "[2]", null);
            // the job finishes request 1 after the gateway queued request 2
            job.state(id, 1, SongState.DONE, 1, List.of(1), List.of(), "mix-1.wav", null);
            JsonNode p = json(g.get("/music/" + id));
            assertEquals(0, p.get("progress").asInt());
            assertEquals("queued", p.get("state").asText());
            assertEquals(2, p.get("request_seq").asLong());
        }
    }

    @Test
    void failuresAreReportedWithTheirMessage() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long id = upload(g);
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            g.post("/music/" + id, "[1]", null);
            job.state(id, 1, SongState.SEPARATING, 4, List.of(1), null, null, null);
            job.chunk(id, 1, 0, 4);
            job.state(id, 1, SongState.FAILED, 4, List.of(1), null, null, "separation failed: out of memory");
            JsonNode p = json(g.get("/music/" + id));
            assertEquals("failed", p.get("state").asText());
            assertEquals("separation failed: out of memory", p.get("error").asText());
            assertEquals(25, p.get("progress").asInt());
        }
    }

    @Test
    void badIdsAreUnknown() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            upload(g);
            for (String id : List.of("0", "-1", "abc", "1.0", "99999999999999999999", "9223372036854775807", "%2e%2e",
                    "..%2f..%2fetc", "1%00", "+1", "%20%31")) {
                var r = g.get("/music/" + id);
                int code = r.statusCode();
                assertTrue(code == 404 || code == 400, id + " -> " + code);
                assertError(r, code);
                assertError(g.post("/music/" + id, "[1]", null), code);
                assertError(g.delete("/music/" + id, null), code);
            }
            assertError(g.get("/music/2"), 404);
        }
    }

    @Test
    void deleteRemovesOneSongAndResetRemovesAll() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            long a = upload(g);
            long b = upload(g);
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            g.post("/music/" + a, "[1]", null);
            g.post("/music/" + b, "[1]", null);
            job.state(a, 1, SongState.SEPARATING, 2, List.of(1), null, null, null);
            job.chunk(a, 1, 0, 2);

            var d = g.delete("/music/" + a, null);
            assertEquals(200, d.statusCode(), d.body());
            assertError(g.get("/music/" + a), 404);
            assertError(g.delete("/music/" + a, null), 404);
            assertFalse(Files.exists(g.root.resolve("songs/" + a)));
            assertFalse(Files.exists(g.root.resolve("status/" + a)));
            assertFalse(Files.exists(g.root.resolve("requests/" + a + "-1.json")));
            assertTrue(Files.exists(g.root.resolve("requests/" + b + "-1.json")));
            assertEquals(1, json(g.get("/music")).size());
            assertEquals(0, json(g.get("/job")).size());

            var r = g.post("/reset", "", null);
            assertEquals(200, r.statusCode(), r.body());
            long resetAt = json(r).get("reset_at").asLong();
            assertEquals(0, json(g.get("/music")).size());
            assertFalse(Files.exists(g.root.resolve("songs")));
            assertFalse(Files.exists(g.root.resolve("status")));
            assertTrue(Files.exists(g.root.resolve("requests")), "the stream's input folder is recreated");
            assertEquals(0, Files.list(g.root.resolve("requests")).filter(p -> !p.getFileName().toString().startsWith(".")).count());
            JsonNode marker = Json.mapper().readTree(Files.readAllBytes(g.root.resolve("control/reset.json")));
            assertEquals(resetAt, marker.get("reset_at").asLong());
            assertTrue(Files.exists(g.root.resolve("ids/" + b)), "ids are kept so they are never reused");

            // a second reset in the same millisecond still writes a newer marker
            long again = json(g.post("/reset", "", null)).get("reset_at").asLong();
            assertTrue(again > resetAt);
            assertEquals(3, upload(g), "ids are never reused after a reset");
        }
    }
}
