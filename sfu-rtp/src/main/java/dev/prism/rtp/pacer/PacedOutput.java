package dev.prism.rtp.pacer;

import io.netty.buffer.ByteBuf;

/** Where a {@link Pacer}'s packets go: the subscriber's send stage, which numbers them and hands them to the transport. */
public interface PacedOutput {
    /**
     * {@code packet} leaves now; the output owns it from here. {@code elementOffset} as given to {@link Pacer#send}:
     * where its transport-wide sequence number goes, -1 for none.
     */
    void emit(ByteBuf packet, int elementOffset, PacketClass type);

    /** A packet of {@code type} was dropped because its queue was full (already released): count it. */
    void dropped(PacketClass type);
}
