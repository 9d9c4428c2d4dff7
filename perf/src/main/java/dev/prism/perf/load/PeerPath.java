package dev.prism.perf.load;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The socket side of one {@link ClientPeer}: a UDP socket ({@link UdpPath}) or one ICE-TCP connection with RFC 4571
 * framing ({@link TcpPath}). Every packet in either direction is what one UDP datagram would be (STUN, DTLS, SRTP).
 *
 * <p>Threads: every method on the peer's event loop. Buffers: {@link #write} and {@link #writeNow} take ownership of
 * the packet in every outcome; the {@link Receiver} borrows each packet for the call.
 */
interface PeerPath {
    /** What a path hands up, on the loop. */
    interface Receiver {
        /** One packet (datagram or frame), borrowed; {@code arrivalNanos} is when its read happened. */
        void onPacket(ByteBuf packet, InetSocketAddress from, long arrivalNanos);

        /** The end of one read batch: write what the batch produced. */
        void onReadComplete();
    }

    /**
     * Points the path at the SFU's candidate; {@code ready} runs on the loop once packets can be written (at once for
     * UDP, after the TCP connect), {@code failed} if they never can.
     */
    void open(InetSocketAddress remote, Runnable ready, Consumer<Throwable> failed);

    /** Queues one packet until {@link #flush()}. Takes ownership. */
    void write(ByteBuf packet);

    /** Writes one packet and everything queued before it, now. Takes ownership. */
    void writeNow(ByteBuf packet);

    /** Answers a packet from {@code to} (a STUN check): over UDP to that address, over TCP on the connection. */
    void reply(ByteBuf packet, InetSocketAddress to);

    /** Sends what is queued. */
    void flush();

    /** The candidate value our SDP lists (without {@code a=candidate:}), or null for none. */
    String localCandidate();

    /** Packets the path dropped instead of queueing (TCP only: the connection's send buffer was full). */
    long sendDrops();

    void close();
}
