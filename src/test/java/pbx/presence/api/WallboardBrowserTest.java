package pbx.presence.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import pbx.presence.model.LineState;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static pbx.presence.api.PresenceApiTest.ext;

/**
 * The wallboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium with their paths set so nothing is downloaded). Where Chromium is not installed the test
 * is skipped with one line saying how to run it, unless PBX_BROWSER_TEST=required (as in CI), when
 * a browser that cannot start fails the build. It saves docs/wallboard.png for the README.
 */
class WallboardBrowserTest extends ApiTestSupport {

    static final String CHROMIUM = System.getProperty("pbx.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("pbx.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("docs/wallboard.png");
    private static final String HOW = "install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver) "
            + "and run mvn verify again; PBX_BROWSER_TEST=required makes a missing browser fail the build";

    private WebDriver browser;

    static boolean required() {
        return "required".equalsIgnoreCase(System.getenv("PBX_BROWSER_TEST"))
                || "required".equalsIgnoreCase(System.getProperty("pbx.browser-test"));
    }

    /** Skips (one line on the console) or, when required, fails if Chromium is not there. */
    static void notRun(String why) {
        String line = "Wallboard browser test NOT run: " + why + "; to run it, " + HOW + ".";
        if (required()) {
            fail("PBX_BROWSER_TEST=required but " + why);
        }
        BrowserTestNotice.record(line);
        Assumptions.abort(line);
    }

    @BeforeAll
    static void chromiumIsInstalled() {
        BrowserTestNotice.clear();
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            notRun(CHROMIUM + " or " + CHROMEDRIVER + " is not installed");
        }
    }

    private WebDriver startBrowser(int width, int height) throws Exception {
        // Selenium Manager must not try to download a driver or browser
        System.setProperty("SE_OFFLINE", "true");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        Path profile = Files.createTempDirectory("pbx-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        try {
            return new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            notRun("Chromium did not start (" + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
            throw e;
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theWallboardShowsEveryExtensionAndATileTurnsBusyLiveWhenItsPhoneRings() throws Exception {
        String[][] people = {{"201", "Alice Andersen"}, {"202", "Bob Brown"}, {"203", "Carol Schulz"},
                {"204", "David Dubois"}, {"205", "Eve Evans"}, {"206", "Frank Fischer"}};
        for (String[] p : people) {
            feed().put(ext("demo-3cx-callcontrol", p[0], p[1], LineState.IDLE));
        }
        browser = startBrowser(1280, 800);
        browser.get("http://127.0.0.1:" + apiPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(b -> b.findElements(By.cssSelector(".tile")).size() == people.length);
        wait.until(b -> b.findElement(By.id("status")).getText().equals("live"));
        List<WebElement> tiles = browser.findElements(By.cssSelector(".tile"));
        for (String[] p : people) {
            assertTrue(tiles.stream().anyMatch(t -> t.getText().contains(p[1]) && t.getText().contains(p[0])), p[1]);
        }
        WebElement bob = browser.findElement(By.id("tile-demo-3cx-callcontrol-202"));
        assertEquals("AVAILABLE", bob.getAttribute("data-availability"));

        feed().put(ext("demo-3cx-callcontrol", "202", "Bob Brown", LineState.RINGING));
        new WebDriverWait(browser, Duration.ofSeconds(3))
                .until(b -> "BUSY".equals(b.findElement(By.id("tile-demo-3cx-callcontrol-202")).getAttribute("data-availability")));
        assertTrue(bob.getText().contains("ringing"), "the first reason in words: " + bob.getText());

        browser.findElement(By.id("filter")).sendKeys("bob");
        wait.until(b -> b.findElements(By.cssSelector(".tile")).stream().filter(WebElement::isDisplayed).count() == 1);
        browser.findElement(By.id("filter")).clear();
        browser.findElement(By.id("filter")).sendKeys(" ");
        wait.until(b -> b.findElements(By.cssSelector(".tile")).stream().filter(WebElement::isDisplayed).count() == people.length);

        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }
}
