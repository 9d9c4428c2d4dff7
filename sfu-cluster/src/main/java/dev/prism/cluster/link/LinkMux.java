package dev.prism.cluster.link;

import dev.prism.core.clock.MonoClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multiplexer over one authenticated connection: channels by id, their frames, the socket's write queue shared
 * fairly between them, pings and the liveness deadline. Both ends run one; the client side opens odd channel ids, the
 * server side even ones, each strictly increasing, so an id is never reused on a connection.
 *
 * <p>Threading: created on, and confined to, the connection's context; every frame, timer and socket callback runs
 * there. Public channel methods hop onto it ({@link #onContext(Runnable)}).
 */
final class LinkMux {
    private static final Logger LOG = LoggerFactory.getLogger(LinkMux.class);

    private final Vertx vertx;
    private final Context context;
    private final FramedSocket socket;
    private final LinkSettings settings;
    private final LinkMetrics metrics;
    private final MonoClock clock;
    private final LinkLog log;
    private final String peerNodeId;
    private final Handler<IncomingChannel> incoming;
    private final Handler<LinkClose> onDown;
    private final Map<Integer, ChannelImpl> channels = new HashMap<>();
    private final ArrayDeque<ChannelImpl> waitingForSocket = new ArrayDeque<>();
    private int nextId;
    private int lastPeerId;
    private long lastFrameNanos;
    private final long pingTimer;
    private boolean down;

    LinkMux(Vertx vertx, FramedSocket socket, LinkSettings settings, LinkMetrics metrics, MonoClock clock,
            LinkLog log, boolean clientSide, String peerNodeId, Handler<IncomingChannel> incoming,
            Handler<LinkClose> onDown) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.socket = socket;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.log = log;
        this.peerNodeId = peerNodeId;
        this.incoming = incoming;
        this.onDown = onDown;
        this.nextId = clientSide ? 1 : 2;
        this.lastPeerId = clientSide ? 0 : -1;
        this.lastFrameNanos = clock.nanos();
        metrics.connectionsOpened.increment();
        socket.onFrame(this::handle);
        socket.onDrain(v -> drainSocket());
        socket.onClosed(v -> down(LinkCloseCodes.LINK_LOST, "connection_closed", true));
        socket.onProtocolError(e -> {
            log.protocolError(socket.remoteAddress() + " (node " + peerNodeId + ")", e);
            down(LinkCloseCodes.LINK_LOST, "protocol_error", true);
        });
        this.pingTimer = vertx.setPeriodic(settings.pingIntervalMillis(), t -> tick());
    }

    // ---- accessors for channels

    Context context() {
        return context;
    }

    String peerNodeId() {
        return peerNodeId;
    }

    LinkSettings settings() {
        return settings;
    }

    LinkMetrics metrics() {
        return metrics;
    }

    LinkLog log() {
        return log;
    }

    boolean onContext() {
        return Vertx.currentContext() == context;
    }

    void onContext(Runnable action) {
        if (onContext()) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    <T> void call(Handler<T> handler, T value) {
        try {
            handler.handle(value);
        } catch (RuntimeException e) {
            LOG.warn("link channel handler threw (peer {})", peerNodeId, e);
        }
    }

    long setTimer(long millis, Handler<Long> handler) {
        return vertx.setTimer(millis, handler);
    }

    void cancelTimer(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    boolean isDown() {
        return down;
    }

    int channelCount() {
        return channels.size();
    }

    // ---- opening

    /** Opens a channel; the future completes on this context. */
    Future<LinkChannel> open(OpenRequest request) {
        Promise<LinkChannel> promise = Promise.promise();
        if (down) {
            promise.fail(new LinkUnavailableException("link_lost", "the connection to " + peerNodeId + " is down"));
            return promise.future();
        }
        int id = nextId;
        nextId += 2;
        ChannelImpl ch = new ChannelImpl(this, id, request, ChannelImpl.State.OPENING, settings.channelWindowBytes());
        ch.opened = promise;
        channels.put(id, ch);
        try {
            send(new LinkFrame.Open(id, settings.channelWindowBytes(), request));
        } catch (IllegalArgumentException e) {
            channels.remove(id);
            promise.fail(e);
            return promise.future();
        }
        ch.decisionTimer = vertx.setTimer(settings.openTimeoutMillis(), t -> {
            if (ch.state == ChannelImpl.State.OPENING) {
                send(new LinkFrame.Close(id, LinkCloseCodes.NORMAL, "open_timeout"));
                ch.abandoned(new LinkClose(LinkCloseCodes.NORMAL, "open_timeout", false));
                promise.tryFail(new LinkUnavailableException("open_timeout", "no answer from " + peerNodeId));
            }
        });
        return promise.future();
    }

    private void onOpen(LinkFrame.Open open) {
        int id = open.channel();
        if ((id & 1) == (nextId & 1) || id <= lastPeerId) {
            socket.protocolError(new LinkProtocolException(LinkProtocolException.Reason.BAD_CHANNEL,
                    "open of channel " + id + " after " + lastPeerId));
            return;
        }
        lastPeerId = id;
        ChannelImpl ch = new ChannelImpl(this, id, open.request(), ChannelImpl.State.ACCEPTING,
                settings.channelWindowBytes());
        ch.opened(open.credit());
        ch.state = ChannelImpl.State.ACCEPTING;
        channels.put(id, ch);
        if (incoming == null) {
            refused(ch, "not_accepted", "this node takes no channels");
            return;
        }
        if (channels.size() > settings.maxChannelsPerConnection()) {
            refused(ch, "too_many_channels", "at most " + settings.maxChannelsPerConnection());
            return;
        }
        ch.decisionTimer = vertx.setTimer(settings.openTimeoutMillis(), t -> {
            if (ch.state == ChannelImpl.State.ACCEPTING) {
                refused(ch, "timeout", "not decided in " + settings.openTimeoutMillis() + " ms");
            }
        });
        try {
            incoming.handle(ch);
        } catch (RuntimeException e) {
            LOG.warn("link: the incoming channel handler threw (peer {})", peerNodeId, e);
            if (ch.state == ChannelImpl.State.ACCEPTING) {
                refused(ch, "internal", "");
            }
        }
    }

    void accepted(ChannelImpl ch) {
        metrics.channelsOpened.increment();
        send(new LinkFrame.OpenOk(ch.id(), settings.channelWindowBytes()));
    }

    void refused(ChannelImpl ch, String reason, String detail) {
        metrics.channelsRefused.increment();
        ch.abandoned(new LinkClose(LinkCloseCodes.NORMAL, reason, false));
        if (!down) {
            send(new LinkFrame.OpenRefused(ch.id(), reason, detail == null ? "" : detail));
        }
    }

    // ---- frames

    private void handle(LinkFrame frame) {
        lastFrameNanos = clock.nanos();
        if (frame instanceof LinkFrame.Data d) {
            ChannelImpl ch = channels.get(d.channel());
            if (ch != null) {
                ch.received(d);
            }
        } else if (frame instanceof LinkFrame.Window w) {
            ChannelImpl ch = channels.get(w.channel());
            if (ch != null && ch.state != ChannelImpl.State.ACCEPTING && ch.state != ChannelImpl.State.OPENING) {
                ch.creditGranted(w.credit());
            }
        } else if (frame instanceof LinkFrame.Ping p) {
            send(new LinkFrame.Pong(p.value()));
        } else if (frame instanceof LinkFrame.Pong) {
            // liveness only
        } else if (frame instanceof LinkFrame.Open o) {
            onOpen(o);
        } else if (frame instanceof LinkFrame.OpenOk ok) {
            ChannelImpl ch = channels.get(ok.channel());
            if (ch != null && ch.state == ChannelImpl.State.OPENING) {
                cancelTimer(ch.decisionTimer);
                ch.opened(ok.credit());
                metrics.channelsOpened.increment();
                ch.opened.complete(ch);
            }
        } else if (frame instanceof LinkFrame.OpenRefused r) {
            ChannelImpl ch = channels.get(r.channel());
            if (ch != null && ch.state == ChannelImpl.State.OPENING) {
                metrics.channelsRefused.increment();
                ch.abandoned(new LinkClose(LinkCloseCodes.NORMAL, r.reason(), true));
                ch.opened.tryFail(new ChannelRefusedException(r.reason(), r.detail()));
            }
        } else if (frame instanceof LinkFrame.Close c) {
            onClose(c);
        } else {
            socket.protocolError(new LinkProtocolException(LinkProtocolException.Reason.UNKNOWN_TYPE,
                    "handshake frame after the handshake"));
        }
    }

    private void onClose(LinkFrame.Close c) {
        if (c.channel() == 0) {
            down(c.code() == LinkCloseCodes.LINK_SHUTDOWN ? LinkCloseCodes.LINK_SHUTDOWN : LinkCloseCodes.LINK_LOST,
                    "peer_closed", false);
            return;
        }
        ChannelImpl ch = channels.get(c.channel());
        if (ch == null) {
            return;
        }
        if (ch.state == ChannelImpl.State.ACCEPTING) {
            cancelTimer(ch.decisionTimer);
            ch.abandoned(new LinkClose(c.code(), c.reason(), true));
        } else if (ch.state == ChannelImpl.State.OPENING) {
            ch.abandoned(new LinkClose(c.code(), c.reason(), true));
            ch.opened.tryFail(new ChannelRefusedException("closed", c.reason()));
        } else {
            ch.remoteClosed(c);
        }
    }

    // ---- writing

    void send(LinkFrame frame) {
        write(FrameCodec.encode(frame));
    }

    void write(Buffer frame) {
        socket.write(frame);
    }

    boolean socketFull() {
        return socket.writeQueueFull();
    }

    void waitForSocket(ChannelImpl ch) {
        if (!ch.waitingForSocket) {
            ch.waitingForSocket = true;
            waitingForSocket.add(ch);
        }
    }

    /** The socket drained: each waiting channel in turn sends what it can (round robin, so none starves). */
    private void drainSocket() {
        int n = waitingForSocket.size();
        for (int i = 0; i < n && !socket.writeQueueFull(); i++) {
            ChannelImpl ch = waitingForSocket.poll();
            ch.waitingForSocket = false;
            ch.flush();
        }
    }

    void forget(ChannelImpl ch) {
        channels.remove(ch.id(), ch);
    }

    // ---- liveness and end

    private void tick() {
        if (down) {
            return;
        }
        long silentMillis = (clock.nanos() - lastFrameNanos) / 1_000_000L;
        if (silentMillis >= settings.deadAfterMillis()) {
            LOG.info("link to {}: no frame for {} ms, closing it", peerNodeId, silentMillis);
            down(LinkCloseCodes.LINK_LOST, "ping_timeout", true);
            return;
        }
        send(new LinkFrame.Ping(clock.nanos()));
    }

    /** Orderly local close: tells the peer, then closes every channel with {@link LinkCloseCodes#LINK_SHUTDOWN}. */
    void shutdown() {
        if (!down) {
            socket.closeAfter(new LinkFrame.Close(0, LinkCloseCodes.LINK_SHUTDOWN, "shutdown"));
            down(LinkCloseCodes.LINK_SHUTDOWN, "shutdown", false);
        }
    }

    private void down(int code, String reason, boolean lost) {
        if (down) {
            return;
        }
        down = true;
        vertx.cancelTimer(pingTimer);
        metrics.connectionsClosed.increment();
        if (lost) {
            metrics.connectionsLost.increment();
        }
        socket.close();
        for (ChannelImpl ch : new ArrayList<>(channels.values())) {
            if (ch.state == ChannelImpl.State.OPENING) {
                ch.abandoned(new LinkClose(code, reason, true));
                ch.opened.tryFail(new LinkUnavailableException("link_lost", reason));
            } else if (ch.state == ChannelImpl.State.ACCEPTING) {
                ch.abandoned(new LinkClose(code, reason, true));
            } else {
                ch.linkDown(code, reason);
            }
        }
        channels.clear();
        waitingForSocket.clear();
        onDown.handle(new LinkClose(code, reason, lost));
    }
}
