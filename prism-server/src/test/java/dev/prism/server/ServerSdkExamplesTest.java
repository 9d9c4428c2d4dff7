package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.sdk.PrismApi;
import dev.prism.sdk.PrismTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server SDK examples (examples/server-sdk: BackendExample.java on the Java SDK, backend.mjs on the Node SDK) run
 * as a backend would, each against its own real node: the example creates a room through the server API and prints a
 * participant token; a participant joins with that token; the example verifies the node's webhooks and prints them.
 * So the examples stay working, and the Node SDK is exercised against a real node.
 */
class ServerSdkExamplesTest {
    private static final String SECRET = "sdk-examples-secret-sdk-examples-secret-01";
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();

    @Test
    void theJavaExampleCreatesARoomMintsAWorkingTokenAndVerifiesWebhooks() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String sdkClasses = Path.of(PrismTokens.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        runAgainstANode(List.of(java, "-cp", sdkClasses,
                ROOT.resolve("examples/server-sdk/BackendExample.java").toString()));
    }

    @Test
    void theNodeExampleCreatesARoomMintsAWorkingTokenAndVerifiesWebhooks() throws Exception {
        runAgainstANode(List.of("node", ROOT.resolve("examples/server-sdk/backend.mjs").toString()));
    }

    private static void runAgainstANode(List<String> command) throws Exception {
        int webhookPort;
        try (ServerSocket free = new ServerSocket(0)) {
            webhookPort = free.getLocalPort();
        }
        try (PrismServer node = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .webhookUrls(List.of("http://127.0.0.1:" + webhookPort + "/prism/events"))
                .webhookAllowPrivate("on").build())) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PRISM_URL", "http://127.0.0.1:" + node.httpPort());
            pb.environment().put("PRISM_API_SECRET", SECRET);
            pb.environment().put("WEBHOOK_PORT", Integer.toString(webhookPort));
            pb.environment().put("EXAMPLE_MAX_EVENTS", "2");
            Process example = pb.start();
            Output out = new Output(example);
            try {
                String token = out.await("token for alice: ", 60).substring("token for alice: ".length());
                out.await("webhooks on http://127.0.0.1:" + webhookPort, 30);
                PrismApi api = new PrismApi(URI.create("http://127.0.0.1:" + node.httpPort()), new PrismTokens(SECRET));
                assertThat(api.getRoom("example-standup").maxParticipants()).isEqualTo(8); // the example created it

                try (WsTestClient alice = WsTestClient.connect(node.httpPort(), token)) {
                    assertThat(alice.next("welcome", 10).getJsonObject("participant").getString("name"))
                            .isEqualTo("Alice");
                    out.await("event 1 room_started example-standup", 30);
                    out.await("event 2 participant_joined example-standup alice", 30);
                }
                assertThat(example.waitFor(30, TimeUnit.SECONDS)).as(out.text()).isTrue();
                assertThat(example.exitValue()).as(out.text()).isZero();
                assertThat(out.text()).doesNotContain("refused a webhook");
            } finally {
                example.destroy();
            }
        }
    }

    /** The example's output lines, read on their own thread; {@link #await} waits for a line with a deadline. */
    private static final class Output {
        private final List<String> lines = new ArrayList<>();

        Output(Process process) {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        synchronized (this) {
                            lines.add(line);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "example-output");
            reader.setDaemon(true);
            reader.start();
        }

        synchronized String await(String prefix, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no line '" + prefix + "' within " + seconds + " s; output:\n" + text());
                }
                wait(left);
            }
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }
}
