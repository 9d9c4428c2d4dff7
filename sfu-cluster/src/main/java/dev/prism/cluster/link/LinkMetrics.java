package dev.prism.cluster.link;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one node's link endpoints (share one instance between its {@link LinkServer} and {@link LinkClient}).
 * Plain monotonic counters plus two gauges; a Micrometer binder can read them (every name is a fixed label). Updated
 * from the connections' event loops; read from any thread.
 */
public final class LinkMetrics {
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder connectionsLost = new LongAdder();
    final LongAdder reconnectAttempts = new LongAdder();
    final LongAdder authRefused = new LongAdder();
    final LongAdder handshakeTimeouts = new LongAdder();
    final LongAdder handshakeFailures = new LongAdder();
    final LongAdder oversizeFrames = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder channelsOpened = new LongAdder();
    final LongAdder channelsClosed = new LongAdder();
    final LongAdder channelsRefused = new LongAdder();
    final LongAdder channelsOverflowed = new LongAdder();
    final LongAdder messagesTooLarge = new LongAdder();
    final LongAdder messagesSplit = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder sendBlocked = new LongAdder();
    final LongAdder receivePauses = new LongAdder();

    /** Authenticated connections, both directions. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** Authenticated connections that ended, for any reason. */
    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    /** Gauge: authenticated connections now open. */
    public long connectionsOpen() {
        return connectionsOpened.sum() - connectionsClosed.sum();
    }

    /** Authenticated connections that died (closed under us, silent for {@code deadAfterMillis}, protocol error). */
    public long connectionsLost() {
        return connectionsLost.sum();
    }

    /** Client connection attempts after the first (reconnects). */
    public long reconnectAttempts() {
        return reconnectAttempts.sum();
    }

    /** Handshakes whose proof did not match (a wrong cluster secret, either side). */
    public long authRefused() {
        return authRefused.sum();
    }

    /** Connections closed because the handshake did not finish in time. */
    public long handshakeTimeouts() {
        return handshakeTimeouts.sum();
    }

    /** Other handshake failures: unsupported version, unexpected frame, connection closed during the handshake. */
    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    /** Connections closed for a frame larger than {@link LinkSettings#maxFrameBytes()}. */
    public long oversizeFrames() {
        return oversizeFrames.sum();
    }

    /** Connections closed for any other invalid frame. */
    public long protocolErrors() {
        return protocolErrors.sum();
    }

    public long channelsOpened() {
        return channelsOpened.sum();
    }

    public long channelsClosed() {
        return channelsClosed.sum();
    }

    /** Gauge: channels now open. */
    public long channelsOpen() {
        return channelsOpened.sum() - channelsClosed.sum();
    }

    /** Opens refused, by this node or answered refused by the peer. */
    public long channelsRefused() {
        return channelsRefused.sum();
    }

    /** Channels closed with {@link LinkCloseCodes#OVERFLOW}. */
    public long channelsOverflowed() {
        return channelsOverflowed.sum();
    }

    /**
     * Channels closed with {@link LinkCloseCodes#MESSAGE_TOO_LARGE}: a message over
     * {@link LinkSettings#maxMessageBytes()} written here, or reassembled from the peer's frames.
     */
    public long messagesTooLarge() {
        return messagesTooLarge.sum();
    }

    /** Messages sent here as more than one frame (longer than {@link LinkSettings#maxFrameBytes()}). */
    public long messagesSplit() {
        return messagesSplit.sum();
    }

    /** Bytes received on authenticated and unauthenticated connections (headers included). */
    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    /** Times a channel's {@link LinkChannel#writeQueueFull()} turned true (the sender's backpressure). */
    public long sendBlocked() {
        return sendBlocked.sum();
    }

    /** Times a receiver paused a channel ({@link LinkChannel#pause()}). */
    public long receivePauses() {
        return receivePauses.sum();
    }
}
