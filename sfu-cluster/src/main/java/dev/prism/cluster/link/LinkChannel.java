package dev.prism.cluster.link;

import io.vertx.core.Context;
import io.vertx.core.Handler;

/**
 * One multiplexed channel of a node-to-node link: ordered text messages both ways, a close both ways, and credit-based
 * flow control per channel, so one slow channel never stalls the others on the same connection.
 *
 * <p><b>Sending.</b> {@link #write} queues a message; it goes on the wire while the receiver has granted credit (its
 * window, {@link LinkSettings#channelWindowBytes()}, refilled as its application consumes). {@link #writeQueueFull()}
 * is true once a window's worth is queued here; the writer should then stop reading its own source (the edge pauses the
 * client's WebSocket) until the {@link #drainHandler} runs. Queued data past
 * {@link LinkSettings#maxQueuedBytesPerChannel()} closes the channel with {@link LinkCloseCodes#OVERFLOW}: nothing is
 * buffered without bound. A message of any length up to {@link LinkSettings#maxMessageBytes()} may be written: one
 * longer than a frame is split and joined again at the other end (the handler gets it whole); a longer one is refused
 * and closes this channel alone with {@link LinkCloseCodes#MESSAGE_TOO_LARGE}.
 *
 * <p><b>Receiving.</b> Messages go to the {@link #handler} in order. {@link #pause()} stops delivery; what arrives
 * meanwhile waits here (at most one window plus one frame) and no more credit is granted, so the sender's
 * {@code writeQueueFull()} turns true for this channel only. {@link #resume()} delivers the waiting messages and grants
 * credit again. Messages arriving before a handler is set wait the same way.
 *
 * <p><b>Closing.</b> {@link #close(int, String)} sends what is queued (while credit allows, up to the open timeout),
 * then the close. The {@link #closeHandler} runs exactly once, for either end's close or the link's loss
 * ({@link LinkCloseCodes#LINK_LOST}); messages that arrived before the peer's close are delivered first.
 *
 * <p><b>Threading.</b> Every handler is called on {@link #context()}: the event loop of the connection carrying the
 * channel, one call at a time. {@link #write}, {@link #close}, {@link #pause} and {@link #resume} may be called from any
 * thread: off the context they hop onto it (in call order from one thread). {@link #writeQueueFull()} and
 * {@link #isClosed()} read volatile state from any thread. Setting a {@code drainHandler} off the context can race with
 * a drain: check {@code writeQueueFull()} again after setting it.
 */
public interface LinkChannel {
    /** The channel's id on its connection (odd when the client side opened it). */
    int id();

    /** The authenticated node id of the other end. */
    String peerNodeId();

    /** What the opener asked for. */
    OpenRequest request();

    /** The event loop every handler of this channel runs on. */
    Context context();

    /** Receives each text message, in order. */
    LinkChannel handler(Handler<String> messages);

    /** Called once when the channel is closed; at once if it is already closed. */
    LinkChannel closeHandler(Handler<LinkClose> handler);

    /** Called when {@link #writeQueueFull()} was true and the queue has fallen to half a window. */
    LinkChannel drainHandler(Handler<Void> handler);

    /**
     * Queues one text message. False (and dropped) when the channel is closed, or when the message is longer than
     * {@link LinkSettings#maxMessageBytes()} (the channel then closes with {@link LinkCloseCodes#MESSAGE_TOO_LARGE}).
     */
    boolean write(String text);

    /** True while a window's worth of data or more waits here to be sent. */
    boolean writeQueueFull();

    /** Stops delivering messages (and granting credit) until {@link #resume()}. */
    void pause();

    void resume();

    /** Closes with a code (passed to the other end's close handler unchanged) and a short reason. */
    void close(int code, String reason);

    boolean isClosed();
}
