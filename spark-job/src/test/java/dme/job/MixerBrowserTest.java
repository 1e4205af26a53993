package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.Stem;
import dme.core.Storage;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.gateway.Gateway;
import dme.gateway.TestBrowser;
import dme.job.driver.DmeJob;
import dme.job.driver.JobSession;
import dme.job.driver.StreamingJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's mixer against the real job: a song uploaded and separated through the page in headless
 * Chromium, levels set with the sliders, mute and solo, "Render this mix"; the file the job renders is
 * Σ gain·stem of the song's own masters with exactly the levels on screen.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MixerBrowserTest {
    @TempDir
    Path dir;

    @Test
    void theRenderedMixHasTheLevelsOnScreen() throws Exception {
        Assumptions.assumeTrue(TestBrowser.available(), TestBrowser.MISSING);
        DmeConfig config = TestSongs.config(dir.resolve("root")).with(DmeConfig.OUTPUT_FORMAT, "wav-float");
        Path song = TestAudio.write(dir.resolve("Mixer Song.flac"), TestAudio.song(4.0, 11), OutputFormat.FLAC, 0);
        SparkSession spark = JobSession.create(config);
        DmeJob job = StreamingJob.start(spark, config, false);
        ChromeDriver driver = null;
        try (Gateway gateway = Gateway.start(config, 0)) {
            driver = TestBrowser.start(dir.resolve("chrome-profile"));
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + gateway.port();
            driver.get(base + "/");
            driver.findElement(By.id("file-input")).sendKeys(song.toString());
            driver.findElement(By.id("upload-button")).click();
            WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article[data-music-id]")));
            long id = Long.parseLong(card.getAttribute("data-music-id"));
            wait.until(d -> "idle".equals(card.getAttribute("data-state")));
            assertEquals("wav-float", new Select(card.findElement(By.cssSelector("[data-role='format']")))
                    .getFirstSelectedOption().getAttribute("value"), "a new song starts from the configured output format");
            card.findElement(By.cssSelector("[data-action='process']")).click(); // all four stems
            wait.until(d -> "done".equals(card.getAttribute("data-state")));

            // levels: drums 150 %, bass 40 %, other muted, vocals 25 %; solo on and off again
            setGain(driver, card, "drums", 150);
            setGain(driver, card, "bass", 40);
            setGain(driver, card, "vocals", 25);
            toggle(driver, card, "mute", "other", true);
            toggle(driver, card, "solo", "bass", true);
            toggle(driver, card, "solo", "bass", false);
            Map<String, String> onScreen = new java.util.TreeMap<>();
            for (WebElement row : card.findElements(By.cssSelector("[data-role='stem-rows'] > [data-row]"))) {
                onScreen.put(row.getAttribute("data-row"), row.getAttribute("data-gain"));
            }
            assertEquals(Map.of("drums", "1.5", "bass", "0.4", "other", "0", "vocals", "0.25"), onScreen,
                    "the levels on screen after the clicks");
            new Select(card.findElement(By.cssSelector("[data-role='format']"))).selectByValue("wav-float");
            String before = card.findElement(By.cssSelector("[data-role='final-download']")).getAttribute("href");
            card.findElement(By.cssSelector("[data-action='mix-render']")).click();
            wait.until(d -> {
                String href = card.findElement(By.cssSelector("[data-role='final-download']")).getAttribute("href");
                return "done".equals(card.getAttribute("data-state")) && href != null && !href.equals(before);
            });
            String href = card.findElement(By.cssSelector("[data-role='final-download']")).getAttribute("href");
            assertTrue(href.contains("/mixes/1x1.5-2x0.4-4x0.25.wav"), href);

            Path mixFile = dir.resolve("rendered.wav");
            HttpResponse<Path> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href)).build(),
                    HttpResponse.BodyHandlers.ofFile(mixFile));
            assertEquals(200, got.statusCode());
            float[][] mix = TestAudio.read(mixFile);
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            Map<Stem, Double> gains = Map.of(Stem.DRUMS, 1.5, Stem.BASS, 0.4, Stem.OTHER, 0.0, Stem.VOCALS, 0.25);
            float[][] expected = new float[2][mix[0].length];
            for (Stem s : Stem.values()) {
                float[][] master = TestAudio.read(Paths.get(storage.layout().master(id, s).toUri()));
                assertEquals(mix[0].length, master[0].length, "the mix is as long as the masters");
                for (int c = 0; c < 2; c++) {
                    for (int i = 0; i < master[c].length; i++) {
                        expected[c][i] += (float) (gains.get(s) * master[c][i]);
                    }
                }
            }
            double worst = 0;
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < mix[c].length; i++) {
                    worst = Math.max(worst, Math.abs(mix[c][i] - expected[c][i]));
                }
            }
            assertTrue(worst < 1e-4, "rendered mix = sum of gain x stem within 1e-4, worst " + worst);
        } finally {
            if (driver != null) {
                driver.quit();
            }
            job.stop();
            spark.stop();
        }
    }

    /**
     * Clicks a mute or solo button and waits until the page shows its new state, as a user looks at
     * the button before the next click: a WebDriver click can return before the page has handled it.
     */
    private static void toggle(ChromeDriver driver, WebElement card, String role, String stem, boolean pressed) {
        WebElement button = card.findElement(By.cssSelector("button[data-role='" + role + "'][data-stem='" + stem + "']"));
        button.click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(role + " " + stem + " shown as " + (pressed ? "on" : "off") + " after its click")
                .until(d -> String.valueOf(pressed).equals(button.getAttribute("aria-pressed")));
    }

    private static void setGain(ChromeDriver driver, WebElement card, String stem, int percent) {
        WebElement slider = card.findElement(By.cssSelector("input[data-role='gain'][data-stem='" + stem + "']"));
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                slider, String.valueOf(percent));
    }
}
