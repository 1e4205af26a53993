package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.Stem;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import dme.core.format.SongState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium, driven through the system chromedriver: upload through the
 * file input, escaped names, stem selection and Process, then the job's output (written to storage
 * the way the job writes it) shown as progress, players, download links and the job table.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PageBrowserTest {
    static final String NASTY_NAME = "<script>alert('x')</script><b>Bold</b> & \"quotes\"";
    static final String NASTY_BAND = "The <i>Escapes</i>";

    @TempDir
    Path dir;

    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        Assumptions.assumeTrue(TestBrowser.available(), TestBrowser.MISSING);
        driver = TestBrowser.start(dir.resolve("chrome-profile"));
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private WebElement song(long id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article[data-music-id='" + id + "']")));
    }

    private WebElement in(WebElement root, String role) {
        return root.findElement(By.cssSelector("[data-role='" + role + "']"));
    }

    @Test
    void uploadProcessAndFollowTheJobInTheBrowser() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir.resolve("gw"))) {
            // 2.99998 s: shown as 0:03, not 0:02
            Path wav = TestAudio.wav(dir.resolve("First Song.wav"), 2.99998, 220, 330, 440);
            driver.get("http://127.0.0.1:" + g.gateway.port() + "/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty-state")));
            driver.executeScript("performance.setResourceTimingBufferSize(10000)");
            assertFalse(driver.findElement(By.id("token-button")).isDisplayed(), "no token is needed: no token button");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("limits-hint"), "MB"));

            // a file that is not audio: a clear message, nothing stored
            Path notAudio = Files.writeString(dir.resolve("notes.mp3"), "not audio\n".repeat(100));
            driver.findElement(By.id("file-input")).sendKeys(notAudio.toString());
            driver.findElement(By.id("upload-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-message"), "Upload refused"));
            assertTrue(driver.findElement(By.id("upload-message")).getText().contains("not a decodable audio file"));
            assertEquals(List.of(), g.storedFiles());

            // a real upload with a hostile name
            driver.findElement(By.id("file-input")).sendKeys(wav.toString());
            driver.findElement(By.id("upload-name")).sendKeys(NASTY_NAME);
            driver.findElement(By.id("upload-band")).sendKeys(NASTY_BAND);
            driver.findElement(By.id("upload-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-message"), "Added"));
            WebElement card = song(1);
            driver.executeScript("performance.clearResourceTimings()"); // the refused upload above answered 405
            assertEquals(NASTY_NAME, in(card, "name").getText(), "the name shows as text");
            assertTrue(in(card, "meta").getText().startsWith("0:03 "), in(card, "meta").getText());
            assertEquals(NASTY_BAND, in(card, "band").getText());
            assertTrue(card.findElements(By.cssSelector("[data-role='name'] b, [data-role='band'] i, script:not([src])")).isEmpty(),
                    "user text never becomes markup");
            assertTrue(driver.findElements(By.cssSelector("script:not([src])")).isEmpty());
            assertNoAlert();
            assertEquals("100%", ((JavascriptExecutor) driver).executeScript(
                    "return document.getElementById('upload-progress').style.width"), "the upload bar reached the end");
            int cardTop = card.getLocation().getY();
            wait.until(ExpectedConditions.attributeContains(By.id("upload-progress-wrap"), "class", "settled"));
            assertEquals(cardTop, card.getLocation().getY(), "the finished upload bar fades out in place: the song under the pointer stays put");

            // pick drums and bass, process
            wait.until(d -> "idle".equals(card.getAttribute("data-state")));
            card.findElement(By.cssSelector("[data-stem='other'] input")).click();
            card.findElement(By.cssSelector("[data-stem='vocals'] input")).click();
            WebElement process = card.findElement(By.cssSelector("[data-action='process']"));
            assertEquals("Separate & mix 2 stems", process.getText());
            process.click();
            Path request = g.root.resolve("requests/1-1.json");
            wait.until(d -> Files.exists(request));
            assertEquals(List.of(1, 2), Json.read(Files.readAllBytes(request), ProcessRequest.class).tracks());
            wait.until(d -> "queued".equals(card.getAttribute("data-state")));

            // the job at work: 2 of 4 chunks
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            job.state(1, 1, SongState.SEPARATING, 4, List.of(1, 2), null, null, null);
            job.chunk(1, 1, 0, 4);
            job.chunk(1, 1, 1, 4);
            wait.until(ExpectedConditions.textToBePresentInElement(in(card, "progress-text"), "50 %"));
            assertEquals("Separating", in(card, "state").getAttribute("textContent"));
            screenshot("page-processing.png");

            // done: stems, mix, 100 %
            job.chunk(1, 1, 2, 4);
            job.chunk(1, 1, 3, 4);
            List<String> files = job.stemsAndMix(1, List.of(Stem.DRUMS, Stem.BASS), 2.0);
            job.state(1, 1, SongState.DONE, 4, List.of(1, 2), files.subList(0, 4), "mix-1-2.wav", null);
            wait.until(ExpectedConditions.textToBePresentInElement(in(card, "progress-text"), "100 %"));
            assertEquals("Ready", in(card, "state").getAttribute("textContent"));
            for (Stem s : Stem.values()) {
                WebElement link = card.findElement(By.cssSelector("a[data-role='download'][data-stem='" + s.id() + "']"));
                assertTrue(link.getAttribute("href").endsWith("/files/1/stems/" + s.id() + ".wav?download=1"));
            }
            assertTrue(card.findElements(By.cssSelector("[data-role='stem-rows'] audio")).isEmpty(), "one mixer, no per-stem players");
            WebElement finalLink = in(card, "final-download");
            wait.until(ExpectedConditions.visibilityOf(finalLink));
            assertTrue(finalLink.getAttribute("href").contains("/files/1/mixes/1-2.wav"));
            assertTrue(in(card, "archive").getAttribute("href").endsWith("/files/1/archive"));
            assertEquals("· Drums + Bass", in(card, "final-tracks").getAttribute("textContent"));

            // the mixer starts from the selection: drums and bass at 100 %, the others muted
            assertEquals(Map.of("drums", "1", "bass", "1", "other", "0", "vocals", "0"), mixerGains(card));
            assertEquals("true", button(card, "mute", "vocals").getAttribute("aria-pressed"));

            // the job table and the charts, drawn in the page from the jobs JSON (no pictures fetched)
            card.findElement(By.cssSelector("[data-role='jobs-details'] summary")).click();
            wait.until(d -> card.findElements(By.cssSelector("[data-role='jobs'] tbody tr[data-job-id]")).size() == 4);
            assertTrue(in(card, "jobs-summary").getText().contains("4 chunks"));
            wait.until(d -> card.findElements(By.cssSelector("svg[data-chart='gantt'] rect.bar")).size() == 4);
            List<WebElement> bins = card.findElements(By.cssSelector("svg[data-chart='histogram'] rect.hbar"));
            assertFalse(bins.isEmpty());
            assertEquals(2, card.findElements(By.cssSelector("svg[data-chart='gantt'] > text")).stream()
                    .filter(t -> t.getAttribute("textContent").startsWith("executor-")).count(), "one row per executor");
            // the histogram's ticks are round numbers
            for (WebElement t : card.findElements(By.cssSelector("svg[data-chart='histogram'] > text"))) {
                String label = t.getAttribute("textContent");
                if (label.endsWith("ms")) {
                    int v = Integer.parseInt(label.replace(" ms", ""));
                    assertEquals(0, v % 5, "tick " + label);
                }
            }

            // set levels, mute, solo; play in sync; render exactly those gains as MP3 at 192 kbps
            setGain(card, "drums", 150);
            setGain(card, "bass", 40);
            button(card, "mute", "vocals").click();
            setGain(card, "vocals", 25);
            button(card, "solo", "bass").click();
            assertEquals(Map.of("drums", "0", "bass", "0.4", "other", "0", "vocals", "0"), mixerGains(card), "solo wins");
            button(card, "solo", "bass").click();
            assertEquals(Map.of("drums", "1.5", "bass", "0.4", "other", "0", "vocals", "0.25"), mixerGains(card));
            card.findElement(By.cssSelector("[data-action='mix-play']")).click();
            wait.until(d -> "playing".equals(card.getAttribute("data-mixing")));
            card.findElement(By.cssSelector("[data-action='mix-stop']")).click();
            new org.openqa.selenium.support.ui.Select(in(card, "format")).selectByValue("mp3");
            assertTrue(in(card, "bitrate").isDisplayed(), "the bit rate is offered for MP3");
            new org.openqa.selenium.support.ui.Select(in(card, "bitrate")).selectByValue("192");
            card.findElement(By.cssSelector("[data-action='mix-render']")).click();
            Path second = g.root.resolve("requests/1-2.json");
            wait.until(d -> Files.exists(second));
            ProcessRequest rendered = Json.read(Files.readAllBytes(second), ProcessRequest.class);
            assertEquals(List.of(1, 2, 4), rendered.tracks());
            assertEquals(1.5, rendered.mix().gain(Stem.DRUMS), 1e-9);
            assertEquals(0.4, rendered.mix().gain(Stem.BASS), 1e-9);
            assertEquals(0.25, rendered.mix().gain(Stem.VOCALS), 1e-9);
            assertEquals(0.0, rendered.mix().gain(Stem.OTHER), 1e-9);
            assertEquals("mp3", rendered.format());
            assertEquals(192, rendered.bitrate());
            assertEquals("1x1.5-2x0.4-4x0.25", rendered.mix().key());
            wait.until(d -> "queued".equals(card.getAttribute("data-state")));
            // the remix completes without new chunks; after a reload the mixer shows the rendered levels
            job.state(1, 2, SongState.DONE, 4, List.of(1, 2, 4), files.subList(0, 4), "mix-1x1.5-2x0.4-4x0.25.mp3", null);
            Files.copy(g.root.resolve("songs/1/mix-1-2.wav"), g.root.resolve("songs/1/mix-1x1.5-2x0.4-4x0.25.mp3"));
            wait.until(ExpectedConditions.textToBePresentInElement(in(card, "progress-text"), "100 %"));
            wait.until(d -> in(card, "final-download").getAttribute("href").contains("/mixes/1x1.5-2x0.4-4x0.25.mp3"));
            assertEquals(Map.of("drums", "1.5", "bass", "0.4", "other", "0", "vocals", "0.25"), mixerGains(card),
                    "the levels stay as rendered");
            assertNoFailedOrPictureRequests();
            driver.navigate().refresh();
            WebElement reloaded = song(1);
            wait.until(d -> "done".equals(reloaded.getAttribute("data-state")));
            wait.until(d -> mixerGains(reloaded).size() == 4);
            assertEquals(Map.of("drums", "1.5", "bass", "0.4", "other", "0", "vocals", "0.25"), mixerGains(reloaded),
                    "after a reload the mixer starts from the rendered selection");
            assertEquals("mp3", new org.openqa.selenium.support.ui.Select(in(reloaded, "format")).getFirstSelectedOption()
                    .getAttribute("value"));
            driver.executeScript("performance.setResourceTimingBufferSize(10000)");
            WebElement card2 = reloaded;

            // a second song appears at the top of the list
            driver.findElement(By.id("file-input")).sendKeys(TestAudio.wav(dir.resolve("Second.wav"), 1.0, 660).toString());
            driver.findElement(By.id("upload-button")).click();
            WebElement two = song(2);
            assertEquals("Second", in(two, "name").getText());
            assertEquals("2", driver.findElement(By.cssSelector("#songs > article")).getAttribute("data-music-id"));
            card2.findElement(By.cssSelector("[data-role='jobs-details'] summary")).click();
            wait.until(d -> card2.findElements(By.cssSelector("svg[data-chart='gantt'] rect.bar")).size() == 4);
            assertNoFailedOrPictureRequests();

            // the API link opens a readable page
            assertEquals("/api", driver.findElement(By.id("api-link")).getAttribute("pathname"));

            screenshot("page-light.png");
            driver.executeCdpCommand("Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
            Thread.sleep(400); // let the colour transitions finish before the picture
            screenshot("page-dark.png");
        }
    }

    @Test
    void aFailedActionIsRetriedAfterTheTokenIsEntered() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir.resolve("gw"), Map.of(dme.core.DmeConfig.WRITE_TOKEN, "w-secret"))) {
            long id = GatewayFixture.json(g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 1.0, 440), null)).get("music_id").asLong();
            driver.get("http://127.0.0.1:" + g.gateway.port() + "/");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-button")));
            WebElement card = song(id);
            wait.until(d -> "idle".equals(card.getAttribute("data-state")));
            card.findElement(By.cssSelector("[data-action='process']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
            assertTrue(driver.findElement(By.id("token-explain")).getText().contains("<write token>"),
                    driver.findElement(By.id("token-explain")).getText());
            assertFalse(Files.exists(g.root.resolve("requests/" + id + "-1.json")));
            driver.findElement(By.id("token-input")).sendKeys("w-secret");
            driver.findElement(By.id("token-save")).click();
            Path request = g.root.resolve("requests/" + id + "-1.json");
            wait.until(d -> Files.exists(request));
            assertEquals(List.of(1, 2, 3, 4), Json.read(Files.readAllBytes(request), ProcessRequest.class).tracks());

            driver.get("http://127.0.0.1:" + g.gateway.port() + "/api");
            assertTrue(driver.getTitle().contains("API"), driver.getTitle());
            assertTrue(driver.findElements(By.cssSelector("section.op")).size() > 15, "every operation has a section");
        }
    }

    /** The gain each mixer row contributes, as the page computes it (level, mute, solo). */
    private Map<String, String> mixerGains(WebElement card) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (WebElement row : card.findElements(By.cssSelector("[data-role='stem-row']"))) {
            out.put(row.getAttribute("data-row"), row.getAttribute("data-gain"));
        }
        return out;
    }

    private WebElement button(WebElement card, String role, String stem) {
        return card.findElement(By.cssSelector("button[data-role='" + role + "'][data-stem='" + stem + "']"));
    }

    /** Nothing the page fetched failed, and it never asked for the job's PNGs. */
    private void assertNoFailedOrPictureRequests() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => ({name: e.name, status: e.responseStatus || 0}))");
        assertTrue(entries.size() > 3, "the page made requests: " + entries);
        for (Map<String, Object> e : entries) {
            assertFalse(String.valueOf(e.get("name")).contains("/stats/"), "a picture was fetched: " + e);
            assertTrue(((Number) e.get("status")).intValue() < 400, "a request failed: " + e);
        }
    }

    @Test
    void practiceControlsShowTempoAndKeyAndShapeThePreview() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir.resolve("gw"))) {
            g.uploadRaw(TestAudio.wav(dir.resolve("Practice.wav"), 2.0, 220, 330), "name=Practice");
            JobSimulator job = new JobSimulator(g.storage, dir.resolve("job"));
            List<String> files = job.stemsAndMix(1, List.of(Stem.DRUMS, Stem.BASS), 2.0);
            job.state(1, 1, SongState.DONE, 1, List.of(1, 2), files.subList(0, 4), "mix-1-2.wav", null);
            g.storage.writeAtomically(g.storage.layout().analysis(1),
                    Json.bytes(new dme.core.format.SongAnalysis(119.6, List.of(0.5, 1.0), "F# minor")));
            driver.get("http://127.0.0.1:" + g.gateway.port() + "/");
            WebElement card = song(1);
            wait.until(ExpectedConditions.textToBePresentInElement(in(card, "analysis"), "120 BPM · F# minor"));

            setRange(card, "speed", 80);
            setRange(card, "transpose", -2);
            assertEquals("80 %", in(card, "speed-text").getText());
            assertEquals("-2 st", in(card, "transpose-text").getText());
            card.findElement(By.cssSelector("[data-action='mix-play']")).click();
            wait.until(d -> "playing".equals(card.getAttribute("data-mixing")));
            assertEquals(0.8, Double.parseDouble(card.getAttribute("data-preview-rate")), 1e-6, "the speed slider drives the sources");
            assertEquals(-200, Double.parseDouble(card.getAttribute("data-preview-detune")), 1e-6, "transposition in cents");
            setRange(card, "speed", 110);
            assertEquals(1.1, Double.parseDouble(card.getAttribute("data-preview-rate")), 1e-6, "changed while playing");

            // an A-B loop: the preview stays inside it
            card.findElement(By.cssSelector("[data-action='loop-a']")).click();
            Thread.sleep(600);
            card.findElement(By.cssSelector("[data-action='loop-b']")).click();
            wait.until(d -> !card.getAttribute("data-loop").isEmpty());
            String[] loop = card.getAttribute("data-loop").split("-");
            double a = Double.parseDouble(loop[0]);
            double b = Double.parseDouble(loop[1]);
            assertTrue(b > a, "B after A: " + card.getAttribute("data-loop"));
            assertTrue(in(card, "loop-text").getText().startsWith("Loop "));
            for (int i = 0; i < 4; i++) {
                Thread.sleep(400);
                assertEquals("playing", card.getAttribute("data-mixing"), "a loop keeps playing past the song's end");
                double pos = Double.parseDouble(in(card, "mix-seek").getAttribute("value")) / 1000 * 2.0;
                assertTrue(pos >= a - 0.05 && pos <= b + 0.1, "position " + pos + " within the loop " + a + "-" + b);
            }
            card.findElement(By.cssSelector("[data-action='loop-clear']")).click();
            assertEquals("", card.getAttribute("data-loop"));
            card.findElement(By.cssSelector("[data-action='mix-stop']")).click();

            // the server renders what was chosen: speed, transposition and a click, in the request
            in(card, "click").click();
            card.findElement(By.cssSelector("[data-action='mix-render']")).click();
            Path request = g.root.resolve("requests/1-2.json");
            wait.until(d -> Files.exists(request));
            ProcessRequest sent = Json.read(Files.readAllBytes(request), ProcessRequest.class);
            assertEquals(new dme.core.format.RenderOptions(1.1, -2, true, null), sent.render(), "what the controls say");
            assertNoAlert();
        }
    }

    private void setRange(WebElement card, String role, int value) {
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                in(card, role), String.valueOf(value));
    }

    private void setGain(WebElement card, String stem, int percent) {
        WebElement slider = card.findElement(By.cssSelector("input[data-role='gain'][data-stem='" + stem + "']"));
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                slider, String.valueOf(percent));
    }

    private void assertNoAlert() {
        try {
            driver.switchTo().alert();
            assertFalse(true, "an alert opened: user text ran as script");
        } catch (NoAlertPresentException expected) {
            // good
        }
    }

    private void screenshot(String name) throws Exception {
        Path buildDir = Paths.get(PageBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path out = buildDir.resolve("screenshots");
        Files.createDirectories(out);
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        long height = ((Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(4000, height + 140)));
        Files.write(out.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }
}
