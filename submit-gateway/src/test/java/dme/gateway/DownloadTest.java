package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.Stem;
import dme.core.audio.TestAudio;
import dme.core.format.SongState;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stems, mixes and originals with HTTP ranges; only layout names ever reach storage. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DownloadTest {
    @TempDir
    Path dir;

    private HttpResponse<byte[]> fetch(GatewayFixture g, String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(g.uri(path)).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return g.client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void rangesServeExactBytes() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 1.0, 440);
            long id = GatewayFixture.json(g.uploadRaw(wav, null)).get("music_id").asLong();
            new JobSimulator(g.storage, dir.resolve("job")).stemsAndMix(id, List.of(Stem.DRUMS, Stem.VOCALS), 0.5);
            byte[] stem = Files.readAllBytes(g.root.resolve("songs/" + id + "/stems/bass.wav"));
            String url = "/files/" + id + "/stems/bass.wav";

            HttpResponse<byte[]> full = fetch(g, url, null);
            assertEquals(200, full.statusCode());
            assertArrayEquals(stem, full.body());
            assertEquals("audio/wav", full.headers().firstValue("Content-Type").orElse(""));
            assertEquals("bytes", full.headers().firstValue("Accept-Ranges").orElse(""));
            assertEquals(String.valueOf(stem.length), full.headers().firstValue("Content-Length").orElse(""));

            HttpResponse<byte[]> mid = fetch(g, url, "bytes=100-1099");
            assertEquals(206, mid.statusCode());
            assertArrayEquals(Arrays.copyOfRange(stem, 100, 1100), mid.body());
            assertEquals("bytes 100-1099/" + stem.length, mid.headers().firstValue("Content-Range").orElse(""));

            HttpResponse<byte[]> open = fetch(g, url, "bytes=" + (stem.length - 10) + "-");
            assertEquals(206, open.statusCode());
            assertArrayEquals(Arrays.copyOfRange(stem, stem.length - 10, stem.length), open.body());

            HttpResponse<byte[]> suffix = fetch(g, url, "bytes=-44");
            assertEquals(206, suffix.statusCode());
            assertArrayEquals(Arrays.copyOfRange(stem, stem.length - 44, stem.length), suffix.body());

            HttpResponse<byte[]> pastEnd = fetch(g, url, "bytes=10-999999999");
            assertEquals(206, pastEnd.statusCode());
            assertArrayEquals(Arrays.copyOfRange(stem, 10, stem.length), pastEnd.body());

            for (String bad : List.of("bytes=" + stem.length + "-", "bytes=500-100", "bytes=abc", "bytes=-0")) {
                HttpResponse<String> r = g.send(HttpRequest.newBuilder(g.uri(url)).header("Range", bad).GET());
                assertError(r, 416);
                assertEquals("bytes */" + stem.length, r.headers().firstValue("Content-Range").orElse(""), bad);
            }
            // another unit or several ranges: the whole file
            assertEquals(200, fetch(g, url, "items=0-5").statusCode());
            assertEquals(200, fetch(g, url, "bytes=0-5,10-20").statusCode());

            HttpResponse<String> head = g.send(HttpRequest.newBuilder(g.uri(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(stem.length), head.headers().firstValue("Content-Length").orElse(""));

            HttpResponse<byte[]> mix = fetch(g, "/files/" + id + "/mixes/1-4.wav", "bytes=0-3");
            assertEquals(206, mix.statusCode());
            assertEquals("RIFF", new String(mix.body()));
            HttpResponse<byte[]> original = fetch(g, "/files/" + id + "/original", null);
            assertArrayEquals(Files.readAllBytes(wav), original.body());
            HttpResponse<byte[]> attachment = fetch(g, "/files/" + id + "/stems/drums.wav?download=1", null);
            assertTrue(attachment.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        }
    }

    @Test
    void onlyLayoutNamesAreServed() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 1.0, 440);
            long id = GatewayFixture.json(g.uploadRaw(wav, null)).get("music_id").asLong();
            new JobSimulator(g.storage, dir.resolve("job")).stemsAndMix(id, List.of(Stem.DRUMS), 0.5);
            Files.writeString(g.root.resolve("secret.txt"), "secret");
            for (String path : List.of(
                    "/files/" + id + "/stems/piano.wav", "/files/" + id + "/stems/drums.ogg",
                    "/files/" + id + "/stems/..%2f..%2f..%2fsecret.txt", "/files/" + id + "/stems/%2e%2e",
                    "/files/" + id + "/stems/drums.wav%00", "/files/" + id + "/mixes/4-1.wav",
                    "/files/" + id + "/mixes/1-1.wav", "/files/" + id + "/mixes/2.wav", "/files/" + id + "/mixes/..",
                    "/files/" + id + "/meta.json", "/files/%2e%2e/original", "/files/-1/original", "/files/0/original",
                    "/files/999/stems/drums.wav", "/files/" + id + "/../../secret.txt", "/secret.txt",
                    "/files/" + id + "/stems/.%2e/.%2e/secret.txt")) {
                HttpResponse<String> r = g.send(HttpRequest.newBuilder(g.uri(path)).GET());
                int code = r.statusCode();
                assertTrue(code == 404 || code == 400, path + " -> " + code + " " + r.body());
                assertError(r, code);
                assertTrue(!r.body().contains("secret\""), path);
            }
        }
    }

    @Test
    void archiveAndDownloadNamesKeepTheSongsLetters() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            Path wav = TestAudio.wav(dir.resolve("a.wav"), 1.0, 440);
            String query = "name=" + java.net.URLEncoder.encode("Título", java.nio.charset.StandardCharsets.UTF_8)
                    + "&band=Banda";
            long id = GatewayFixture.json(g.uploadRaw(wav, query)).get("music_id").asLong();
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            List<String> files = job.stemsAndMix(id, List.of(Stem.DRUMS, Stem.VOCALS), 0.5);
            assertError(g.get("/files/" + id + "/archive"), 404);
            assertTrue(GatewayFixture.json(g.get("/music/" + id)).get("archive").isNull(), "no archive before done");
            job.state(id, 1, SongState.DONE, 1, List.of(1, 4), files.subList(0, 4), "mix-1-4.wav", null);

            String archiveUrl = GatewayFixture.json(g.get("/music/" + id)).get("archive").asText();
            assertTrue(archiveUrl.endsWith("/files/" + id + "/archive"), archiveUrl);
            HttpResponse<byte[]> zip = g.client.send(HttpRequest.newBuilder(java.net.URI.create(archiveUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, zip.statusCode());
            assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
            String zipName = zip.headers().firstValue("Content-Disposition").orElse("");
            assertTrue(zipName.contains("filename*=UTF-8''T%C3%ADtulo%20%E2%80%93%20Banda%20%E2%80%93%20stems.zip"), zipName);
            java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()),
                    java.nio.charset.StandardCharsets.UTF_8)) {
                for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
            assertEquals(List.of("Título – Banda – drums.wav", "Título – Banda – bass.wav", "Título – Banda – other.wav",
                    "Título – Banda – vocals.wav", "Título – Banda – mix drums+vocals.wav"), List.copyOf(entries.keySet()));
            assertArrayEquals(Files.readAllBytes(g.root.resolve("songs/" + id + "/stems/vocals.wav")),
                    entries.get("Título – Banda – vocals.wav"));
            assertArrayEquals(Files.readAllBytes(g.root.resolve("songs/" + id + "/mix-1-4.wav")),
                    entries.get("Título – Banda – mix drums+vocals.wav"));

            String cd = fetch(g, "/files/" + id + "/stems/vocals.wav?download=1", null).headers()
                    .firstValue("Content-Disposition").orElse("");
            assertEquals("attachment; filename=\"Titulo - Banda - vocals.wav\"; "
                    + "filename*=UTF-8''T%C3%ADtulo%20%E2%80%93%20Banda%20%E2%80%93%20vocals.wav", cd);

            // a mix with gains is served under its own name; a key that is not canonical is not
            Files.copy(g.root.resolve("songs/" + id + "/mix-1-4.wav"), g.root.resolve("songs/" + id + "/mix-1-4x0.25.wav"));
            HttpResponse<byte[]> gained = fetch(g, "/files/" + id + "/mixes/1-4x0.25.wav?download=1", null);
            assertEquals(200, gained.statusCode());
            assertTrue(gained.headers().firstValue("Content-Disposition").orElse("").contains("mix%20drums+vocals%2025%25.wav"));
            for (String bad : List.of("1-4x1.wav", "1-4x0.250.wav", "1-4x2.wav", "4x0.25-1.wav")) {
                assertError(g.get("/files/" + id + "/mixes/" + bad), 404);
            }
        }
    }
}
