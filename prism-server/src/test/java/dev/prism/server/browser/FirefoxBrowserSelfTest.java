package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Firefox fixture itself: it drives the page, reports script errors, and leaves no process or profile
 * behind. (Fake media needs a secure origin; FirefoxConferenceBrowserTest covers it.)
 */
@Tag("browser")
class FirefoxBrowserSelfTest {

    @Test
    void drivesAPageAndLeavesNothingBehind() {
        FirefoxBrowser firefox = FirefoxBrowser.launch("selftest");
        List<ProcessHandle> tree;
        try {
            assertThat(firefox.browserVersion()).startsWith("firefox/");
            assertThat(Files.isDirectory(firefox.profileDir())).isTrue();
            firefox.open("about:blank");
            assertThat(firefox.eval("(async () => 6 * 7)()")).isEqualTo(42);
            assertThat(firefox.eval("(console.log('hello from the page'), 1)")).isEqualTo(1);
            firefox.waitUntil("the console line", Duration.ofSeconds(10),
                    b -> b.consoleLog().stream().anyMatch(l -> l.contains("hello from the page")), () -> "");
            assertThatThrownBy(() -> firefox.eval("no_such_function()"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no_such_function");
            tree = firefox.driverProcess().descendants().toList();
            assertThat(tree).as("Firefox runs under the driver").isNotEmpty();
        } finally {
            firefox.close();
        }
        assertThat(firefox.driverProcess().isAlive()).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(Files.exists(firefox.profileDir())).isFalse();
        assertThatThrownBy(() -> firefox.eval("1")).isInstanceOf(IllegalStateException.class);
        firefox.close(); // idempotent
    }
}
