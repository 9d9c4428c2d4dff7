package dev.prism.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Chromium (Debian's {@code chromium} driven by its {@code chromium-driver}) with fake camera and
 * microphone, standing in for one conference participant.
 *
 * <p>Every instance has its own chromedriver process and its own throw-away profile directory, deleted on
 * {@link #close()}. Nothing is downloaded: the browser and driver paths are set explicitly, so Selenium Manager is
 * never consulted. Override them with {@code -Dprism.chromium=...} and {@code -Dprism.chromedriver=...}.
 *
 * <p>Threading: like the WebDriver under it, one instance must be used by one thread at a time. Different instances
 * may be driven from different threads concurrently; {@link #launchAll} starts several in parallel because a launch
 * takes from half a second to several seconds on a loaded two-core machine.
 */
public final class ChromeBrowser extends DrivenBrowser<ChromeBrowser> {

    /** The Chromium binary; Debian's package path by default. */
    public static final Path CHROMIUM = Path.of(System.getProperty("prism.chromium", "/usr/bin/chromium"));
    /** The chromedriver binary matching {@link #CHROMIUM}. */
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("prism.chromedriver", "/usr/bin/chromedriver"));

    /** Frame rate of the fake camera: enough to see frames flow, cheap enough for several browsers on two cores. */
    static final int FAKE_CAMERA_FPS = 15;

    private static final Duration DEFAULT_POLL = Duration.ofMillis(200);
    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /**
     * Selenium's java.util.logging chatter ("Unable to find CDP implementation": we use no CDP) only hides real
     * failures. Held in a field because JUL keeps loggers weakly and would forget the level.
     */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        // Belt and braces: with explicit paths Selenium does not run Selenium Manager, and if it ever did it must
        // neither phone home nor try to download (it receives system properties named SE_* as its environment).
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("SE_OFFLINE", "true");
        SELENIUM_LOG.setLevel(Level.SEVERE);
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private ChromeBrowser(String name, Path profileDir, ChromeDriverService service, ChromeDriver driver) {
        // a WebDriverException from a probe (a script error while the page is still starting) means "not yet"
        super(name, profileDir, WebDriverException.class, DEFAULT_POLL);
        this.service = service;
        this.driver = driver;
    }

    /** Whether the browser and driver binaries exist here; {@link #launch} checks it to explain a failure up front. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Starts one headless Chromium. Blocks until the WebDriver session exists (the browser is on about:blank).
     *
     * @param name a short label for logs, screenshots and failure messages (usually the participant's name)
     */
    public static ChromeBrowser launch(String name) {
        return launch(name, CHROMIUM, List.of());
    }

    /**
     * Starts one headless Chromium through {@code binary} (e.g. a script that runs {@link #CHROMIUM} inside a network
     * namespace) with {@code extraArgs} after the standard ones. Chromedriver talks to it over a pipe
     * ({@code --remote-debugging-pipe}), not a TCP port, so a browser in another network namespace stays reachable.
     */
    public static ChromeBrowser launch(String name, Path binary, List<String> extraArgs) {
        if (!installed()) {
            throw new IllegalStateException("Chromium or chromedriver missing: expected " + CHROMIUM + " and "
                    + CHROMEDRIVER + " (Debian packages chromium and chromium-driver; ./test installs them)");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("prism-chromium-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        try {
            ChromeOptions options = options(profile);
            if (!binary.equals(CHROMIUM)) {
                options.setBinary(binary.toFile());
                options.addArguments("--remote-debugging-pipe");
            }
            options.addArguments(extraArgs);
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new ChromeBrowser(name, profile, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw new IllegalStateException("could not launch Chromium for " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts one browser per name, all at once, and returns them in the order of {@code names}. If any launch fails
     * the others are closed and the first failure is thrown.
     */
    public static List<ChromeBrowser> launchAll(List<String> names) {
        return launchEach(names.stream().<Supplier<ChromeBrowser>>map(n -> () -> launch(n)).toList());
    }

    /**
     * Runs every launch in parallel and returns the browsers in the order given; when one fails, closes those that
     * started and throws the first failure.
     */
    static List<ChromeBrowser> launchEach(List<Supplier<ChromeBrowser>> launchers) {
        List<CompletableFuture<ChromeBrowser>> launches = launchers.stream()
                .map(l -> CompletableFuture.supplyAsync(l, BrowserThreads.POOL))
                .toList();
        List<ChromeBrowser> browsers = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<ChromeBrowser> launch : launches) {
            try {
                browsers.add(launch.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure
                        : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            browsers.forEach(ChromeBrowser::close);
            throw failure;
        }
        return browsers;
    }

    static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile,
                "--use-fake-device-for-media-stream=fps=" + FAKE_CAMERA_FPS,
                "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                // Host candidates as real addresses, not mDNS names nobody on this machine resolves.
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                // Background pages must keep decoding: no throttling of timers or renderers in headless mode.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return options;
    }

    /**
     * Navigates to {@code url} and blocks until its load event; remembers when navigation started. Chromium aborts the
     * requests in flight with {@code net::ERR_NETWORK_CHANGED} when the host's addresses change, which the fixtures
     * themselves cause (a test's namespace and veth pair created or removed next to a running browser): a page whose
     * load hit that is loaded again, at most twice, and says so on standard output. Any other failure stays.
     */
    public void open(String url) {
        for (int attempt = 1; ; attempt++) {
            int seen = consoleLog().size();
            markOpened();
            driver.get(url);
            List<String> log = consoleLog();
            boolean networkChanged = log.subList(seen, log.size()).stream()
                    .anyMatch(l -> l.contains("net::ERR_NETWORK_CHANGED"));
            if (!networkChanged || attempt == 3) {
                return;
            }
            System.out.printf("[%s] page load hit net::ERR_NETWORK_CHANGED (a fixture changed the host's addresses); "
                    + "loading it again%n", name());
        }
    }

    /**
     * Runs a synchronous script ({@code return ...;} to return a value) in the page; {@code arguments[i]} are the
     * {@code args}. Returns what Selenium maps the result to (Long, Double, Boolean, String, List, Map or null).
     */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Runs an asynchronous script: its last argument, {@code arguments[arguments.length - 1]}, is the callback that
     * completes it, e.g. {@code somePromise.then(arguments[arguments.length - 1])}. Times out after 30 s.
     */
    public Object asyncJs(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /**
     * Polls a JavaScript boolean expression (evaluated as {@code return !!(expr)}) until it is true.
     *
     * @throws AssertionError on timeout, naming {@code description} and carrying this browser's console log
     */
    public void waitFor(String description, String jsBooleanExpression, Duration timeout) {
        String script = "try { return !!(" + jsBooleanExpression + "); } catch (e) { return false; }";
        waitUntil(description, timeout, b -> Boolean.TRUE.equals(b.js(script)) ? Boolean.TRUE : null, () -> "");
    }

    @Override
    protected void writeScreenshot(Path file) {
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every browser console message seen so far, oldest first. Chromedriver hands each entry out only once, so this
     * accumulates them; returns an empty list (and never throws) once the browser is closed or logging is
     * unsupported.
     */
    @Override
    public synchronized List<String> consoleLog() {
        if (!isClosed()) {
            try {
                for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                    console.add(LOG_TIME.format(Instant.ofEpochMilli(e.getTimestamp())) + " " + e.getLevel() + " "
                            + e.getMessage());
                }
            } catch (WebDriverException | UnsupportedOperationException e) {
                console.add("(console log unavailable: " + e.getClass().getSimpleName() + ")");
            }
        }
        return List.copyOf(console);
    }

    /**
     * Quits the browser, stops chromedriver and deletes the profile directory. Idempotent; never throws. The console
     * log is collected first so that it stays readable after close.
     */
    @Override
    public void close() {
        if (!markClosed()) {
            return;
        }
        try {
            driver.quit();
        } catch (RuntimeException e) {
            System.err.println("[" + name() + "] quit failed: " + e);
        } finally {
            service.stop();
            deleteTree(profileDir());
        }
    }

    @Override
    public String toString() {
        return "ChromeBrowser[" + name() + "]";
    }

    /** The version string Chromium reported when the session started, e.g. {@code 156.0.8078.79}. */
    public String browserVersion() {
        return driver.getCapabilities().getBrowserVersion();
    }
}
