package dev.prism.signaling.route;

import dev.prism.core.text.ClientText;
import dev.prism.signaling.session.SessionRefusals;
import dev.prism.signaling.session.SfuContext;
import dev.prism.signaling.session.SocketFlowGuard;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of a proxied session: a client's WebSocket on this node bridged to a {@link ProxyChannel} to the room's
 * owner, where the session runs.
 *
 * <ul>
 *   <li><b>Order.</b> Each direction keeps its order: client frames are written to the channel from the WebSocket's
 *       loop; owner messages hop from the channel's loop onto the WebSocket's, one task each, in order.</li>
 *   <li><b>Backpressure both ways.</b> When the channel's write queue is full the client's WebSocket is not read until
 *       the channel drains (TCP pushes back on the client); when the WebSocket's write queue is full the channel is
 *       paused (the owner's credit runs out) until the WebSocket drains.</li>
 *   <li><b>Closes both ways.</b> The client's close code goes to the owner (1000/1001: the participant left; none: it
 *       detaches and waits for a resume); the owner's close code goes to the client; a link lost or shut down closes
 *       the client with 4013 {@code owner_lost} (the client resumes, which routes again).</li>
 *   <li><b>The edge's guards</b> still apply: frame size and pings (the HTTP guards on the WebSocket), and the message
 *       rate ({@link SocketFlowGuard}) before anything is written to the link.</li>
 * </ul>
 * If the channel cannot be opened the client gets {@code cluster_unavailable} and close 4014 (a {@code not_owner}
 * refusal is routed once more first: placement may have just moved). An owner that cannot be reached at all is most
 * likely dead (killed, its lease not yet expired): the edge routes again every {@value #UNREACHABLE_RETRY_MILLIS} ms
 * for up to {@value #UNREACHABLE_WAIT_MILLIS} ms from the start, so the first route after the lease expired places
 * the room on a live node and the client's attempt succeeds there instead of bouncing off 4014 and backing off
 * (issue #12 item 5: a killed owner's clients back without a round of 4014s). A route that turns local hands the
 * socket back to {@code local} (the session then runs on this node).
 *
 * <p>Threading: created and started on the WebSocket's event loop; all its state is touched there only.
 */
public final class ProxiedSession {
    private static final Logger log = LoggerFactory.getLogger(ProxiedSession.class);
    /** A close frame's reason is at most 123 bytes. */
    private static final int MAX_CLOSE_REASON = 120;
    /**
     * How long an edge keeps routing a session whose owner is unreachable: a dead owner's lease (1.5 s in cluster
     * mode) runs out within this from the kill, with room for a claim; below the SDK's 4 s per attempt.
     */
    static final long UNREACHABLE_WAIT_MILLIS = 2_500;
    static final long UNREACHABLE_RETRY_MILLIS = 200;

    private final SfuContext sfu;
    private final Context context;
    private final EdgeSocket socket;
    private final ServerWebSocket ws;
    private final ProxyRequest request;
    private final SocketFlowGuard guard;
    private final String logRoom;
    private final Runnable local;
    private final long unreachableDeadlineNanos;
    private ProxyChannel channel;
    private boolean clientClosed;
    private Short clientCloseCode;
    private boolean ended;
    private boolean channelPaused;

    /**
     * @param ws      the client's WebSocket, paused since its upgrade (reading starts once the channel is open)
     * @param logId   the participant as log lines show it, already escaped ({@code -} for a resume without a token)
     * @param local   runs the session on this node instead (on the WebSocket's loop, reading still paused), when a
     *                route taken again after an unreachable owner says the room is now here
     */
    public ProxiedSession(SfuContext sfu, Vertx vertx, ServerWebSocket ws, ProxyRequest request, String logId,
            Runnable local) {
        this.local = local;
        this.unreachableDeadlineNanos = System.nanoTime() + UNREACHABLE_WAIT_MILLIS * 1_000_000L;
        this.sfu = sfu;
        this.context = vertx.getOrCreateContext();
        this.ws = ws;
        this.socket = new EdgeSocket(vertx, ws);
        this.request = request;
        this.logRoom = ClientText.forLog(request.roomId());
        this.guard = new SocketFlowGuard(socket, sfu.media().clock(), sfu.messagesPerSecond(), sfu.counters(),
                logRoom, logId);
    }

    /** Opens the channel to {@code owner} and bridges. On the WebSocket's event loop. */
    public void start(Route.Remote owner) {
        ws.closeHandler(v -> clientClosed(ws.closeStatusCode()));
        ws.textMessageHandler(this::fromClient);
        ws.binaryMessageHandler(b -> {
            if (guard.admit()) {
                SessionRefusals.binaryFrame(sfu, socket);
            }
        });
        ws.exceptionHandler(e -> log.debug("room={} proxied socket error: {}", logRoom, e.toString()));
        ws.drainHandler(v -> {
            if (channelPaused) {
                channelPaused = false;
                channel.resume();
            }
        });
        open(owner, true);
    }

    private void open(Route.Remote owner, boolean firstAttempt) {
        sfu.remoteSessions().open(owner, request).whenComplete((ch, e) -> context.runOnContext(v -> {
            if (e == null) {
                opened(ch, owner);
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String reason = cause instanceof ProxyOpenException p ? p.reason() : ProxyOpenException.UNREACHABLE;
            if (reason.equals(ProxyOpenException.NOT_OWNER) && firstAttempt && !clientClosed) {
                rerouted(owner);
                return;
            }
            if (reason.equals(ProxyOpenException.UNREACHABLE) && !clientClosed
                    && System.nanoTime() + UNREACHABLE_RETRY_MILLIS * 1_000_000L < unreachableDeadlineNanos) {
                context.owner().setTimer(UNREACHABLE_RETRY_MILLIS, id -> routeAfterUnreachable(owner));
                return;
            }
            failed(ProxyCounters.Failed.of(reason), owner, cause);
        }));
    }

    /** The owner said {@code not_owner}: ask the routing again, once. */
    private void rerouted(Route.Remote wrong) {
        sfu.routing().route(request.roomId()).whenComplete((route, e) -> context.runOnContext(v -> {
            if (route instanceof Route.Remote r && !clientClosed) {
                open(r, false);
            } else {
                failed(ProxyCounters.Failed.NOT_OWNER, wrong, null);
            }
        }));
    }

    /** The owner could not be reached: route again (a live node takes the room once the dead owner's lease ran out). */
    private void routeAfterUnreachable(Route.Remote unreachable) {
        if (clientClosed) {
            return;
        }
        sfu.routing().route(request.roomId()).whenComplete((route, e) -> context.runOnContext(v -> {
            if (clientClosed || ws.isClosed()) {
                return;
            }
            if (route instanceof Route.Remote r) {
                open(r, false);
            } else if (route instanceof Route.Local) {
                log.info("room={} placed here after its owner {} became unreachable: session from {} runs here",
                        logRoom, ClientText.forLog(unreachable.nodeId()), socket.remoteAddress());
                local.run();
            } else {
                failed(ProxyCounters.Failed.CLUSTER_UNAVAILABLE, unreachable, e);
            }
        }));
    }

    private void failed(ProxyCounters.Failed why, Route.Remote owner, Throwable cause) {
        sfu.proxyCounters().countFailed(why);
        log.info("room={} could not proxy a session from {} to node {}: {}", logRoom, socket.remoteAddress(),
                ClientText.forLog(owner.nodeId()), cause == null ? why.label() : cause.getMessage());
        if (!clientClosed) {
            SessionRefusals.refuse(sfu, socket, ProxyCloseCodes.CLUSTER_UNAVAILABLE_CODE,
                    "the server of this room cannot be reached now (" + why.label() + "): try again shortly",
                    ProxyCloseCodes.CLUSTER_UNAVAILABLE, "cluster unavailable");
        }
    }

    private void opened(ProxyChannel ch, Route.Remote owner) {
        channel = ch;
        sfu.proxyCounters().countOpened();
        if (clientClosed) {
            ended = true;
            sfu.proxyCounters().countClosed(ProxyCounters.Closed.CLIENT);
            ch.close(ProxyCloseCodes.forOwner(clientCloseCode), "client closed");
            return;
        }
        log.debug("room={} proxying {} to node {}", logRoom, socket.remoteAddress(), ClientText.forLog(owner.nodeId()));
        ch.handler(text -> context.runOnContext(v -> toClient(text)));
        ch.closeHandler((code, reason) -> context.runOnContext(v -> ownerClosed(code, reason)));
        ch.drainHandler(() -> context.runOnContext(v -> {
            if (!ch.writeQueueFull()) {
                socket.linkFull(false);
            }
        }));
        socket.bridged();
    }

    private void fromClient(String text) {
        if (channel == null || ended || !guard.admit()) {
            return;
        }
        channel.write(text);
        if (channel.writeQueueFull()) {
            socket.linkFull(true);
        }
    }

    private void toClient(String text) {
        if (ended || ws.isClosed()) {
            return;
        }
        ws.writeTextMessage(text);
        if (!channelPaused && ws.writeQueueFull()) {
            channelPaused = true;
            channel.pause();
        }
    }

    private void ownerClosed(int code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        boolean lost = ProxyCloseCodes.isOwnerLost(code);
        sfu.proxyCounters().countClosed(lost ? ProxyCounters.Closed.OWNER_LOST : ProxyCounters.Closed.OWNER);
        if (lost) {
            log.info("room={} lost the link to the room's server under a proxied session from {} (link code {}): "
                    + "closing with {}", logRoom, socket.remoteAddress(), code, ProxyCloseCodes.OWNER_LOST);
        }
        if (!ws.isClosed()) {
            ws.close(ProxyCloseCodes.forClient(code), lost ? "owner lost" : shortReason(reason));
        }
    }

    private void clientClosed(Short code) {
        clientClosed = true;
        clientCloseCode = code;
        if (ended || channel == null) {
            return; // not open yet: opened() closes it; or the owner ended first
        }
        ended = true;
        sfu.proxyCounters().countClosed(ProxyCounters.Closed.CLIENT);
        channel.close(ProxyCloseCodes.forOwner(code), "client closed");
    }

    private static String shortReason(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        return b.length <= MAX_CLOSE_REASON ? reason : "closed";
    }
}
