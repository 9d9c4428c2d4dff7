package dev.prism.rtp.pacer;

/**
 * What a packet is to the {@link Pacer}, in the order it leaves when the budget is short: audio first (never queued),
 * then retransmissions, then new video, then bandwidth-probe padding in whatever gap is left.
 */
public enum PacketClass {
    /** Sent at once whatever the budget (charged to it): a few kbit/s that must never wait behind a key frame. */
    AUDIO,
    /** RTX answers to NACKs: the receiver is waiting for them, so they go before new video. */
    RETRANSMISSION,
    /** New video. */
    VIDEO,
    /** Probe copies and padding: only when nothing else is queued. */
    PADDING
}
