package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #12 item 5 with real browsers: three Chromium pages in one room through round-robin nginx, each decoding the
 * two others' video; the room's owner is killed with SIGKILL and every page decodes video from the two others again
 * with no action from the test: the SDK's resume fails (the owner and the session died with it), it joins afresh,
 * makes new peer connections and publishes again; the room is placed again on a live node.
 *
 * <p>Prints, per page, the time from the kill to decoding video from both others again (and the maximum), and the
 * page's failover steps as its client reports them (socket closed, each reconnect attempt and its close code, the
 * fresh join's welcome), so it can be seen where the seconds go. "Decoding again" is sampled every ~100-300 ms per page
 * round robin through WebDriver, so each figure is late by up to one round.
 */
@Tag("browser")
class ClusterBrowserFailoverTest {
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(40);
    private static final List<String> NAMES = List.of("ann", "ben", "cat");
    /** Records the client's failover events with the page's wall clock (same machine as the test's). */
    private static final String RECORD_EVENTS = """
            const c = window.prism.client;
            c.lastReconnect = null;
            window.failoverSteps = [];
            for (const type of ['reconnecting', 'reconnectAttempt', 'reconnected']) {
              c.on(type, (info) => window.failoverSteps.push({ at: Date.now(), type, info: JSON.stringify(info) }));
            }
            // after the welcome: our tracks published again, then each remote track subscribed (its media may follow)
            for (const type of ['trackPublished', 'trackSubscribed']) {
              c.on(type, (track, participant) => window.failoverSteps.push({ at: Date.now(), type,
                info: (participant.isLocal ? 'own ' : participant.name + ' ') + track.kind }));
            }
            """;

    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(3)
            .mediaForBrowsers());

    @Test
    void everyPageDecodesVideoAgainAfterTheOwnerIsKilled() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 3);
        String room = "browser-failover";
        List<ChromiumParticipant> pages = ChromiumParticipant.joinAll(bench, room, NAMES);
        try {
            for (ChromiumParticipant page : pages) {
                page.awaitDecodingVideoFrom(2, Duration.ofSeconds(30));
            }
            JsonObject first = ClusterModeBench.record(bench, room).orElseThrow();
            PrismNode owner = ClusterModeBench.nodeOfId(bench, first.getString("node"));
            assertThat(bench.distribution(room)).containsExactly(Map.entry(owner.name(), 3));
            for (ChromiumParticipant page : pages) {
                page.browser().js(RECORD_EVENTS);
            }

            long killedWall = System.currentTimeMillis();
            long killed = System.nanoTime();
            owner.kill9();
            Map<ChromiumParticipant, Long> backAfterMs = awaitEveryPageDecodingAgain(pages, killed, killedWall);

            long max = backAfterMs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            backAfterMs.forEach((page, ms) -> System.out.printf(
                    "[failover] %s decodes video from both others again %.2f s after the kill -9 of %s%n",
                    page.name(), ms / 1e3, owner.name()));
            for (ChromiumParticipant page : pages) {
                System.out.printf("[failover] %s steps: %s%n", page.name(), steps(page, killedWall));
            }
            JsonObject second = ClusterModeBench.record(bench, room).orElseThrow();
            PrismNode newOwner = ClusterModeBench.nodeOfId(bench, second.getString("node"));
            System.out.printf("[failover] kill -9 of the owner %s: all 3 pages decode video again after %.2f s (max); "
                            + "room now on %s at epoch %d (was %d)%n", owner.name(), max / 1e3, newOwner.name(),
                    second.getLong("epoch"), first.getLong("epoch"));
            assertThat(second.getString("node")).isNotEqualTo(first.getString("node"));
            assertThat(second.getLong("epoch")).isGreaterThan(first.getLong("epoch"));
            Deadline.await(Duration.ofSeconds(10), "the 3 rejoined participants on the new owner, nobody else",
                    () -> bench.distribution(room).equals(Map.of(newOwner.name(), 3)));
        } finally {
            pages.forEach(ChromiumParticipant::close);
        }
    }

    /**
     * Samples the pages round robin until each one has joined afresh since the kill (its client connected again with
     * {@code resumed: false}: the session died with the owner) and decodes video from both other names; returns the
     * milliseconds from the kill per page.
     */
    private static Map<ChromiumParticipant, Long> awaitEveryPageDecodingAgain(List<ChromiumParticipant> pages,
            long killed, long killedWall) {
        Map<ChromiumParticipant, Long> back = new LinkedHashMap<>();
        long deadline = killed + RECOVERY_DEADLINE.toNanos();
        while (back.size() < pages.size()) {
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder("pages not decoding video from both others "
                        + RECOVERY_DEADLINE.toSeconds() + " s after the kill:");
                for (ChromiumParticipant page : pages) {
                    if (!back.containsKey(page)) {
                        why.append("\n  ").append(page.name()).append(" steps ").append(steps(page, killedWall)).append("\n  console: ").append(page.browser().consoleDump());
                    }
                }
                throw new AssertionError(why.toString());
            }
            for (ChromiumParticipant page : pages) {
                if (back.containsKey(page)) {
                    continue;
                }
                Set<String> rising = page.peersDecodingVideo();
                if (rising.size() >= 2 && rejoined(page)) {
                    back.put(page, (System.nanoTime() - killed) / 1_000_000);
                }
            }
            pauseForSampling();
        }
        return back;
    }

    private static boolean rejoined(ChromiumParticipant page) {
        return Boolean.TRUE.equals(page.browser().js("const c = window.prism.client;"
                + " return c.state === 'connected' && c.lastReconnect != null && c.lastReconnect.resumed === false;"));
    }

    /** Polls like {@link Deadline}: a pause between rounds of samples, inside the caller's deadline. */
    private static void pauseForSampling() {
        LockSupport.parkNanos(100_000_000L);
    }

    /** The page's recorded client events, each as "+ms type info" relative to {@code zeroWallMs}. */
    private static String steps(ChromiumParticipant page, long zeroWallMs) {
        Object json = page.browser().js("return JSON.stringify(window.failoverSteps || []);");
        JsonArray steps = new JsonArray(String.valueOf(json));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonObject s = steps.getJsonObject(i);
            out.add(String.format("+%d ms %s %s", s.getLong("at") - zeroWallMs, s.getString("type"),
                    s.getString("info")));
        }
        return String.join(" | ", out);
    }
}
