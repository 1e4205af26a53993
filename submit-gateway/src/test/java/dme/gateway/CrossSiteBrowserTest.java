package dme.gateway;

import static dme.gateway.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A page of another site, opened in a real headless Chromium, attacks the gateway the way a
 * stranger's web page would: an auto-submitted form {@code POST /reset}, a no-cors multipart
 * {@code POST /music}, a no-cors text/plain process request and a text/plain form whose body is
 * {@code [2,3]=}. Nothing may be deleted, created or queued. The same page from an origin on the
 * allow-list does all of it, which shows that the attack really reaches the gateway.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrossSiteBrowserTest {
    @TempDir
    Path dir;

    private HttpServer otherSite;
    private ChromeDriver driver;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(TestBrowser.available(), TestBrowser.MISSING);
        otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherSite.start();
        driver = TestBrowser.start(dir.resolve("chrome-profile"));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (otherSite != null) {
            otherSite.stop(0);
        }
    }

    /** The attacking page's origin: "localhost" is another site than the gateway's 127.0.0.1. */
    private String otherOrigin() {
        return "http://localhost:" + otherSite.getAddress().getPort();
    }

    @Test
    void aPageOfAnotherSiteCannotResetUploadOrQueue() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir.resolve("gw"))) {
            seedTwoSongs(g);
            List<String> before = g.storedFiles();
            attack(g);
            assertEquals(before, g.storedFiles(), "nothing deleted, created or queued");
            assertEquals(2, json(g.get("/music")).size());
        }
    }

    @Test
    void theSamePageFromAnAllowedOriginDoesItAll() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir.resolve("gw"), Map.of(DmeConfig.ALLOWED_ORIGINS, otherOrigin()))) {
            seedTwoSongs(g);
            attack(g);
            JsonNode songs = json(g.get("/music"));
            assertEquals(1, songs.size(), "the reset removed songs 1 and 2, the upload added one: " + songs);
            assertEquals(3, songs.get(0).get("music_id").asLong());
            assertEquals("planted", songs.get(0).get("name").asText());
            assertTrue(Files.exists(g.root.resolve("requests/3-1.json")), "the no-cors text/plain [2,3] was queued");
            assertFalse(Files.exists(g.root.resolve("requests/3-2.json")), "the form body [2,3]= is not JSON");
        }
    }

    private void seedTwoSongs(GatewayFixture g) throws Exception {
        Path wav = TestAudio.wav(dir.resolve("seed.wav"), 0.3, 440);
        assertEquals(200, g.uploadRaw(wav, null).statusCode());
        assertEquals(200, g.uploadRaw(wav, null).statusCode());
    }

    /** Serves the attacking page on the other site, opens it and waits until it has done everything. */
    private void attack(GatewayFixture g) throws Exception {
        byte[] wav = Files.readAllBytes(TestAudio.wav(dir.resolve("planted.wav"), 0.3, 330));
        String target = "http://127.0.0.1:" + g.gateway.port();
        String page = """
                <!doctype html><html><head><title>cat pictures</title></head><body>
                <iframe name="sink1" id="sink1"></iframe><iframe name="sink2" id="sink2"></iframe>
                <form id="reset" method="POST" action="TARGET/reset" target="sink1"><input name="x" value="1"></form>
                <form id="queue" method="POST" action="TARGET/music/3" target="sink2" enctype="text/plain"><input name="[2,3]" value=""></form>
                <script>
                function submitAndWait(form, frame) {
                  return new Promise(done => {
                    document.getElementById(frame).onload = () => done();
                    document.getElementById(form).submit();
                  });
                }
                (async () => {
                  const log = [];
                  await submitAndWait('reset', 'sink1');
                  log.push('reset');
                  const wav = await (await fetch('/planted.wav')).blob();
                  const fd = new FormData();
                  fd.append('file', wav, 'planted.wav');
                  fd.append('name', 'planted');
                  try { await fetch('TARGET/music', {method: 'POST', mode: 'no-cors', body: fd}); log.push('upload'); }
                  catch (e) { log.push('upload failed ' + e); }
                  try { await fetch('TARGET/music/3', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '[2,3]'}); log.push('queue'); }
                  catch (e) { log.push('queue failed ' + e); }
                  await submitAndWait('queue', 'sink2');
                  log.push('form');
                  document.title = 'done: ' + log.join(', ');
                })();
                </script></body></html>
                """.replace("TARGET", target);
        serve("/evil.html", "text/html", page.getBytes(StandardCharsets.UTF_8));
        serve("/planted.wav", "audio/wav", wav);
        driver.get(otherOrigin() + "/evil.html");
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.getTitle().startsWith("done"));
        assertEquals("done: reset, upload, queue, form", driver.getTitle(), "the page sent every request");
    }

    private void serve(String path, String type, byte[] body) {
        otherSite.createContext(path, ex -> {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
    }
}
