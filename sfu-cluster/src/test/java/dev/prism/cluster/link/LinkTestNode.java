package dev.prism.cluster.link;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One node's link endpoints for tests: a {@link LinkServer} on a free loopback port and a {@link LinkClient}, sharing
 * one {@link LinkMetrics}. By default every incoming channel is accepted, records what it receives, and echoes each
 * message back as {@code "echo:" + message}.
 */
final class LinkTestNode implements AutoCloseable {
    static final String SECRET = "test-cluster-secret-0123456789";

    final String id;
    final LinkMetrics metrics = new LinkMetrics();
    final LinkServer server;
    final LinkClient client;
    final int port;
    /** Channels accepted by the server, by id. */
    final Map<Integer, LinkChannel> accepted = new ConcurrentHashMap<>();
    /** Messages each accepted channel received, in order. */
    final Map<Integer, List<String>> received = new ConcurrentHashMap<>();
    /** How each accepted channel closed. */
    final Map<Integer, LinkClose> closes = new ConcurrentHashMap<>();

    LinkTestNode(Vertx vertx, String id, String secret, LinkSettings settings, Handler<IncomingChannel> incoming)
            throws Exception {
        this.id = id;
        this.server = new LinkServer(vertx, id, secret, settings, metrics, MonoClock.SYSTEM,
                incoming != null ? incoming : this::echo);
        this.client = new LinkClient(vertx, id, secret, settings, metrics, MonoClock.SYSTEM);
        this.port = server.listen("127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    }

    LinkTestNode(Vertx vertx, String id, LinkSettings settings) throws Exception {
        this(vertx, id, SECRET, settings, null);
    }

    String url() {
        return "link://127.0.0.1:" + port;
    }

    private void echo(IncomingChannel incoming) {
        LinkChannel ch = incoming.accept();
        List<String> got = new CopyOnWriteArrayList<>();
        accepted.put(ch.id(), ch);
        received.put(ch.id(), got);
        ch.handler(m -> {
            got.add(m);
            ch.write("echo:" + m);
        });
        ch.closeHandler(c -> closes.put(ch.id(), c));
    }

    @Override
    public void close() throws Exception {
        client.close().await(5, TimeUnit.SECONDS);
        server.close().await(5, TimeUnit.SECONDS);
    }
}
