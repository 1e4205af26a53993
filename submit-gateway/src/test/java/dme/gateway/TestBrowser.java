package dme.gateway;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The real headless Chromium the page tests drive, through the system chromedriver only (Selenium
 * Manager never looks for, or downloads, one). Shared with the job's page tests (test jar).
 */
public final class TestBrowser {
    public static final File CHROMIUM = new File("/usr/bin/chromium");
    public static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    /** Why a page test is skipped on a machine without them. */
    public static final String MISSING = "skipped: the browser test needs /usr/bin/chromium and /usr/bin/chromedriver "
            + "(apt-get install chromium chromium-driver)";

    private TestBrowser() {}

    public static boolean available() {
        return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    }

    /** A fresh browser with its profile in {@code profileDir}; quit it when done. */
    public static ChromeDriver start(Path profileDir) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.getAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1700", "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + Files.createDirectories(profileDir));
        return new ChromeDriver(service, options);
    }
}
