package dev.prism.server.browser;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One headless Firefox (Debian's {@code firefox-esr}) with fake camera and microphone, standing in for one conference
 * participant. Driven over WebDriver BiDi by puppeteer-core in a small Node process
 * ({@code src/test/firefox/firefox-participant.mjs}) that this class talks to with one JSON line per request and
 * reply over the process's stdin and stdout.
 *
 * <p>Nothing is downloaded: the browser path is given ({@code -Dprism.firefox=...}, Debian's package path by
 * default), and the driver's {@code node_modules} must already be there ({@code ./test} runs {@code npm ci} with
 * {@code PUPPETEER_SKIP_DOWNLOAD} when it is missing). Every instance has a fresh profile directory, deleted on
 * {@link #close()}.
 *
 * <p>Cleanup on every path: {@link #close()} asks the driver to quit Firefox, then kills whatever is left of the
 * driver's process tree; a failed launch does the same. If this JVM dies instead, the driver sees its stdin end and
 * quits Firefox itself.
 *
 * <p>Threading: one thread at a time per instance (requests are answered in order); different instances may be driven
 * from different threads.
 */
public final class FirefoxBrowser extends DrivenBrowser<FirefoxBrowser> {

    /** The Firefox binary; Debian's firefox-esr by default. */
    public static final Path FIREFOX = Path.of(System.getProperty("prism.firefox", "/usr/bin/firefox-esr"));
    /** The Node driver's folder (package.json, package-lock.json, node_modules, the script). */
    static final Path DRIVER_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "firefox");

    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DEFAULT_POLL = Duration.ofMillis(250);
    /** Marks the end of the driver's output in the reply queue. */
    private static final String EOF = "\u0000eof";

    private final Process driver;
    private final BufferedWriter requests;
    private final BlockingQueue<String> replies;
    private final String version;
    private long nextId = 1;

    private FirefoxBrowser(String name, Path profileDir, Process driver, BufferedWriter requests,
            BlockingQueue<String> replies, String version) {
        // an IllegalStateException from a probe (a script error while the page is still starting) means "not yet"
        super(name, profileDir, IllegalStateException.class, DEFAULT_POLL);
        this.driver = driver;
        this.requests = requests;
        this.replies = replies;
        this.version = version;
    }

    /** Whether Firefox, node and the driver's installed node_modules are here. */
    public static boolean installed() {
        return Files.isExecutable(FIREFOX) && Files.isDirectory(DRIVER_DIR.resolve("node_modules/puppeteer-core"));
    }

    /**
     * Starts one headless Firefox on about:blank and blocks until it is driven.
     *
     * @param name a short label for logs and failure messages (usually the participant's name)
     */
    public static FirefoxBrowser launch(String name) {
        if (!installed()) {
            throw new IllegalStateException("Firefox or its driver missing: expected " + FIREFOX + " (Debian package "
                    + "firefox-esr) and " + DRIVER_DIR.resolve("node_modules") + " (npm ci in " + DRIVER_DIR
                    + "); ./test installs both");
        }
        Path profile;
        Path driverLog;
        try {
            profile = Files.createTempDirectory("prism-firefox-" + name + "-");
            driverLog = BrowserArtifacts.file("firefox-" + name + "-driver.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder("node", DRIVER_DIR.resolve("firefox-participant.mjs").toString(),
                FIREFOX.toString(), profile.toString())
                .directory(DRIVER_DIR.toFile())
                .redirectError(driverLog.toFile());
        pb.environment().put("PUPPETEER_SKIP_DOWNLOAD", "1");
        Process process = null;
        try {
            process = pb.start();
            BlockingQueue<String> replies = new LinkedBlockingQueue<>();
            startReader(name, process, replies);
            BufferedWriter requests = new BufferedWriter(
                    new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            String first = take(replies, LAUNCH_TIMEOUT);
            JsonObject ready = first == null || first.equals(EOF) ? null : new JsonObject(first);
            if (ready == null || !ready.getBoolean("ready", false)) {
                throw new IllegalStateException(first == null ? "no answer in " + LAUNCH_TIMEOUT.toSeconds() + " s"
                        : ready == null ? "the driver exited" : ready.getString("error"));
            }
            return new FirefoxBrowser(name, profile, process, requests, replies, ready.getString("version"));
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                killTree(process);
            }
            deleteTree(profile);
            throw new IllegalStateException("could not launch Firefox for " + name + ": " + e.getMessage()
                    + " (driver log: " + driverLog + ")", e);
        }
    }

    /** Reads the driver's stdout line by line into {@code replies}; {@link #EOF} when it ends. */
    private static void startReader(String name, Process process, BlockingQueue<String> replies) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    replies.add(line);
                }
            } catch (IOException e) {
                // The process is gone; EOF below says so.
            } finally {
                replies.add(EOF);
            }
        }, "firefox-driver-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private static String take(BlockingQueue<String> replies, Duration timeout) {
        try {
            return replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What Firefox reports, e.g. {@code firefox/153.8.0}. */
    public String browserVersion() {
        return version;
    }

    /** Navigates to {@code url} and blocks until its load event; remembers when navigation started. */
    public void open(String url) {
        markOpened();
        request(new JsonObject().put("cmd", "open").put("url", url));
    }

    /**
     * Evaluates a JavaScript expression in the page (a promise is awaited) and returns its value decoded from JSON
     * (null, Boolean, Number, String, JsonObject or JsonArray). Wrap statements as {@code (async () => {...})()}.
     *
     * @throws IllegalStateException when the script throws or the driver does not answer
     */
    public Object eval(String expression) {
        return request(new JsonObject().put("cmd", "eval").put("expression", expression));
    }

    /** Every console line of the page so far; what was collected before close once closed. Never throws. */
    @Override
    public synchronized List<String> consoleLog() {
        if (!isClosed()) {
            try {
                Object lines = request(new JsonObject().put("cmd", "console"));
                console.clear();
                if (lines instanceof io.vertx.core.json.JsonArray a) {
                    a.forEach(l -> console.add(String.valueOf(l)));
                }
            } catch (RuntimeException e) {
                console.add("(console log unavailable: " + e.getMessage() + ")");
            }
        }
        return List.copyOf(console);
    }

    @Override
    protected String consoleKind() {
        return "Firefox, ";
    }

    @Override
    protected void writeScreenshot(Path file) {
        request(new JsonObject().put("cmd", "screenshot").put("path", file.toAbsolutePath().toString()));
    }

    /** The driver process (tests of this fixture check that it and Firefox are gone after close). */
    ProcessHandle driverProcess() {
        return driver.toHandle();
    }

    /**
     * Quits Firefox, ends the driver, kills anything of its process tree still alive and deletes the profile.
     * Idempotent; never throws. The console log is collected first so that it stays readable after close.
     */
    @Override
    public void close() {
        List<ProcessHandle> tree;
        synchronized (this) {
            if (!markClosed()) {
                return;
            }
            // Firefox's processes are the driver's descendants now; after the driver exits they would be orphans.
            tree = driver.descendants().toList();
        }
        try {
            requestWithin(new JsonObject().put("cmd", "close"), QUIT_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println("[" + name() + "] Firefox quit failed: " + e.getMessage());
        }
        try {
            requests.close();
        } catch (IOException e) {
            // The driver is already gone.
        }
        try {
            if (!driver.waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("[" + name() + "] the Firefox driver did not exit; killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            killTree(driver);
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitGone(tree);
            deleteTree(profileDir());
        }
    }

    @Override
    public String toString() {
        return "FirefoxBrowser[" + name() + "]";
    }

    private Object request(JsonObject request) {
        synchronized (this) {
            if (isClosed() && !"close".equals(request.getString("cmd"))) {
                throw new IllegalStateException("[" + name() + "] closed");
            }
        }
        return requestWithin(request, REQUEST_TIMEOUT);
    }

    /** Sends one request and waits for its reply; earlier replies (of a timed-out request) are skipped. */
    private synchronized Object requestWithin(JsonObject request, Duration timeout) {
        long id = nextId++;
        try {
            requests.write(request.put("id", id).encode());
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            throw new IllegalStateException("[" + name() + "] the Firefox driver is gone: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = take(replies, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line == null) {
                throw new IllegalStateException("[" + name() + "] no answer to " + request.getString("cmd") + " in "
                        + timeout.toMillis() + " ms");
            }
            if (line.equals(EOF)) {
                replies.add(EOF);
                throw new IllegalStateException("[" + name() + "] the Firefox driver exited");
            }
            JsonObject reply;
            try {
                reply = new JsonObject(line);
            } catch (DecodeException e) {
                continue; // not a reply (a stray line of output)
            }
            if (reply.getLong("id", -1L) != id) {
                continue;
            }
            if (!reply.getBoolean("ok", false)) {
                throw new IllegalStateException("[" + name() + "] " + request.getString("cmd") + " failed: "
                        + reply.getString("error"));
            }
            return reply.getValue("value");
        }
    }

    /** Waits (bounded) until every one of {@code processes} has exited and been reaped. */
    private static void awaitGone(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + QUIT_TIMEOUT.toNanos();
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("process " + p.pid() + " of Firefox did not exit: " + e);
            }
        }
    }

    private static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitGone(descendants);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
