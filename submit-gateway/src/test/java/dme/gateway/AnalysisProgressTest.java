package dme.gateway;

import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.SongAnalysis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** GET /music/{id} shows the tempo and key the job stored with the stems, and shrugs off bad records. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnalysisProgressTest {
    @TempDir
    Path dir;

    @Test
    void tempoAndKeyAppearOnceAnalysedAndBadRecordsShowNothing() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("song.wav"), 1.0, 440);
            long id = json(g.uploadRaw(wav, "name=Song")).get("music_id").asLong();
            JsonNode before = json(g.get("/music/" + id));
            assertTrue(before.get("tempo_bpm").isNull());
            assertTrue(before.get("key").isNull());

            var analysis = g.storage.layout().analysis(id);
            g.storage.writeAtomically(analysis, Json.bytes(new SongAnalysis(123.45, List.of(0.5, 0.99), "F# minor")));
            JsonNode after = json(g.get("/music/" + id));
            assertEquals(123.45, after.get("tempo_bpm").asDouble());
            assertEquals("F# minor", after.get("key").asText());
            assertTrue(after.get("tempo_bpm").isNumber());

            g.storage.writeAtomically(analysis, "{\"tempo_bpm\": 1e9, \"key\": \"<img src=x onerror=alert(1)>\"}".getBytes(StandardCharsets.UTF_8));
            var r = g.get("/music/" + id);
            assertEquals(200, r.statusCode());
            assertTrue(json(r).get("tempo_bpm").isNull());
            assertTrue(json(r).get("key").isNull());

            g.storage.writeAtomically(analysis, "not json at all".getBytes(StandardCharsets.UTF_8));
            r = g.get("/music/" + id);
            assertEquals(200, r.statusCode(), "a bad analysis record fails nothing");
            assertTrue(json(r).get("key").isNull());
        }
    }
}
