package dev.prism.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Where browser tests leave screenshots and logs ({@code <module>/target/browser-artifacts/}), and a JUnit extension
 * that, when a test fails, saves a screenshot, the console log and the inbound stats of every browser still open —
 * before {@code @AfterEach} closes them.
 *
 * <p>A test class opts in with {@code @ExtendWith(BrowserArtifacts.class)} and by implementing {@link Browsers}.
 */
public final class BrowserArtifacts implements TestExecutionExceptionHandler {

    /** Implemented by test classes whose browsers should be dumped on failure. */
    public interface Browsers {
        /** The browsers of the running test; closed ones are skipped. */
        List<ChromeBrowser> browsersToDump();

        /** Inbound stats to add to the dump, or null to skip; by default none. */
        default InboundMedia.Sample statsForDump(ChromeBrowser browser) {
            return null;
        }
    }

    /** {@code target/browser-artifacts} of the module under test (Surefire sets {@code basedir}). */
    public static Path dir() {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("browser-artifacts");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file name in {@link #dir()}, with anything but letters, digits, dot and dash replaced. */
    public static Path file(String name) {
        return dir().resolve(name.replaceAll("[^A-Za-z0-9.-]", "_"));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (context.getTestInstance().orElse(null) instanceof Browsers owner) {
            String prefix = context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName() + "-failure-";
            for (ChromeBrowser browser : owner.browsersToDump()) {
                if (browser != null && !browser.isClosed()) {
                    dump(owner, browser, prefix + browser.name(), failure);
                }
            }
        }
        throw failure;
    }

    private static void dump(Browsers owner, ChromeBrowser browser, String prefix, Throwable failure) {
        StringBuilder text = new StringBuilder();
        try {
            Path png = browser.screenshot(file(prefix + ".png"));
            text.append("screenshot: ").append(png.toAbsolutePath()).append('\n');
        } catch (RuntimeException e) {
            text.append("screenshot failed: ").append(e).append('\n');
        }
        try {
            InboundMedia.Sample stats = owner.statsForDump(browser);
            if (stats != null) {
                text.append(stats).append('\n');
            }
        } catch (RuntimeException e) {
            text.append("stats failed: ").append(e).append('\n');
        }
        text.append(browser.consoleDump()).append('\n');
        try {
            Files.writeString(file(prefix + ".log"), text);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        System.out.println("[browser-failure] " + browser.name() + "\n" + text);
    }
}
