package dev.prism.cluster.link;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge's persistent connection to one peer node, made by {@link LinkClient#open}: one TCP connection, shared by
 * every channel to that node, authenticated on each (re)connect, and reconnected with exponential backoff
 * ({@link LinkSettings#reconnectMinMillis()} doubling up to {@link LinkSettings#reconnectMaxMillis()}) whenever it is
 * lost, until {@link #close()}. Close it when the node leaves the registry.
 *
 * <p>When the connection dies, every channel on it closes with {@link LinkCloseCodes#LINK_LOST} (or
 * {@link LinkCloseCodes#LINK_SHUTDOWN} when the peer shut its link down): the edge's client should resume.
 *
 * <p>Threading: every method from any thread. The connection, its channels and all their callbacks live on
 * {@link #context()}; the futures complete there.
 */
public final class LinkConnection {
    /** Opens waiting for a connection beyond this fail at once (a peer that takes long to reach). */
    static final int MAX_WAITING_OPENS = 1024;

    private final LinkClient client;
    private final String host;
    private final int port;
    private final Context context;
    private final ArrayDeque<WaitingOpen> waiting = new ArrayDeque<>();
    private volatile LinkMux mux;
    private volatile String peerNodeId;
    private boolean connecting;
    private boolean closed;
    private long backoffMillis;
    private long retryTimer = -1;
    private int attempts;

    private record WaitingOpen(OpenRequest request, Promise<LinkChannel> promise) {
    }

    LinkConnection(LinkClient client, String host, int port, Context context) {
        this.client = client;
        this.host = host;
        this.port = port;
        this.context = context;
        this.backoffMillis = client.settings().reconnectMinMillis();
    }

    /** The event loop this connection and its channels run on. */
    public Context context() {
        return context;
    }

    /** {@code host:port} this connection reaches. */
    public String address() {
        return host + ":" + port;
    }

    /** True while an authenticated connection is up. */
    public boolean isConnected() {
        LinkMux m = mux;
        return m != null && !m.isDown();
    }

    /** The peer's authenticated node id, once connected (null before). */
    public String peerNodeId() {
        return peerNodeId;
    }

    /**
     * Opens a channel on this connection (connecting first if it is not up). Fails with a
     * {@link ChannelRefusedException} when the peer refused (e.g. {@code not_owner}), or a
     * {@link LinkUnavailableException} when the connection could not be made or was lost, or the peer did not answer
     * within {@link LinkSettings#openTimeoutMillis()}.
     */
    public Future<LinkChannel> openChannel(OpenRequest request) {
        Promise<LinkChannel> promise = Promise.promise();
        context.runOnContext(v -> {
            if (closed) {
                promise.fail(new LinkUnavailableException("closed", "link connection closed"));
            } else if (isConnected()) {
                mux.open(request).onComplete(promise);
            } else if (waiting.size() >= MAX_WAITING_OPENS) {
                promise.fail(new LinkUnavailableException("connect_failed", "too many opens waiting for " + address()));
            } else {
                waiting.add(new WaitingOpen(request, promise));
                connectNow();
            }
        });
        return promise.future();
    }

    /** Closes the connection for good: its channels close with {@link LinkCloseCodes#LINK_SHUTDOWN}. */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            client.forget(this);
            if (retryTimer >= 0) {
                client.vertx().cancelTimer(retryTimer);
            }
            failWaiting(new LinkUnavailableException("closed", "link connection closed"));
            LinkMux m = mux;
            if (m != null) {
                m.shutdown();
            }
            done.complete();
        });
        return done.future();
    }

    /** Starts the connection now (no-op if connected or connecting). On the context. */
    void connectNow() {
        if (closed || connecting || isConnected()) {
            return;
        }
        if (retryTimer >= 0) {
            client.vertx().cancelTimer(retryTimer);
            retryTimer = -1;
        }
        connecting = true;
        if (attempts++ > 0) {
            client.metrics().reconnectAttempts.increment();
        }
        client.netClient().connect(port, host).onComplete(ar -> {
            if (ar.failed()) {
                failed(new LinkUnavailableException("connect_failed", ar.cause().getMessage()));
            } else if (closed) {
                ar.result().close();
                connecting = false;
            } else {
                new ClientHandshake(client, new FramedSocket(ar.result(), client.settings(), client.metrics()),
                        this::authenticated, this::failed).start();
            }
        });
    }

    private void authenticated(FramedSocket socket, String peer) {
        connecting = false;
        backoffMillis = client.settings().reconnectMinMillis();
        peerNodeId = peer;
        LinkMux[] self = new LinkMux[1];
        self[0] = new LinkMux(client.vertx(), socket, client.settings(), client.metrics(), client.clock(),
                client.log(), true, peer, null, down -> lost(self[0]));
        mux = self[0];
        if (closed) {
            mux.shutdown();
            return;
        }
        List<WaitingOpen> opens = new ArrayList<>(waiting);
        waiting.clear();
        for (WaitingOpen w : opens) {
            mux.open(w.request()).onComplete(w.promise());
        }
    }

    private void failed(LinkUnavailableException e) {
        connecting = false;
        failWaiting(e);
        scheduleReconnect();
    }

    private void lost(LinkMux down) {
        if (mux == down) {
            mux = null;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed || retryTimer >= 0) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, client.settings().reconnectMaxMillis());
        retryTimer = client.vertx().setTimer(delay, t -> {
            retryTimer = -1;
            connectNow();
        });
    }

    private void failWaiting(LinkUnavailableException e) {
        List<WaitingOpen> opens = new ArrayList<>(waiting);
        waiting.clear();
        for (WaitingOpen w : opens) {
            w.promise().tryFail(e);
        }
    }
}
