package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.link.LinkMetrics;
import dev.prism.cluster.link.LinkSettings;
import dev.prism.core.config.PrismConfig;
import dev.prism.server.PrismServer;
import dev.prism.server.link.ClusterLinks;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.route.Route;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Active speaker through a cluster proxy, with real media: two nodes in this JVM, every room owned by B, the
 * {@link ClusterLinks} between them on loopback (as prism-server's ClusterProxyTest). The load generator's
 * {@link Publisher} signals through A (proxied to B), sends its media straight to B over ICE/DTLS/SRTP, its Opus
 * packets carrying RFC 6464 speech levels; a listener whose WebSocket is also on A receives {@code speakers} naming
 * the talker. Lives in perf because the Java WebRTC client is here.
 */
class ProxiedSpeakersTest {
    private static final String API_SECRET = "proxied-speakers-api-secret-0123456789";
    private static final String CLUSTER_SECRET = "proxied-speakers-cluster-secret-0123";

    @Test
    @Timeout(60)
    void aProxiedListenerAndAProxiedTalkerHearSpeakersFromTheOwner() throws Exception {
        PrismServer a = node();
        PrismServer b = node();
        Vertx vertx = Vertx.vertx();
        ClusterLinks linksA = links(vertx, "node-a", a);
        ClusterLinks linksB = links(vertx, "node-b", b);
        a.sfu().useRouting(room -> CompletableFuture.completedFuture(new Route.Remote("node-b",
                linksB.linkAddress())), (owner, request) -> linksA.remoteSessions().open(owner, request));
        b.sfu().useRouting(room -> CompletableFuture.completedFuture(Route.LOCAL),
                (owner, request) -> linksB.remoteSessions().open(owner, request));
        HttpClient http = HttpClient.newHttpClient();
        try (LoadContext ctx = new LoadContext("127.0.0.1", 1)) {
            Inbox listener = new Inbox();
            WebSocket listenerWs = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(wsUri(a, "speakers", "listener"), listener).get(10, TimeUnit.SECONDS);
            listener.next("welcome", 10);

            EventLoop loop = ctx.loop(0);
            PrismSignaling talkerSignaling = new PrismSignaling(http, wsUri(a, "speakers", "talker"), loop, "talker");
            Publisher talker = new Publisher(ctx, loop, MediaProfile.DEFAULT, 0, talkerSignaling).audioOnly();
            talker.start().get(30, TimeUnit.SECONDS);

            JsonObject speakers = listener.next("speakers", 15);
            assertThat(speakers.getString("dominant")).isEqualTo("talker");
            assertThat(speakers.getJsonArray("speakers").getJsonObject(0).getString("participantId"))
                    .isEqualTo("talker");
            assertThat(b.inspector().rooms().join()).anyMatch(r -> r.id().equals("speakers"));
            assertThat(a.inspector().rooms().join()).noneMatch(r -> r.id().equals("speakers"));
            assertThat(a.sfu().proxyCounters().active()).as("both sockets proxied by A").isEqualTo(2);

            loop.submit(talker::stop).get(5, TimeUnit.SECONDS);
            listenerWs.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        } finally {
            linksA.close();
            linksB.close();
            a.close();
            b.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private static PrismServer node() {
        return PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(API_SECRET).build());
    }

    private static ClusterLinks links(Vertx vertx, String nodeId, PrismServer node) throws Exception {
        return ClusterLinks.start(vertx, nodeId, CLUSTER_SECRET, "127.0.0.1", 0, node.sfu().proxiedSessionAcceptor(),
                new LinkMetrics(), LinkSettings.DEFAULTS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static URI wsUri(PrismServer at, String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        String token = ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
        return URI.create("ws://127.0.0.1:" + at.httpPort() + "/ws?token="
                + URLEncoder.encode(token, StandardCharsets.US_ASCII));
    }

    /** A WebSocket listener keeping every message, for waiting on one type with a deadline. */
    private static final class Inbox implements WebSocket.Listener {
        private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonObject next(String type, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                JsonObject m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no '" + type + "' message within " + seconds + " s");
                }
                if (type.equals(m.getString("type"))) {
                    return m;
                }
            }
        }
    }
}
