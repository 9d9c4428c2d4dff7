package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.ParticipantSnapshot.TransportSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * IPv6 dual stack with real browsers (issue #13 item 4): bob sits in a network namespace whose only link to this
 * machine carries IPv6 (unique local addresses, no IPv4 address or route inside), so he loads the page, signals and
 * sends media over IPv6 only, to the IPv6 address Prism advertises with {@code --advertise6}. Alice joins from this
 * machine over IPv4. Both publish; each decodes the other's video and hears the other's audio; bob's browser reports
 * IPv6 selected pairs ending at Prism's IPv6 candidate, and Prism sees both of bob's connections come from his IPv6
 * address and alice's from IPv4. Join to first decoded frame is printed for both directions. A second case drops all
 * UDP in bob's namespace: he then joins over Prism's IPv6 ICE-TCP candidate.
 *
 * <p>Needs root (network namespaces), like {@link IceTcpBrowserTest}; everything made here is deleted afterwards.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class Ipv6OnlyBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);

    /**
     * Inbound video frames and audio packets of the subscriber connection, and the selected pair of each connection
     * (its local and remote candidate's address, port and protocol).
     */
    private static final String STATS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism && window.prism.client;
              if (!c || !c.subscriberPc || !c.publisherPc) return { error: 'no connections yet' };
              const pairOf = (stats) => {
                let out = null;
                stats.forEach((s) => {
                  if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
                  const pair = stats.get(s.selectedCandidatePairId);
                  const local = pair && stats.get(pair.localCandidateId);
                  const remote = pair && stats.get(pair.remoteCandidateId);
                  if (local && remote) out = { local: local.address || local.ip, remote: remote.address || remote.ip,
                    remotePort: remote.port, protocol: remote.protocol };
                });
                return out;
              };
              const sub = await c.subscriberPc.getStats();
              const out = { videoFrames: 0, decodingVideos: 0, audioPackets: 0 };
              sub.forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  out.videoFrames += s.framesDecoded || 0;
                  if ((s.framesDecoded || 0) > 0) out.decodingVideos++;
                }
                if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets += s.packetsReceived || 0;
              });
              out.subscriberPair = pairOf(sub);
              out.publisherPair = pairOf(await c.publisherPc.getStats());
              return out;
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        call = BrowserCall.inIpv6Namespace(List.of("alice"), List.of("bob"));
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
    void anIpv6OnlyParticipantAndAnIpv4ParticipantSeeAndHearEachOther() throws Exception {
        callBetweenFamilies("udp");
    }

    /**
     * The same when bob's namespace also drops every UDP packet (IPv6 included): his only way in is Prism's IPv6
     * passive TCP candidate (ICE-TCP over IPv6).
     */
    @Test
    void anIpv6OnlyParticipantWithoutUdpJoinsOverIceTcpOnIpv6() throws Exception {
        call.ns().dropAllUdp();
        callBetweenFamilies("tcp");
        assertThat(call.ns().udpDropRules()).as("the namespace did drop UDP")
                .containsPattern("counter packets [1-9]");
    }

    /** Alice (IPv4) publishes, bob (IPv6 only, over {@code protocol}) joins; each decodes and hears the other. */
    private void callBetweenFamilies(String protocol) throws Exception {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        String room = "ipv6-" + Long.toHexString(System.nanoTime());
        String prism6 = call.ns().hostAddress();
        String bob6 = call.ns().nsAddress();
        // The namespace really has no IPv4: no address but loopback's, no route.
        assertThat(call.ns().exec("ip", "-4", "-o", "addr", "show")).doesNotContain("scope global");
        assertThat(call.ns().exec("ip", "-4", "route", "show").trim()).isEmpty();

        alice.open(call.server().joinUrl(room, "alice"));
        awaitPublishing(alice);
        long bobStart = System.nanoTime();
        bob.open(call.server().joinUrl("[" + prism6 + "]", room, "bob"));
        JsonObject bobSees = awaitFrames(bob, 1);
        long bobMs = (System.nanoTime() - bobStart) / 1_000_000;
        JsonObject aliceSees = awaitFrames(alice, 1);
        long aliceMs = (System.nanoTime() - bobStart) / 1_000_000;
        // Chromium may decode the first frame before its stats name the selected pairs: read them with a deadline.
        JsonObject bobPairs = awaitPairs(bob);
        JsonObject alicePairs = awaitPairs(alice);
        RoomSnapshot snapshot = call.server().server().inspector().room(room).get(10, TimeUnit.SECONDS)
                .orElseThrow();
        List<Integer> prismPorts6 = call.server().server().media().engines().stream()
                .map(e -> protocol.equals("tcp") ? e.localTcpPort6() : e.localPort6()).toList();

        System.out.printf("[prism-ipv6] join to first decoded frame (bob over IPv6 %s): bob (IPv6 only) decodes "
                + "alice %d ms after joining, alice (IPv4) decodes bob %d ms after bob joined; bob's pairs %s / %s, "
                + "alice's %s / %s; Prism's IPv6 %s ports %s%n", protocol, bobMs, aliceMs,
                bobPairs.getJsonObject("publisherPair"), bobPairs.getJsonObject("subscriberPair"),
                alicePairs.getJsonObject("publisherPair"), alicePairs.getJsonObject("subscriberPair"), protocol,
                prismPorts6);

        assertThat(bobSees.getLong("audioPackets")).as("bob hears alice").isPositive();
        assertThat(aliceSees.getInteger("decodingVideos")).as("alice decodes bob's video").isEqualTo(1);
        assertThat(aliceSees.getLong("audioPackets")).as("alice hears bob").isPositive();
        for (String pc : List.of("publisherPair", "subscriberPair")) {
            JsonObject pair = bobPairs.getJsonObject(pc);
            assertThat(address(pair.getString("local"))).as("bob's %s local address", pc).isEqualTo(address(bob6));
            assertThat(address(pair.getString("remote"))).as("bob's %s remote address", pc)
                    .isEqualTo(address(prism6));
            assertThat(pair.getInteger("remotePort")).as("bob's %s: Prism's IPv6 port", pc).isIn(prismPorts6);
            assertThat(pair.getString("protocol")).as("bob's %s protocol", pc).isEqualTo(protocol);
            JsonObject alicePair = alicePairs.getJsonObject(pc);
            assertThat(address(alicePair.getString("remote"))).as("alice's %s remote", pc)
                    .isInstanceOf(Inet4Address.class);
            assertThat(alicePair.getString("protocol")).as("alice's %s protocol", pc).isEqualTo("udp");
        }
        // Prism's side: bob's two connections come from his IPv6 address, alice's from IPv4.
        ParticipantSnapshot bobAtPrism = participant(snapshot, "bob");
        ParticipantSnapshot aliceAtPrism = participant(snapshot, "alice");
        for (TransportSnapshot t : List.of(bobAtPrism.publisher(), bobAtPrism.subscriber())) {
            assertThat(t.state()).isEqualTo("connected");
            assertThat(address(host(t.remoteAddress()))).isEqualTo(address(bob6));
            if (protocol.equals("tcp")) {
                // Only without UDP: with it, a loaded Chromium may also nominate its TCP pair for a while (ICE-lite
                // Prism follows each nomination), while its stats keep naming the UDP pair.
                assertThat(t.protocol()).as("bob's connections at Prism").isEqualTo("tcp");
            }
        }
        for (TransportSnapshot t : List.of(aliceAtPrism.publisher(), aliceAtPrism.subscriber())) {
            assertThat(address(host(t.remoteAddress()))).isInstanceOf(Inet4Address.class);
        }
    }

    private static ParticipantSnapshot participant(RoomSnapshot room, String name) {
        return room.participants().stream().filter(p -> name.equals(p.name())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + room));
    }

    /** The address part of {@code ip:port} as the inspector writes it (an IPv6 address has colons of its own). */
    private static String host(String ipPort) {
        return ipPort.substring(0, ipPort.lastIndexOf(':'));
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        InetAddress a = InetAddress.getByName(literal); // a literal: no lookup
        assertThat(a).isInstanceOfAny(Inet4Address.class, Inet6Address.class);
        return a;
    }

    /** Waits until both connections' stats name their selected candidate pair; returns the stats. */
    private static JsonObject awaitPairs(ChromeBrowser b) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil("the selected candidate pairs in the stats", Duration.ofSeconds(10), Duration.ofMillis(50),
                x -> {
                    JsonObject s = new JsonObject(String.valueOf(x.asyncJs(STATS)));
                    last.set(s);
                    return s.getJsonObject("subscriberPair") != null && s.getJsonObject("publisherPair") != null
                            ? s : null;
                }, () -> "last stats " + last.get());
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
