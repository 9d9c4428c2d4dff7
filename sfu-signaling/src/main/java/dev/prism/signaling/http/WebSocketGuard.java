package dev.prism.signaling.http;

import dev.prism.core.clock.MonoClock;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guards one signaling WebSocket on its Netty pipeline, between the frame decoder and Vert.x: message size and
 * liveness.
 *
 * <p><b>Liveness.</b> Every {@link HttpLimits#webSocketPingInterval()} the server sends a ping. The writes keep the
 * HTTP idle timeout from cutting a quiet but live socket (a background tab whose timers are throttled), and the
 * client's pong (or any other frame) shows it is still there; a socket that sends nothing for three intervals is
 * closed (counted as {@link HttpGuardCounters.Cut#WEBSOCKET_UNRESPONSIVE}) and its session detaches like any dropped
 * socket.
 *
 * <p><b>Size.</b> A message larger than the limit is refused as soon as its size is known. Two ways to be too big:
 * <ul>
 *   <li>one frame announcing more than the limit: Netty's decoder (configured with the limit) rejects it from the
 *       header alone and raises {@link CorruptedWebSocketFrameException} with status 1009, which lands here before
 *       any payload is read;</li>
 *   <li>fragments adding up to more than the limit: counted here frame by frame; the fragment that crosses the limit
 *       is released at once (the earlier ones are already with Vert.x's aggregator, which drops them on close). Netty
 *       hands a frame on only once its payload is complete, so a message is refused when its crossing fragment has
 *       arrived: at most the limit plus one fragment (itself within the limit) is ever held.</li>
 * </ul>
 * Either way the client gets an {@code error} message with code {@code message_too_big}, then a close frame 1009, and
 * the connection is closed once they are flushed. Vert.x alone would drop the connection without a close code (one
 * frame) or drop the message silently and keep going (fragments).
 *
 * <p>Buffers: every frame that passes is handed on with its reference; a refused fragment is released here.
 * Threading: the connection's event loop only (one instance per connection; the ping task runs there too).
 */
final class WebSocketGuard extends ChannelInboundHandlerAdapter {
    static final String CLOSE_REASON = "message too big";

    private final int maxBytes;
    private final HttpGuardCounters counters;
    private final GuardLog log;
    private final GuardLog livenessLog;
    private final Object remote;
    private final MonoClock clock;
    private final long pingIntervalNanos;
    private long messageBytes;
    private boolean refused;
    private long lastReadNanos;
    private ScheduledFuture<?> pinger;

    WebSocketGuard(HttpLimits limits, HttpGuardCounters counters, GuardLog sizeLog, GuardLog livenessLog,
                   Object remote, MonoClock clock) {
        this.maxBytes = limits.maxMessageBytes();
        this.pingIntervalNanos = limits.webSocketPingInterval().toNanos();
        this.counters = counters;
        this.log = sizeLog;
        this.livenessLog = livenessLog;
        this.remote = remote;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastReadNanos = clock.nanos();
        pinger = ctx.executor().scheduleAtFixedRate(() -> ping(ctx), pingIntervalNanos, pingIntervalNanos,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        pinger.cancel(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pinger.cancel(false);
        ctx.fireChannelInactive();
    }

    private void ping(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || refused) {
            pinger.cancel(false);
            return;
        }
        if (clock.nanos() - lastReadNanos >= 3 * pingIntervalNanos) {
            pinger.cancel(false);
            counters.cut(HttpGuardCounters.Cut.WEBSOCKET_UNRESPONSIVE);
            livenessLog.info("signaling: closed the WebSocket of {}: no answer to three pings", remote);
            ctx.close();
            return;
        }
        ctx.writeAndFlush(new PingWebSocketFrame());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = clock.nanos();
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) { // a message's first frame
            messageBytes = ((WebSocketFrame) msg).content().readableBytes();
        } else if (msg instanceof ContinuationWebSocketFrame c) {
            messageBytes += c.content().readableBytes();
        }
        if (messageBytes > maxBytes) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, "fragments of more than " + maxBytes + " bytes");
            return;
        }
        if (isData(msg) && ((WebSocketFrame) msg).isFinalFragment()) {
            messageBytes = 0; // the message is complete
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException e
                && WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(e.closeStatus())) {
            refuse(ctx, "a frame of more than " + maxBytes + " bytes");
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void refuse(ChannelHandlerContext ctx, String what) {
        if (refused) {
            return;
        }
        refused = true;
        counters.cut(HttpGuardCounters.Cut.MESSAGE_TOO_BIG);
        log.info("signaling: closed the WebSocket of {} with 1009: {}", remote, what);
        String error = new JsonObject().put("type", "error").put("code", "message_too_big")
                .put("message", "a signaling message may be at most " + maxBytes + " bytes").encode();
        ctx.write(new TextWebSocketFrame(error));
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, CLOSE_REASON))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private static boolean isData(Object msg) {
        return msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame;
    }
}
