package dev.prism.signaling.http;

import dev.prism.core.clock.MonoClock;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the HTTP server's defences (see the package documentation) into one Vert.x HTTP server: its options, its
 * connection handler, a hook before routing, and a guard on each signaling WebSocket.
 *
 * <p>Threading: {@link #configure} on the deploying thread; the rest on the connection's event loop.
 */
public final class HttpGuards {
    private static final Logger log = LoggerFactory.getLogger(HttpGuards.class);

    private final HttpLimits limits;
    private final HttpGuardCounters counters;
    private final MonoClock clock;
    private final GuardLog sizeLog;
    private final GuardLog livenessLog;
    private final ClientHangUps clientHangUps;
    private RequestHeadDeadline deadline;

    public HttpGuards(HttpLimits limits, HttpGuardCounters counters, MonoClock clock) {
        this.limits = limits;
        this.counters = counters;
        this.clock = clock;
        this.sizeLog = new GuardLog(log, clock);
        this.livenessLog = new GuardLog(log, clock);
        this.clientHangUps = new ClientHangUps(counters, clock);
    }

    /** The router's failure handler for clients that hang up mid-response. */
    public ClientHangUps clientHangUps() {
        return clientHangUps;
    }

    public HttpLimits limits() {
        return limits;
    }

    /**
     * Sets the WebSocket frame and message limits and the idle timeout on {@code options}, and prepares the
     * request-head deadline for {@code vertx}'s timers.
     */
    public HttpServerOptions configure(Vertx vertx, HttpServerOptions options) {
        deadline = new RequestHeadDeadline(vertx, limits.requestHeadTimeout().toMillis(), counters,
                new GuardLog(log, clock));
        // No h2c: with it Vert.x holds a new connection in protocol detection, before any connection handler runs.
        return options.setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(limits.maxMessageBytes())
                .setMaxWebSocketMessageSize(limits.maxMessageBytes())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
    }

    /** The server's connection handler: starts the connection's request-head deadline. */
    public void connectionOpened(HttpConnection connection) {
        deadline.opened(connection);
    }

    /** Call first for every request (the head is complete): stops its connection's deadline. */
    public void requestArrived(HttpServerRequest request) {
        if (request.headers().contains("Upgrade", "websocket", true)) {
            deadline.upgrading(request.connection());
        } else {
            deadline.requestArrived(request.connection());
        }
    }

    /** A router handler, first of all: re-arms the deadline when the response ends (keep-alive). */
    public void rearmAfterResponse(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (!ctx.request().headers().contains("Upgrade", "websocket", true)) {
            ctx.addEndHandler(v -> deadline.responseEnded(connection));
        }
        ctx.next();
    }

    /**
     * Puts the size and liveness guard on an accepted WebSocket's pipeline, just before Vert.x's own handler. Call
     * at once in the upgrade's success callback (on the connection's event loop), before anything else reads it.
     */
    public void guard(ServerWebSocket ws) {
        ChannelHandlerContext vertxHandler = ((WebSocketInternal) ws).channelHandlerContext();
        vertxHandler.pipeline().addBefore(vertxHandler.name(), "prism-websocket-guard",
                new WebSocketGuard(limits, counters, sizeLog, livenessLog, ws.remoteAddress(), clock));
    }
}
