package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ParticipantMediaStats;
import dev.prism.netem.DropReason;
import dev.prism.netem.Jitter;
import dev.prism.netem.LinkProfile;
import dev.prism.netem.PathCounters;
import dev.prism.netem.RelayCounters;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenarios of issue #14's test bench on a real network path: alice publishes her simulcast camera from this
 * machine; bob, in a network namespace, only watches, and all his UDP to Prism passes through a userspace impairment
 * relay ({@link RelayedLink}, module netem). Each scenario prints bob's freeze time per minute, decoded resolution
 * over time, PLIs and residual loss, with the relay's counters, and asserts only what cannot pass by luck: video
 * decoded through the whole window, the browser's pair is its candidate with Prism's over UDP, and the relay did to
 * the packets what it was told (held each at least the configured minimum, dropped none for lack of room).
 *
 * <p>{@code -Dprism.relay.windowSeconds=60} measures longer. Needs root (namespaces, nftables) as the other
 * namespace tests; CI runs as root.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class RelayedNetworkBrowserTest implements BrowserArtifacts.Browsers {
    static final Duration WINDOW = Duration.ofSeconds(Long.getLong("prism.relay.windowSeconds", 30));
    /** Joining over a 100 ms round trip takes a few more of them (ICE, DTLS, the first keyframe). */
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration SLICE = Duration.ofSeconds(5);

    private BrowserCall call;
    private RelayedLink link;

    @BeforeEach
    void setUp() {
        call = BrowserCall.inNamespace(false, List.of("alice"), List.of("bob"));
        link = RelayedLink.install(call.ns(), call.server(), 14);
    }

    @AfterEach
    void tearDown() {
        try {
            if (link != null) {
                link.close();
            }
        } finally {
            if (call != null) {
                call.close();
            }
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return call == null ? List.of() : call.browsers();
    }

    @Test
    void aSubscriberOnAHundredMillisecondRoundTripWithTwentyMillisecondsOfJitterKeepsDecoding() throws Exception {
        // 50 ms each way, spread uniformly by +-20 ms (netem's "delay 50ms 20ms"), order kept as on most real paths.
        LinkProfile oneWay = LinkProfile.PERFECT.withDelay(Duration.ofMillis(50))
                .withJitter(Duration.ofMillis(20), Jitter.UNIFORM);
        link.set(oneWay, oneWay);
        ReceiveQuality quality = joinAndMeasure("rtt100", "100 ms RTT, 20 ms jitter");
        RelayCounters relay = link.counters();

        assertDecodedThroughout(quality);
        for (PathCounters path : List.of(relay.toClient(), relay.toServer())) {
            assertThat(path.delivered()).as("packets through the relay: %s", relay).isPositive();
            assertThat(path.minHoldNanos()).as("every packet held at least 50 - 20 ms: %s", relay)
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
            assertThat(path.dropped(DropReason.RELEASE_FULL) + path.dropped(DropReason.OVERSIZE))
                    .as("the relay had room for everything: %s", relay).isZero();
        }
    }

    /** Joins alice (simulcast) and bob (behind the relay, watching), waits for bob's video, measures the window. */
    private ReceiveQuality joinAndMeasure(String scenario, String description) throws Exception {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        String room = scenario + "-" + Long.toHexString(System.nanoTime());
        alice.open(call.server().joinUrl(room, "alice"));
        bob.open(call.server().joinUrl(call.ns().hostAddress(), room, "bob") + "&publish=none");
        AtomicReference<JsonObject> last = new AtomicReference<>();
        long joining = System.nanoTime();
        bob.waitUntil("bob's first decoded frame", MEDIA_TIMEOUT, b -> {
            JsonObject s = ReceiveQuality.read(b);
            last.set(s);
            JsonObject v = s.getJsonObject("video");
            return v != null && v.getLong("framesDecoded") > 0 ? s : null;
        }, () -> "last stats " + last.get() + "; relay " + link.counters());
        long firstFrameMs = (System.nanoTime() - joining) / 1_000_000;

        ReceiveQuality quality = new ReceiveQuality().sampleFor(bob, WINDOW);
        ParticipantMediaStats bobStats = call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS)
                .stream().filter(p -> p.participantId().startsWith("bob")).findFirst().orElseThrow();
        String bobVideo = bobStats.subscribed().stream().filter(x -> x.kind().equals("video")).findFirst()
                .map(v -> String.format("layer %s (target %s, %s), %d switches, %d NACKed, %d retransmitted, "
                        + "reported loss %.1f%%", v.currentLayer(), v.targetLayer(), v.layerReason(),
                        v.layerSwitches(), v.nacked(), v.retransmitted(), v.reportedLoss() * 100))
                .orElse("no video");
        System.out.printf("[prism-relay] %s: first frame %d ms after bob opened the page; %s%n", description,
                firstFrameMs, quality.summary());
        System.out.printf("[prism-relay] %s: relay (down %s / up %s): %s%n", description,
                link.relay().profile(dev.prism.netem.UdpRelay.Direction.TO_CLIENT),
                link.relay().profile(dev.prism.netem.UdpRelay.Direction.TO_SERVER), link.counters());
        System.out.printf("[prism-relay] %s: Prism's view of bob: subscriber RTT %d ms; video %s; downlink %s%n",
                description, bobStats.subscriberRttMs(), bobVideo, bobStats.downlink());

        JsonObject pair = quality.last().pair();
        assertThat(pair).as("bob's selected pair").isNotNull();
        assertThat(pair.getString("protocol")).as("bob's media went over UDP, through the relay: %s", pair)
                .isEqualTo("udp");
        assertThat(call.server().server().mediaPorts()).as("bob's pair names Prism's own candidate: %s", pair)
                .contains(pair.getInteger("remotePort"));
        return quality;
    }

    private static void assertDecodedThroughout(ReceiveQuality quality) {
        assertThat(quality.framesDecoded()).as("frames decoded in the window").isPositive();
        assertThat(quality.slicesWithoutFrames(SLICE)).as("%d s slices of the window without a decoded frame: %s",
                SLICE.toSeconds(), quality.summary()).isEmpty();
    }
}
