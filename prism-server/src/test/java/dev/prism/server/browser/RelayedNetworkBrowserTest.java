package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ParticipantMediaStats;
import dev.prism.netem.DropReason;
import dev.prism.netem.Jitter;
import dev.prism.netem.LinkProfile;
import dev.prism.netem.LossModel;
import dev.prism.netem.PathCounters;
import dev.prism.netem.RelayCounters;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenarios of issue #14's test bench on a real network path: alice publishes her simulcast camera from this
 * machine; bob, in a network namespace, only watches, and all his UDP to Prism passes through a userspace impairment
 * relay ({@link RelayedLink}, module netem). The scenarios: 100 ms RTT with 20 ms jitter; 2 % bursty loss
 * (Gilbert, bursts of 3 on average) and 5 % random loss on his downlink; his downlink at 2 Mbit/s dropping to
 * 300 kbit/s for 15 s and back; a 30 s outage of everything between him and Prism. The rate drop can have a control
 * subscriber ({@link #CONTROL}), carol, on this machine and unimpaired: her freeze over the same window is what the
 * loaded machine and alice's encoder cost anyone, and bob's figure is read against it.
 *
 * <p>Each prints bob's freeze time per minute, decoded resolution over time, PLIs and residual loss
 * ({@link ReceiveQuality}), the relay's counters (including how late it released packets: on a machine whose cores
 * are shared, scheduling stalls add delay of their own) and Prism's view of bob. Each asserts only what cannot pass
 * or fail by luck of timing: video decoded in every 5 s slice of the window (the outage: again after it), the
 * browser's pair is its candidate with Prism's over UDP, and the relay did to the packets what it was told (held each
 * at least the configured minimum, lost some, delivered no more than the narrow rate allows, cut the outage) and had
 * room for everything. Not freeze or loss thresholds: those are the figures to watch.
 *
 * <p>{@code -Dprism.relay.windowSeconds=60} measures the steady scenarios longer. Needs root (namespaces, nftables)
 * as the other namespace tests; CI runs as root.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class RelayedNetworkBrowserTest implements BrowserArtifacts.Browsers {
    static final Duration WINDOW = Duration.ofSeconds(Long.getLong("prism.relay.windowSeconds", 30));
    /**
     * {@code -Dprism.relay.control=true} adds the rate drop scenario's control subscriber. Off by default: on the
     * shared 2-core machine a third Chrome made alice's encoder drop her 360p and 720p encodings (two runs: she sent
     * 180p only), so there was no layer to switch and the scenario measured nothing.
     */
    static final boolean CONTROL = Boolean.getBoolean("prism.relay.control");
    /** Joining over a 100 ms round trip takes a few more of them (ICE, DTLS, the first keyframe). */
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration SLICE = Duration.ofSeconds(5);

    private BrowserCall call;
    private RelayedLink link;
    /** The control subscriber's freeze over the same window, when the scenario has one ({@link #carol}). */
    private double controlFreezePerMinute = Double.NaN;

    /** Alice on this machine, bob behind the relay; with {@code control}, carol too, on this machine, unimpaired. */
    private void start(boolean control) {
        call = BrowserCall.inNamespace(false, control ? List.of("alice", "carol") : List.of("alice"), List.of("bob"));
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
        start(false);
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
        }
        assertRoomForEverything(relay);
    }

    private static void assertRoomForEverything(RelayCounters relay) {
        for (PathCounters path : List.of(relay.toClient(), relay.toServer())) {
            assertThat(path.dropped(DropReason.RELEASE_FULL) + path.dropped(DropReason.OVERSIZE))
                    .as("the relay had room for everything: %s", relay).isZero();
        }
        assertThat(relay.sendFailures()).as("the kernel took every datagram the relay sent: %s", relay).isZero();
    }

    @Test
    void twoPercentBurstyLossInBurstsOfThreeIsRepairedByRetransmission() throws Exception {
        start(false);
        lossScenario("bursty", "2% bursty loss (Gilbert, mean burst 3 packets) on bob's downlink",
                LossModel.GilbertElliott.bursty(0.02, 3));
    }

    @Test
    void fivePercentRandomLossThroughTheRelayIsRepairedByRetransmission() throws Exception {
        start(false);
        lossScenario("random", "5% random loss on bob's downlink", new LossModel.Bernoulli(0.05));
    }

    /** Loss on bob's downlink only (with 10 ms each way, a short real path): NACK/RTX must reach him. */
    private void lossScenario(String scenario, String description, LossModel loss) throws Exception {
        LinkProfile path = LinkProfile.PERFECT.withDelay(Duration.ofMillis(10));
        link.set(path.withLoss(loss), path);
        ReceiveQuality quality = joinAndMeasure(scenario, description, WINDOW, List.of());
        RelayCounters relay = link.counters();

        assertDecodedThroughout(quality);
        assertThat(relay.toClient().dropped(DropReason.LOSS)).as("the relay lost packets: %s", relay).isPositive();
        assertThat(quality.last().video().getLong("retransmittedPacketsReceived")
                - quality.first().video().getLong("retransmittedPacketsReceived"))
                .as("retransmissions reached bob: %s", quality.summary()).isPositive();
        assertRoomForEverything(relay);
    }

    @Test
    void aTwoMegabitDownlinkDroppingTo300KilobitsAndBackKeepsDecoding() throws Exception {
        start(CONTROL);
        // tc tbf-like: a 10 KB burst, a queue of 150 ms at each rate; 10 ms each way.
        LinkProfile base = LinkProfile.PERFECT.withDelay(Duration.ofMillis(10));
        LinkProfile wide = base.withRate(2_000_000, 10_000, 37_500);
        LinkProfile narrow = base.withRate(300_000, 10_000, 5_625);
        link.set(wide, base);
        long[] narrowStart = new long[2]; // nanoTime, delivered bytes
        long[] narrowEnd = new long[2];
        List<ReceiveQuality.Step> steps = List.of(
                new ReceiveQuality.Step(Duration.ofSeconds(10), "downlink 300 kbit/s", () -> {
                    link.setDownlink(narrow);
                    narrowStart[0] = System.nanoTime();
                    narrowStart[1] = link.counters().toClient().deliveredBytes();
                }),
                new ReceiveQuality.Step(Duration.ofSeconds(25), "downlink 2 Mbit/s", () -> {
                    narrowEnd[1] = link.counters().toClient().deliveredBytes();
                    narrowEnd[0] = System.nanoTime();
                    link.setDownlink(wide);
                }));
        ReceiveQuality quality = joinAndMeasure("rate", "2 Mbit/s -> 300 kbit/s (t=10..25 s) -> 2 Mbit/s downlink",
                Duration.ofSeconds(40), steps);
        RelayCounters relay = link.counters();
        double narrowSeconds = (narrowEnd[0] - narrowStart[0]) / 1e9;
        long narrowBytes = narrowEnd[1] - narrowStart[1];
        System.out.printf("[prism-relay] rate drop: %.0f kbit/s delivered to bob during the %.1f s at 300 kbit/s%n",
                narrowBytes * 8 / narrowSeconds / 1000, narrowSeconds);
        // Back to the size decoded before the drop (the top layer alice's encoder sends on this machine: 720p, or
        // 360p when the loaded machine made her encoder drop its top layer), from the step that lifted the limit.
        String top = quality.resolutionBefore(10);
        double lifted = quality.stepSeconds(1);
        double back = quality.secondsUntilResolutionAfter(lifted, String.valueOf(top));
        System.out.printf("[prism-relay] rate drop: back to %s (the size before the drop) %.1f s after the limit "
                + "lifted%n", top, back - lifted);
        if (carol() != null) {
            JsonObject control = ReceiveQuality.read(carol()).getJsonObject("video");
            System.out.printf("[prism-relay] rate drop: control subscriber carol (same publisher, unimpaired): freeze "
                    + "%.2f s per minute, decoded size %dx%d; bob minus carol: %.2f s per minute%n",
                    controlFreezePerMinute(), control.getInteger("frameWidth"), control.getInteger("frameHeight"),
                    quality.freezeSecondsPerMinute() - controlFreezePerMinute());
        }

        assertDecodedThroughout(quality);
        // By construction: the bucket's rate, plus its burst and what the wide queue still held when it narrowed.
        assertThat(narrowBytes).as("bytes the relay delivered in the narrow phase: %s", relay)
                .isLessThanOrEqualTo((long) (300_000 / 8.0 * (narrowSeconds + 0.1)) + 10_000 + 37_500);
        assertRoomForEverything(relay);
    }

    @Test
    void aThirtySecondOutageEndsWithVideoBack() throws Exception {
        start(false);
        LinkProfile path = LinkProfile.PERFECT.withDelay(Duration.ofMillis(10));
        link.set(path, path);
        List<ReceiveQuality.Step> steps = List.of(
                new ReceiveQuality.Step(Duration.ofSeconds(8), "outage", () -> link.outage(true)),
                new ReceiveQuality.Step(Duration.ofSeconds(38), "network back", () -> link.outage(false)));
        ReceiveQuality quality = joinAndMeasure("outage", "30 s outage of everything between bob and Prism",
                Duration.ofSeconds(68), steps);
        RelayCounters relay = link.counters();
        double back = quality.secondsUntilFramesMoveAfter(38);
        System.out.printf("[prism-relay] outage: video back %.1f s after the network came back%n", back - 38);

        assertThat(relay.toServer().dropped(DropReason.OUTAGE)).as("the outage cut bob's packets: %s", relay)
                .isPositive();
        assertThat(back).as("bob decodes video again after the outage: %s", quality.summary()).isNotNaN();
        assertRoomForEverything(relay);
    }

    /** Joins alice (simulcast) and bob (behind the relay, watching), waits for bob's video, measures the window. */
    private ReceiveQuality joinAndMeasure(String scenario, String description) throws Exception {
        return joinAndMeasure(scenario, description, WINDOW, List.of());
    }

    private ReceiveQuality joinAndMeasure(String scenario, String description, Duration window,
            List<ReceiveQuality.Step> steps) throws Exception {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(call.browsers().size() - 1);
        String room = scenario + "-" + Long.toHexString(System.nanoTime());
        alice.open(call.server().joinUrl(room, "alice"));
        // adaptive=0: the scenarios measure the network path; a demo tile must not cap the layer below 720p
        if (carol() != null) {
            carol().open(call.server().joinUrl(room, "carol") + "&publish=none&adaptive=0");
        }
        bob.open(call.server().joinUrl(call.ns().hostAddress(), room, "bob") + "&publish=none&adaptive=0");
        AtomicReference<JsonObject> last = new AtomicReference<>();
        long joining = System.nanoTime();
        bob.waitUntil("bob's first decoded frame", MEDIA_TIMEOUT, b -> {
            JsonObject s = ReceiveQuality.read(b);
            last.set(s);
            JsonObject v = s.getJsonObject("video");
            return v != null && v.getLong("framesDecoded") > 0 ? s : null;
        }, () -> "last stats " + last.get() + "; relay " + link.counters());
        long firstFrameMs = (System.nanoTime() - joining) / 1_000_000;

        JsonObject controlBefore = null;
        long controlFrom = System.nanoTime();
        if (carol() != null) {
            AtomicReference<JsonObject> lastControl = new AtomicReference<>();
            controlBefore = carol().waitUntil("carol's first decoded frame", MEDIA_TIMEOUT, c -> {
                JsonObject s = ReceiveQuality.read(c);
                lastControl.set(s);
                JsonObject v = s.getJsonObject("video");
                return v != null && v.getLong("framesDecoded") > 0 ? v : null;
            }, () -> "last stats " + lastControl.get());
            controlFrom = System.nanoTime();
        }
        ReceiveQuality quality = new ReceiveQuality().sampleFor(bob, window, steps);
        if (controlBefore != null) {
            JsonObject controlAfter = ReceiveQuality.read(carol()).getJsonObject("video");
            controlFreezePerMinute = (controlAfter.getDouble("totalFreezesDuration")
                    - controlBefore.getDouble("totalFreezesDuration")) * 60e9 / (System.nanoTime() - controlFrom);
        }
        ParticipantMediaStats bobStats = call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS)
                .stream().filter(p -> p.participantId().startsWith("bob")).findFirst().orElseThrow();
        String bobVideo = bobStats.subscribed().stream().filter(x -> x.kind().equals("video")).findFirst()
                .map(v -> String.format("layer %s (target %s, %s), %d switches, %d NACKed, %d retransmitted, "
                        + "reported loss %.1f%%", v.currentLayer(), v.targetLayer(), v.layerReason(),
                        v.layerSwitches(), v.nacked(), v.retransmitted(), v.reportedLoss() * 100))
                .orElse("no video");
        // Key frame requests Prism sent alice for her video (all subscribers, after the throttle): issue #14 counts
        // them per switch.
        long plisToAlice = call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS).stream()
                .filter(p -> p.participantId().startsWith("alice")).flatMap(p -> p.published().stream())
                .filter(t -> t.kind().equals("video")).mapToLong(ParticipantMediaStats.Published::keyframeRequests)
                .sum();
        long switchPlis = bobStats.subscribed().stream().filter(x -> x.kind().equals("video"))
                .mapToLong(ParticipantMediaStats.Subscribed::layerKeyframeRequests).sum();
        System.out.printf("[prism-relay] %s: first frame %d ms after bob opened the page; %s%n", description,
                firstFrameMs, quality.summary());
        System.out.printf("[prism-relay] %s: Prism's PLIs to alice's video %d (bob's layer switches asked %d)%n",
                description, plisToAlice, switchPlis);
        System.out.printf("[prism-relay] %s: relay (down %s / up %s): %s%n", description,
                link.relay().profile(dev.prism.netem.UdpRelay.Direction.TO_CLIENT),
                link.relay().profile(dev.prism.netem.UdpRelay.Direction.TO_SERVER), link.counters());
        RelayCounters counters = link.counters();
        double late = Math.max(counters.toClient().meanLateMillis(), counters.toServer().meanLateMillis());
        if (late > 2) {
            // Not an assertion (the machine's load is not Prism's): the figures of this run carry the stall.
            System.out.printf("[prism-relay] %s: NOTE the relay released packets %.1f ms late on average (a busy "
                    + "machine starved its thread): this run's path was worse than its profile%n", description, late);
        }
        System.out.printf("[prism-relay] %s: Prism's view of bob: subscriber RTT %d ms; %d ICE restarts, %d "
                + "signaling resumes; video %s; downlink %s%n", description, bobStats.subscriberRttMs(),
                bobStats.iceRestarts(), bobStats.resumes(), bobVideo, bobStats.downlink());

        JsonObject pair = quality.last().pair();
        assertThat(pair).as("bob's selected pair").isNotNull();
        assertThat(pair.getString("protocol")).as("bob's media went over UDP, through the relay: %s", pair)
                .isEqualTo("udp");
        assertThat(call.server().server().mediaPorts()).as("bob's pair names Prism's own candidate: %s", pair)
                .contains(pair.getInteger("remotePort"));
        return quality;
    }

    /** The unimpaired control subscriber on this machine, or null when the scenario has none. */
    private ChromeBrowser carol() {
        return call.browsers().size() == 3 ? call.browsers().get(1) : null;
    }

    private double controlFreezePerMinute() {
        return controlFreezePerMinute;
    }

    private static void assertDecodedThroughout(ReceiveQuality quality) {
        assertThat(quality.framesDecoded()).as("frames decoded in the window").isPositive();
        assertThat(quality.slicesWithoutFrames(SLICE)).as("%d s slices of the window without a decoded frame: %s",
                SLICE.toSeconds(), quality.summary()).isEmpty();
    }
}
