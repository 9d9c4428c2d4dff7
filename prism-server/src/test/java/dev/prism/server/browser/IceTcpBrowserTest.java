package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.transport.MediaCounters;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ICE-TCP with real browsers (issue #13): bob sits in a network namespace where nftables drops every UDP packet both
 * ways, so his only way to Prism is the passive TCP candidate (RFC 6544) every SDP carries. Alice and carol join
 * from this machine over UDP. Bob joins, publishes and receives over TCP: he decodes the others' video and audio,
 * alice decodes his, and Prism's counters show his two connections on TCP. Join to first decoded frame is printed for
 * bob (TCP) and carol (UDP), who join the same room one after the other (the target: TCP within 1.5x of UDP).
 *
 * <p>Needs root (network namespaces, nftables), like {@link ImpairedNetworkBrowserTest}; everything made here is
 * deleted afterwards.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class IceTcpBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);

    /** Inbound video and audio of the subscriber connection, summed per kind, with the number of decoding videos. */
    private static final String STATS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const pc = window.prism && window.prism.client && window.prism.client.subscriberPc;
              if (!pc) return { error: 'no subscriber connection' };
              const out = { videoFrames: 0, decodingVideos: 0, audioPackets: 0, pair: null };
              const stats = await pc.getStats();
              stats.forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  out.videoFrames += s.framesDecoded || 0;
                  if ((s.framesDecoded || 0) > 0) out.decodingVideos++;
                }
                if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets += s.packetsReceived || 0;
                if (s.type === 'transport' && s.selectedCandidatePairId) {
                  const pair = stats.get(s.selectedCandidatePairId);
                  const remote = pair && stats.get(pair.remoteCandidateId);
                  out.pair = remote ? remote.protocol : null;
                }
              });
              return out;
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        call = BrowserCall.inNamespace(false, List.of("alice", "carol"), List.of("bob"));
    }

    @AfterEach
    void tearDown() {
        if (call != null) {
            call.close();
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return call == null ? List.of() : call.browsers();
    }

    @Test
    void aParticipantWhoseNetworkDropsAllUdpJoinsPublishesAndReceivesOverIceTcp() throws Exception {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser carol = call.browsers().get(1);
        ChromeBrowser bob = call.browsers().get(2);
        String room = "icetcp-" + Long.toHexString(System.nanoTime());
        // No UDP in or out of bob's namespace: no STUN, no DTLS, no SRTP over UDP; TCP (signaling, ICE-TCP) passes.
        call.ns().dropAllUdp();
        alice.open(call.server().joinUrl(room, "alice"));
        awaitPublishing(alice);

        // Who joins second sees one more publisher; -Dprism.icetcp.udpFirst=true swaps the order to check for bias.
        boolean udpFirst = Boolean.getBoolean("prism.icetcp.udpFirst");
        long[] carolMs = new long[1];
        JsonObject[] carolFirst = new JsonObject[1];
        Runnable carolJoins = () -> {
            long carolStart = System.nanoTime();
            carol.open(call.server().joinUrl(room, "carol"));
            awaitFrames(carol, 1);
            carolMs[0] = (System.nanoTime() - carolStart) / 1_000_000;
            // Chromium may decode the first frame before its stats name the selected pair: read it with a deadline.
            carolFirst[0] = awaitPair(carol);
        };
        if (udpFirst) {
            carolJoins.run();
        }
        long bobStart = System.nanoTime();
        bob.open(call.server().joinUrl(call.ns().hostAddress(), room, "bob"));
        awaitFrames(bob, 1);
        long bobMs = (System.nanoTime() - bobStart) / 1_000_000;
        JsonObject bobFirst = awaitPair(bob);
        if (!udpFirst) {
            carolJoins.run();
        }

        // Alice decodes bob's video (and carol's): two videos decoding.
        JsonObject aliceSees = awaitFrames(alice, 2);
        JsonObject bobSees = awaitFrames(bob, 2);
        MediaCounters media = call.server().server().media().counters();
        String udpDropped = call.ns().udpDropRules();

        System.out.printf("[prism-icetcp] join to first decoded frame (%s joined first): bob over ICE-TCP %d ms, "
                + "carol over UDP %d ms (ratio %.2f; target within 1.5x); bob's pair %s, carol's %s; Prism: %d "
                + "transports on TCP, %d TCP connections open, %d accepted; drops before ICE %d, ICE timeouts %d%n",
                udpFirst ? "carol" : "bob", bobMs, carolMs[0], (double) bobMs / Math.max(1, carolMs[0]),
                bobFirst.getString("pair"), carolFirst[0].getString("pair"), media.transportsOnTcp(), media.tcpConnections(), media.tcpAccepted(),
                media.drops(dev.prism.rtp.transport.DropReason.TCP_BEFORE_ICE),
                media.drops(dev.prism.rtp.transport.DropReason.TCP_ICE_TIMEOUT));
        System.out.printf("[prism-icetcp] nftables in %s: %s%n", call.ns().name(),
                udpDropped.replaceAll("\\s+", " ").trim());

        // What Prism shows (issue #13 "Visible"): bob's two connections on TCP in its own view, with the candidate his
        // browser reported: peer-reflexive, as Chromium reports an active TCP connection (its host candidate says
        // port 9; the connection's real local port is learned when it connects). Counted as such.
        ConnectionPaths.Both bobSeen = ConnectionPaths.await(bob, call.server().server(), room, "bob",
                t -> t != null && "connected".equals(t.state()) && t.clientPath() != null, "tcp", "ipv4", "prflx", 2);
        System.out.printf("[prism-icetcp] Prism shows bob: %s; carol: %s%n", bobSeen,
                ConnectionPaths.read(call.server().server(), room, "carol"));
        for (var t : List.of(bobSeen.publisher(), bobSeen.subscriber())) {
            assertThat(t.protocol()).as("Prism's view of bob's path: %s", bobSeen).isEqualTo("tcp");
            assertThat(t.clientPath().protocol()).as("bob's report: %s", bobSeen).isEqualTo("tcp");
            assertThat(t.candidate()).as("bob's report: %s", bobSeen).isEqualTo("prflx");
        }

        assertThat(bobFirst.getString("pair")).as("bob's selected pair").isEqualTo("tcp");
        assertThat(carolFirst[0].getString("pair")).as("carol's selected pair").isEqualTo("udp");
        assertThat(bobSees.getLong("audioPackets")).as("bob hears the others").isPositive();
        assertThat(aliceSees.getInteger("decodingVideos")).as("alice decodes bob's and carol's video").isEqualTo(2);
        assertThat(aliceSees.getLong("audioPackets")).as("alice hears them").isPositive();
        // At least: ICE-lite Prism follows each nomination, and a loaded Chromium with UDP (alice, carol) may nominate
        // its TCP pair for a while too (seen at load 40: 4 transports on TCP). Bob's own are checked above.
        assertThat(media.transportsOnTcp()).as("transports on TCP, bob's two among them").isGreaterThanOrEqualTo(2);
        assertThat(udpDropped).as("the namespace did drop UDP").containsPattern("counter packets [1-9]");
    }

    /** The publisher's connection is up and sends video. */
    private static void awaitPublishing(ChromeBrowser b) {
        b.waitUntil("the publisher to send video", MEDIA_TIMEOUT, x -> {
            Object sent = x.asyncJs("""
                    const done = arguments[arguments.length - 1];
                    const pc = window.prism && window.prism.client && window.prism.client.publisherPc;
                    if (!pc) { done(0); return; }
                    pc.getStats().then((r) => { let n = 0; r.forEach((s) => {
                      if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.framesEncoded || 0; }); done(n); },
                      () => done(0));
                    """);
            return sent instanceof Number n && n.longValue() > 0 ? Boolean.TRUE : null;
        }, () -> "no video sent");
    }

    /** Waits until the subscriber connection's stats name its selected candidate pair; returns the stats. */
    private static JsonObject awaitPair(ChromeBrowser b) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil("the selected candidate pair in the stats", Duration.ofSeconds(10), Duration.ofMillis(50),
                x -> {
                    JsonObject s = new JsonObject(String.valueOf(x.asyncJs(STATS)));
                    last.set(s);
                    return s.getString("pair") != null ? s : null;
                }, () -> "last stats " + last.get());
    }

    /** Waits until {@code videos} remote videos decode and audio arrives; returns the stats. */
    private static JsonObject awaitFrames(ChromeBrowser b, int videos) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil(videos + " decoding video(s) and audio", MEDIA_TIMEOUT, Duration.ofMillis(50), x -> {
            JsonObject s = new JsonObject(String.valueOf(x.asyncJs(STATS)));
            last.set(s);
            return !s.containsKey("error") && s.getInteger("decodingVideos") >= videos
                    && s.getLong("audioPackets") > 0 ? s : null;
        }, () -> "last stats " + last.get());
    }
}
