package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.server.turn.Coturn;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A participant whose network lets out only TCP to port 443 reaches Prism through coturn (TURN over TLS on 443) and
 * media flows both ways.
 * <ul>
 *   <li>coturn runs deploy/coturn/turnserver.conf (site lines replaced, see {@link Coturn}) on this machine's end of
 *       bob's veth link, TLS and TCP on port 443, with a self-signed certificate for that address made here. The
 *       deploy file denies relaying to private ranges; Prism's media address (also on that link, a 10.x address) is
 *       the allowed exception, as deploy/README.md tells operators to configure it.</li>
 *   <li>Prism hands out {@code turns:ADDR:443?transport=tcp} with per-participant credentials (--turn-url,
 *       --turn-secret).</li>
 *   <li>bob's namespace drops every packet it sends except TCP to port 443 of that address and TCP to Prism's
 *       signaling port (signaling has to reach Prism somehow; no media can take that port). His page runs the SDK with
 *       {@code forceRelay} ({@code ?relay=1}) and Chromium with {@code --ignore-certificate-errors}, which its TURN
 *       client honours for the test certificate.</li>
 *   <li>alice (this machine, plain UDP) publishes; bob publishes and receives over the relay; carol (this machine,
 *       plain UDP, receive only) joins after bob as the UDP baseline. Join-to-first-frame of bob (TURN/TLS) and carol
 *       (UDP) are printed, with the candidate types and relay protocol the browsers report.</li>
 * </ul>
 * Needs root (namespaces, nftables, port 443) and coturn; everything started here is stopped on every path.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class TurnBrowserTest implements BrowserArtifacts.Browsers {
    private static final String TURN_SECRET = "turn-browser-test-secret-0123456789abcdef";
    private static final Duration FIRST_FRAME_TIMEOUT = Duration.ofSeconds(45);
    private static final int TLS_PORT = 443;

    /** Per connection: the selected pair's local candidate and the video frames decoded, as JSON text. */
    private static final String PATHS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism && window.prism.client;
              if (!c) return { error: 'no client' };
              const out = {};
              for (const [name, pc] of [['subscriber', c.subscriberPc], ['publisher', c.publisherPc]]) {
                if (!pc) continue;
                const stats = await pc.getStats();
                const byId = new Map();
                stats.forEach((s) => byId.set(s.id, s));
                const entry = { framesDecoded: 0, iceState: pc.iceConnectionState };
                stats.forEach((s) => {
                  if (s.type === 'transport' && s.selectedCandidatePairId) {
                    const pair = byId.get(s.selectedCandidatePairId);
                    const local = pair && byId.get(pair.localCandidateId);
                    if (local) {
                      entry.candidateType = local.candidateType;
                      entry.protocol = local.protocol;
                      entry.relayProtocol = local.relayProtocol || null;
                    }
                  }
                  if (s.type === 'inbound-rtp' && s.kind === 'video') entry.framesDecoded += s.framesDecoded || 0;
                });
                out[name] = entry;
              }
              return out;
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    private NetNamespace ns;
    private Coturn coturn;
    private PrismTestServer server;
    private final List<ChromeBrowser> browsers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        try {
            BrowserThreads.parallel(new ArrayList<>(browsers), b -> {
                b.close();
                return b;
            });
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                try {
                    if (coturn != null) {
                        coturn.close();
                    }
                } finally {
                    if (ns != null) {
                        ns.close();
                    }
                }
            }
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return browsers;
    }

    @Test
    void aParticipantThatReachesOnlyTcp443JoinsThroughTurnOverTlsAndMediaFlowsBothWays() {
        assertThat(NetNamespace.available()).as("network namespaces need root, ip and nft (./test installs them)")
                .isTrue();
        assertThat(Coturn.installed()).as("coturn (./test installs it)").isTrue();
        ns = NetNamespace.create();
        String addr = ns.hostAddress();
        coturn = Coturn.start(addr, Coturn.freePort(), TLS_PORT, TURN_SECRET, List.of(addr));
        String turnUrl = System.getProperty("prism.turn.url", "turns:" + addr + ":" + TLS_PORT + "?transport=tcp");
        server = PrismTestServer.startReachableAt(addr, b -> b.turnUrls(List.of(turnUrl)).turnSecret(TURN_SECRET));
        // Only TCP to coturn's 443 and to Prism's signaling port leave bob's namespace; UDP and all else is dropped.
        ns.nft("""
                table inet prism_turn {
                  chain output {
                    type filter hook output priority 0; policy drop;
                    oif "lo" accept
                    ip daddr %1$s tcp dport %2$d counter accept comment "turn"
                    ip daddr %1$s tcp dport %3$d counter accept comment "signaling"
                    counter comment "dropped"
                  }
                }
                """.formatted(addr, TLS_PORT, server.httpPort()));
        List<String> bobArgs = new ArrayList<>(List.of("--unsafely-treat-insecure-origin-as-secure=http://" + addr
                + ":" + server.httpPort()));
        if (Boolean.parseBoolean(System.getProperty("prism.turn.ignoreCertificateErrors", "true"))) {
            bobArgs.add("--ignore-certificate-errors"); // the test certificate is self-signed
        }
        List<Supplier<ChromeBrowser>> launches = List.of(() -> ChromeBrowser.launch("alice"),
                () -> ChromeBrowser.launch("bob", ns.wrap(ChromeBrowser.CHROMIUM), bobArgs),
                () -> ChromeBrowser.launch("carol"));
        browsers.addAll(ChromeBrowser.launchEach(launches));
        ChromeBrowser alice = browsers.get(0);
        ChromeBrowser bob = browsers.get(1);
        ChromeBrowser carol = browsers.get(2);
        String room = "turn-" + Long.toHexString(System.nanoTime());

        alice.open(server.joinUrl(room, "alice") + "&simulcast=0");
        // Both first-frame figures below are taken against a publisher already sending: bob's and carol's.
        alice.waitFor("alice's publisher connection up", "window.prism && window.prism.client"
                + " && window.prism.client.publisherPc && window.prism.client.publisherPc.connectionState === 'connected'",
                FIRST_FRAME_TIMEOUT);
        bob.open(server.joinUrl(addr, room, "bob") + "&simulcast=0&relay=1");
        long bobFirstFrameMs = firstFrameMs(bob);
        // His publisher connection may still be negotiating when he decodes his first frame (the camera comes later
        // on a loaded machine): wait, with a deadline, until both name a selected pair.
        JsonObject bobPaths = awaitBothPaths(bob);
        carol.open(server.joinUrl(room, "carol") + "&publish=none");
        long carolFirstFrameMs = firstFrameMs(carol);
        // alice decodes bob's video: his publisher connection runs over the relay too
        long aliceSawBobMs = firstFrameMs(alice);
        JsonObject alicePaths = paths(alice);
        JsonObject carolPaths = paths(carol);
        String rules = ns.exec("nft", "list", "chain", "inet", "prism_turn", "output").replaceAll("\\s+", " ");

        System.out.printf("[prism-turn] FIGURES: join to first decoded frame: bob through TURN (%s) %d ms, carol over "
                + "UDP %d ms (ratio %.2f); alice was decoding bob's video when checked, %d ms after her join%n", turnUrl,
                bobFirstFrameMs, carolFirstFrameMs, (double) bobFirstFrameMs / Math.max(1, carolFirstFrameMs),
                aliceSawBobMs);
        System.out.printf("[prism-turn] paths: bob %s; alice %s; carol %s%n", bobPaths, alicePaths, carolPaths);
        System.out.printf("[prism-turn] bob's namespace output: %s%n", rules);

        String expectedRelay = turnUrl.startsWith("turns:") ? "tls" : "tcp";
        for (String pc : List.of("subscriber", "publisher")) {
            JsonObject p = bobPaths.getJsonObject(pc);
            assertThat(p).as("bob's %s connection stats: %s", pc, bobPaths).isNotNull();
            assertThat(p.getString("candidateType")).as("bob's %s path: %s", pc, bobPaths).isEqualTo("relay");
            assertThat(p.getString("relayProtocol")).as("bob's %s path: %s", pc, bobPaths).isEqualTo(expectedRelay);
        }
        // What Prism shows (issue #13 "Visible"): bob's browser reported both connections relayed through TURN over
        // TLS; Prism's own view of them is UDP from the relay's IPv4 address.
        ConnectionPaths.Both bobSeen = ConnectionPaths.await(bob, server.server(), room, "bob",
                t -> t != null && "connected".equals(t.state()) && t.candidate().equals("relay_" + expectedRelay),
                "udp", "ipv4", "relay_" + expectedRelay, 2);
        System.out.printf("[prism-turn] Prism shows bob: %s; carol: %s%n", bobSeen,
                ConnectionPaths.read(server.server(), room, "carol"));
        for (var t : List.of(bobSeen.publisher(), bobSeen.subscriber())) {
            assertThat(t.protocol()).as("Prism's view of bob's path: %s", bobSeen).isEqualTo("udp");
            assertThat(t.family()).as("Prism's view of bob's path: %s", bobSeen).isEqualTo("ipv4");
            assertThat(t.clientDisagrees()).as("bob's report agrees with Prism: %s", bobSeen).isFalse();
        }
        assertThat(rules).as("bob's traffic went to coturn's 443 and the rest was dropped")
                .containsPattern("dport " + TLS_PORT + " counter packets [1-9]");
        assertThat(alicePaths.getJsonObject("subscriber").getLong("framesDecoded")).as("alice decodes bob's video")
                .isPositive();
    }

    /** Milliseconds from the browser's page open to its first decoded remote video frame. */
    private static long firstFrameMs(ChromeBrowser b) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil("a first decoded remote video frame", FIRST_FRAME_TIMEOUT, x -> {
            JsonObject p = paths(x);
            last.set(p);
            JsonObject sub = p.getJsonObject("subscriber");
            return sub != null && sub.getLong("framesDecoded", 0L) > 0
                    ? (System.nanoTime() - x.openedAtNanos()) / 1_000_000 : null;
        }, () -> "last " + last.get());
    }

    private static JsonObject awaitBothPaths(ChromeBrowser b) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil("both connections' selected pairs", FIRST_FRAME_TIMEOUT, x -> {
            JsonObject p = paths(x);
            last.set(p);
            JsonObject sub = p.getJsonObject("subscriber");
            JsonObject pub = p.getJsonObject("publisher");
            return sub != null && pub != null && sub.getString("candidateType") != null
                    && pub.getString("candidateType") != null ? p : null;
        }, () -> "last " + last.get());
    }

    private static JsonObject paths(ChromeBrowser b) {
        return new JsonObject(String.valueOf(b.asyncJs(PATHS)));
    }
}
