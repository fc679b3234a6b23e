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
import org.openqa.selenium.Keys;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

    @Override
    protected void configure(java.util.Properties p) {
        super.configure(p);
        p.put("presence.demo.enabled", "true");
    }

    @Test
    void theWallboardShowsTheDemosExtensionsAndATileTurnsBusyLiveWhenItsPhoneRings() throws Exception {
        int tilesExpected = 6 * 6; // six demo sources (routes/sources.camel.yaml), six extensions each
        browser = startBrowser(1400, 1250);
        browser.get("http://127.0.0.1:" + apiPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(b -> b.findElements(By.cssSelector(".tile")).size() == tilesExpected);
        wait.until(b -> b.findElement(By.id("status")).getText().equals("live"));
        List<WebElement> tiles = browser.findElements(By.cssSelector(".tile"));
        for (SimulatedExtension x : DemoScenario.initialExtensions()) {
            assertTrue(tiles.stream().anyMatch(t -> t.getText().contains(x.name()) && t.getText().contains(x.number())), x.name());
        }
        By bob = By.id("tile-demo-3cx-callcontrol-202");
        assertEquals("AVAILABLE", browser.findElement(bob).getAttribute("data-availability"));

        // the simulated PBX puts Bob on a call: his tile turns BUSY without a reload
        demo().pbx().update("202", e -> e.withCall(SimulatedCall.direct(demo().pbx().nextCallId(), SimulatedCall.RINGING, "+4930123456")));
        new WebDriverWait(browser, Duration.ofSeconds(3)).until(b -> "BUSY".equals(b.findElement(bob).getAttribute("data-availability")));
        assertTrue(browser.findElement(bob).getText().contains("ringing"), "the first reason in words: " + browser.findElement(bob).getText());

        browser.findElement(By.id("filter")).sendKeys("carol");
        wait.until(b -> {
            List<WebElement> shown = b.findElements(By.cssSelector(".tile")).stream().filter(WebElement::isDisplayed).toList();
            // some vendor APIs report no names: their tile for 203 does not match "carol"
            return !shown.isEmpty() && shown.size() < tilesExpected && shown.stream().allMatch(t -> t.getText().contains("Carol"));
        });
        browser.findElement(By.id("filter")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        wait.until(b -> b.findElements(By.cssSelector(".tile")).stream().filter(WebElement::isDisplayed).count() == tilesExpected);

        // a few more of the demo's situations for the README's picture
        demo().pbx().update("203", e -> e.withPresence(SimulatedExtension.OUT_OF_OFFICE, SimulatedExtension.USER_AVAILABLE, SimulatedExtension.CHAT_OFFLINE));
        demo().pbx().update("204", e -> e.withRegistered(false));
        demo().pbx().update("206", e -> e.withChatStatus(SimulatedExtension.CHAT_DND));
        wait.until(b -> "AWAY".equals(b.findElement(By.id("tile-demo-3cx-callcontrol-203")).getAttribute("data-availability")));
        wait.until(b -> "OFFLINE".equals(b.findElement(By.id("tile-demo-3cx-callcontrol-204")).getAttribute("data-availability")));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

        // a phone: tiles two per row, still readable
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        wait.until(b -> {
            List<WebElement> t = b.findElements(By.cssSelector(".tile"));
            return t.get(0).getRect().getY() == t.get(1).getRect().getY() && t.get(0).getRect().getY() != t.get(2).getRect().getY();
        });
    }
}
