package dev.prism.signaling.route;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The edge's end of a proxied session: ordered text messages both ways with flow control, and a close both ways
 * (prism-server adapts a node-to-node link channel to it).
 *
 * <p>Threading: the handlers run on the channel's own event loop, one call at a time, in order. {@link #write},
 * {@link #close}, {@link #pause} and {@link #resume} may be called from any thread (in call order per thread);
 * {@link #writeQueueFull()} and {@link #isClosed()} read volatile state. Set the handlers once, before the first write.
 */
public interface ProxyChannel {
    /** Queues one text message for the owner; false (and dropped) when the channel is closed. */
    boolean write(String text);

    /** True while enough is queued that the writer should stop reading its source until the drain handler runs. */
    boolean writeQueueFull();

    /** Called when {@link #writeQueueFull()} was true and the queue has drained to half. */
    ProxyChannel drainHandler(Runnable handler);

    /** Receives each message from the owner, in order. */
    ProxyChannel handler(Consumer<String> messages);

    /**
     * Called once when the channel closed, with the close code and reason: the owner's (a session's close code as the
     * owner sent it), or the link's ({@link ProxyCloseCodes#isOwnerLost}).
     */
    ProxyChannel closeHandler(BiConsumer<Integer, String> handler);

    /** Closes with a code the owner's session sees as its socket's close code (1000/1001: the client left). */
    void close(int code, String reason);

    /** Stops delivering messages (and granting the owner credit) until {@link #resume()}. */
    void pause();

    void resume();

    boolean isClosed();
}
