package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * A parsed or built RTCP message. Immutable. Dispatch on the concrete type, e.g.
 * {@code if (m instanceof GenericNack nack) ...}.
 */
public sealed interface RtcpMessage
        permits SenderReport, ReceiverReport, Sdes, Bye, GenericNack, TransportCcFeedback, Pli, Fir, Remb {

    /** Bytes {@link #write} appends: header included, a multiple of 4. */
    int length();

    /** Appends this message at the writer index of {@code dst} (growing it as any ByteBuf write); returns bytes written. */
    int write(ByteBuf dst);
}
