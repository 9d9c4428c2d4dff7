package dev.prism.perf.link;

import dev.prism.cluster.link.LinkChannel;
import dev.prism.cluster.link.LinkClient;
import dev.prism.cluster.link.LinkMetrics;
import dev.prism.cluster.link.LinkServer;
import dev.prism.cluster.link.LinkSettings;
import dev.prism.cluster.link.OpenRequest;
import dev.prism.core.clock.MonoClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The proxy hop's cost on loopback (issue #12's target: added p99 at most 2 ms). Sequential round trips of a
 * 200-byte text message, each path measured the same way from a plain client thread:
 * <ol>
 *   <li>{@code direct}: a client WebSocket to an echoing WebSocket server (a session on the node that holds the
 *       socket);</li>
 *   <li>{@code proxied}: the same client WebSocket to an edge server that forwards each message over a link channel
 *       to an owner that echoes it, and the echo back (a session proxied to the room's owner);</li>
 *   <li>{@code link}: a round trip on the link channel alone.</li>
 * </ol>
 * Prints p50/p90/p99/max of each and the added latency {@code proxied - direct} per percentile. Usage:
 * {@code perf/run link [round-trips, default 20000]}. One Vert.x instance with 2 event loops holds every endpoint.
 */
public final class LinkPingBench {
    private static final String SECRET = "perf-cluster-secret-0123456789";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmup = Math.max(2_000, n / 5);
        String text = "x".repeat(200);
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(2));
        try {
            // owner: a link server whose channels echo
            LinkServer owner = new LinkServer(vertx, "owner", SECRET, LinkSettings.DEFAULTS, new LinkMetrics(),
                    MonoClock.SYSTEM, in -> {
                        LinkChannel ch = in.accept();
                        ch.handler(ch::write);
                    });
            int ownerPort = owner.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
            LinkClient edgeLink = new LinkClient(vertx, "edge", SECRET, LinkSettings.DEFAULTS, new LinkMetrics(),
                    MonoClock.SYSTEM);
            String ownerUrl = "link://127.0.0.1:" + ownerPort;

            // direct: an echoing WebSocket server
            HttpServer direct = vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage));
            int directPort = direct.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

            // edge: a WebSocket server proxying each socket to the owner over one channel
            HttpServer edge = vertx.createHttpServer().webSocketHandler(ws -> {
                ws.pause();
                edgeLink.open(ownerUrl).openChannel(OpenRequest.session("t", null, "bench", "room"))
                        .onSuccess(ch -> {
                            ch.handler(ws::writeTextMessage);
                            ws.textMessageHandler(ch::write);
                            ws.resume();
                        })
                        .onFailure(e -> ws.close());
            });
            int edgePort = edge.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();

            // kept referenced to the end: Vert.x closes a client that is garbage collected
            WebSocketClient wsClient = vertx.createWebSocketClient();
            Pinger directPing = pinger(socket(wsClient, directPort));
            Pinger proxiedPing = pinger(socket(wsClient, edgePort));
            LinkChannel channel = edgeLink.open(ownerUrl).openChannel(OpenRequest.session("t", null, "bench", "r"))
                    .await(10, TimeUnit.SECONDS);
            Pinger linkPing = pinger(channel);
            Histogram directRtt = new Histogram(60_000_000L, 3);
            Histogram proxiedRtt = new Histogram(60_000_000L, 3);
            Histogram linkRtt = new Histogram(60_000_000L, 3);
            Histogram discard = new Histogram(60_000_000L, 3);
            for (Pinger p : new Pinger[] {directPing, proxiedPing, linkPing}) {
                run(p, text, warmup, discard);
            }
            // ten alternating rounds, so a noisy moment on the shared machine falls on every path alike
            for (int round = 0; round < 10; round++) {
                run(directPing, text, n / 10, directRtt);
                run(proxiedPing, text, n / 10, proxiedRtt);
                run(linkPing, text, n / 10, linkRtt);
            }
            System.out.printf("link ping bench: %d sequential round trips of a %d-byte text on loopback (after %d warm-up)%n",
                    n, text.length(), warmup);
            System.out.printf("%-34s %9s %9s %9s %9s%n", "path (microseconds)", "p50", "p90", "p99", "max");
            row("direct WebSocket", directRtt);
            row("WebSocket proxied over the link", proxiedRtt);
            row("link channel alone", linkRtt);
            System.out.printf("%-34s %9d %9d %9d%n", "added by the proxy hop",
                    proxiedRtt.getValueAtPercentile(50) - directRtt.getValueAtPercentile(50),
                    proxiedRtt.getValueAtPercentile(90) - directRtt.getValueAtPercentile(90),
                    proxiedRtt.getValueAtPercentile(99) - directRtt.getValueAtPercentile(99));
            wsClient.close().await(10, TimeUnit.SECONDS);
            edgeLink.close().await(10, TimeUnit.SECONDS);
            owner.close().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static WebSocket socket(WebSocketClient client, int port) throws Exception {
        return client.connect(port, "127.0.0.1", "/").await(10, TimeUnit.SECONDS);
    }

    /** Sends one text and waits for its echo. */
    private interface Pinger {
        void send(String text);

        SynchronousQueue<String> replies();
    }

    private static Pinger pinger(WebSocket ws) {
        SynchronousQueue<String> replies = new SynchronousQueue<>();
        ws.textMessageHandler(m -> offer(replies, m));
        return new Pinger() {
            public void send(String text) {
                ws.writeTextMessage(text);
            }

            public SynchronousQueue<String> replies() {
                return replies;
            }
        };
    }

    private static Pinger pinger(LinkChannel ch) {
        SynchronousQueue<String> replies = new SynchronousQueue<>();
        ch.handler(m -> offer(replies, m));
        return new Pinger() {
            public void send(String text) {
                ch.write(text);
            }

            public SynchronousQueue<String> replies() {
                return replies;
            }
        };
    }

    private static void offer(SynchronousQueue<String> replies, String m) {
        try {
            replies.put(m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(Pinger p, String text, int count, Histogram into) throws Exception {
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            p.send(text);
            if (p.replies().poll(10, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no echo within 10 s");
            }
            into.recordValue((System.nanoTime() - start) / 1_000);
        }
    }

    private static void row(String name, Histogram h) {
        System.out.printf("%-34s %9d %9d %9d %9d%n", name, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getMaxValue());
    }

    private LinkPingBench() {
    }
}
