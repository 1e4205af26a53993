package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.audio.TestAudio;
import dme.core.format.SongState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A damaged record in storage fails only its own song, with a clear answer; the lists stay up. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DamagedRecordsTest {
    @TempDir
    Path dir;

    @Test
    void aCorruptMetaIsSkippedAndReportedNotFatalForTheList() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            long a = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            long b = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            long c = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            Path meta = g.root.resolve("songs/" + b + "/meta.json");
            Files.write(meta, java.util.Arrays.copyOf(Files.readAllBytes(meta), 40)); // truncated
            Files.writeString(g.root.resolve("songs/" + c + "/meta.json"), "{\"music_id\": 1, \"original_file\": \"original.wav\"}");

            HttpResponse<String> list = g.get("/music");
            assertEquals(200, list.statusCode(), list.body());
            JsonNode songs = json(list);
            assertEquals(1, songs.size(), list.body());
            assertEquals(a, songs.get(0).get("music_id").asLong());
            assertEquals(b + "," + c, list.headers().firstValue(Routes.DAMAGED_HEADER).orElse(""), "damaged songs are reported");

            String msg = assertError(g.get("/music/" + b), 500);
            assertTrue(msg.contains("song " + b) && msg.contains("damaged"), msg);
            assertTrue(assertError(g.get("/music/" + c), 500).contains("another song"));
            // a damaged song can still be removed
            assertEquals(200, g.delete("/music/" + b, null).statusCode());
            assertFalse(Files.exists(g.root.resolve("songs/" + b)));
            assertFalse(g.get("/music").headers().firstValue(Routes.DAMAGED_HEADER).orElse("").contains(b + ","));
        }
    }

    @Test
    void aTruncatedStatusOrChunkRecordGivesThatSongAClearAnswer() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 0.5, 440);
            long a = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            long b = json(g.uploadRaw(wav, null)).get("music_id").asLong();
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            for (long id : List.of(a, b)) {
                assertEquals(200, g.post("/music/" + id, "[1]", null).statusCode());
                job.state(id, 1, SongState.SEPARATING, 2, List.of(1), null, null, null);
                job.chunk(id, 1, 0, 2);
                job.chunk(id, 1, 1, 2);
            }
            // song a: its second chunk record is cut short; song b: its status record is
            Path chunk = g.root.resolve("status/" + a + "/chunks/1.json");
            Files.write(chunk, java.util.Arrays.copyOf(Files.readAllBytes(chunk), 25));
            Path status = g.root.resolve("status/" + b + "/song.json");
            Files.write(status, java.util.Arrays.copyOf(Files.readAllBytes(status), 30));

            HttpResponse<String> pa = g.get("/music/" + a);
            assertEquals(200, pa.statusCode(), pa.body());
            assertEquals(50, json(pa).get("progress").asInt(), "the damaged chunk does not count: " + pa.body());
            assertEquals(1, json(g.get("/music/" + a + "/jobs")).size());
            assertEquals(200, g.get("/job").statusCode());
            HttpResponse<String> damagedJob = g.get("/job/" + (a * 100_000 + 1));
            assertEquals(404, damagedJob.statusCode(), damagedJob.body());

            HttpResponse<String> pb = g.get("/music/" + b);
            assertEquals(200, pb.statusCode(), pb.body());
            assertEquals("failed", json(pb).get("state").asText());
            assertTrue(json(pb).get("error").asText().contains("status record is damaged"), pb.body());
            assertEquals(2, json(g.get("/music")).size());
            // a new request brings the song back to a sound state
            assertEquals(200, g.post("/music/" + b, "[2]", null).statusCode());
            assertEquals("queued", json(g.get("/music/" + b)).get("state").asText());
        }
    }
}
