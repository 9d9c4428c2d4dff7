package dev.prism.server.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * What {@link ChromeBrowser} and {@link FirefoxBrowser} share: the label, the throw-away profile directory, when the
 * last page was opened, the polled waits with their failure message (description, diagnostics, console), the console
 * dump, screenshots' directories and the closed flag. Each subclass drives its own browser.
 *
 * <p>Threading: as the subclasses, one thread at a time per instance; the console and the closed flag are guarded by
 * the instance.
 *
 * @param <B> the subclass, handed to the probes of {@link #waitUntil}
 */
abstract class DrivenBrowser<B extends DrivenBrowser<B>> implements AutoCloseable {
    private final String name;
    private final Path profileDir;
    private final Class<? extends RuntimeException> notYet;
    private final Duration defaultPoll;
    /** Console lines collected so far; guarded by this. */
    protected final List<String> console = new ArrayList<>();
    private volatile long openedAtNanos;
    private boolean closed;

    /**
     * @param notYet      what a probe throws while the page is not ready (counts as "not yet", not as a failure)
     * @param defaultPoll the interval of {@link #waitUntil(String, Duration, Function, Supplier)}
     */
    DrivenBrowser(String name, Path profileDir, Class<? extends RuntimeException> notYet, Duration defaultPoll) {
        this.name = name;
        this.profileDir = profileDir;
        this.notYet = notYet;
        this.defaultPoll = defaultPoll;
    }

    /** The label given at launch. */
    public String name() {
        return name;
    }

    /** The throw-away profile directory; gone after {@link #close()}. */
    Path profileDir() {
        return profileDir;
    }

    /** {@link System#nanoTime()} at the start of the last {@code open}, or 0 if nothing was opened. */
    public long openedAtNanos() {
        return openedAtNanos;
    }

    /** Notes that a navigation starts now. */
    protected void markOpened() {
        openedAtNanos = System.nanoTime();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Calls {@code probe} every {@code poll} until it returns something other than null or {@code false}, and returns
     * that. The subclass's "not yet" exception from the probe (a script error while the page is still starting, say)
     * counts as "not yet" and becomes the cause of the timeout; anything else, an AssertionError in particular, ends
     * the wait at once. An interrupt ends it too (see {@link BrowserThreads#parallel}).
     *
     * @param diagnostics extra text for the failure message, computed only on timeout (e.g. the last stats sample)
     * @throws AssertionError on timeout, naming {@code description}, with {@code diagnostics} and the console log
     */
    public <T> T waitUntil(String description, Duration timeout, Duration poll, Function<B, T> probe,
            Supplier<String> diagnostics) {
        try {
            return new FluentWait<>(self())
                    .withTimeout(timeout)
                    .pollingEvery(poll)
                    .ignoring(notYet)
                    .until(probe::apply);
        } catch (TimeoutException e) {
            throw new AssertionError("[" + name + "] timed out after " + timeout.toMillis() + " ms waiting for: "
                    + description + "\n" + diagnostics.get() + "\n" + consoleDump(), e.getCause());
        }
    }

    /** {@link #waitUntil(String, Duration, Duration, Function, Supplier)} at this browser's default interval. */
    public <T> T waitUntil(String description, Duration timeout, Function<B, T> probe, Supplier<String> diagnostics) {
        return waitUntil(description, timeout, defaultPoll, probe, diagnostics);
    }

    /** Every console line of the page so far; what was collected before close once closed. Never throws. */
    public abstract List<String> consoleLog();

    /** What the console dump's header says after the name's parenthesis, e.g. {@code "Firefox, "}; empty by default. */
    protected String consoleKind() {
        return "";
    }

    /** The console log as a block of text for failure messages. */
    public String consoleDump() {
        List<String> lines = consoleLog();
        StringBuilder sb = new StringBuilder("--- console of ").append(name).append(" (").append(consoleKind())
                .append(lines.size()).append(" entries) ---\n");
        lines.forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.append("--- end of console of ").append(name).append(" ---").toString();
    }

    /** Saves a PNG of the viewport; creates parent directories. Returns {@code file}. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeScreenshot(file);
        return file;
    }

    /** Writes the viewport's PNG to {@code file}, whose directory exists. */
    protected abstract void writeScreenshot(Path file);

    /** Whether {@link #close()} ran. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * The first step of {@link #close()}: collects the console (so it stays readable after close) and marks this
     * closed. Returns false when it was closed already (the caller then does nothing).
     */
    protected synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        consoleLog();
        closed = true;
        return true;
    }

    /** Closes the browser. Idempotent; never throws. */
    @Override
    public abstract void close();

    /** Deletes {@code root} and everything under it, if it exists; says on stderr what could not be deleted. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
