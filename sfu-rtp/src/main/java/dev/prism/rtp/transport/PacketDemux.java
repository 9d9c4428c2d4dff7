package dev.prism.rtp.transport;

import dev.prism.rtp.packet.PacketClassifier;
import dev.prism.rtp.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine's routing of received packets to transports, by first byte (RFC 7983): STUN by the ICE username's local
 * ufrag, DTLS and SRTP/SRTCP by the remote address that passed an ICE check (over UDP) or by the connection (ICE-TCP).
 * A packet nobody owns is dropped and counted by reason.
 *
 * <p>Threading: the engine's event loop only. Buffers: every method borrows the packet it is given.
 */
final class PacketDemux {
    private static final Logger log = LoggerFactory.getLogger(PacketDemux.class);

    private final MediaCounters counters;
    private final Map<String, WebRtcTransport> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, WebRtcTransport> byAddress = new HashMap<>();

    PacketDemux(MediaCounters counters) {
        this.counters = counters;
    }

    /** The transport whose local ufrag is {@code ufrag}, or null. */
    WebRtcTransport transportOfUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    void routeUfrag(String ufrag, WebRtcTransport t) {
        byUfrag.put(ufrag, t);
    }

    void unrouteUfrag(String ufrag, WebRtcTransport t) {
        byUfrag.remove(ufrag, t);
    }

    /** Routes datagrams from {@code address} to {@code transport}; true when it was not routed to it before. */
    boolean routeAddress(InetSocketAddress address, WebRtcTransport transport) {
        WebRtcTransport previous = byAddress.put(address, transport);
        if (previous != null && previous != transport) {
            log.info("media: address {} moved from transport={} to transport={}", address, previous.id(),
                    transport.id());
        }
        return previous != transport;
    }

    /** Stops routing {@code address} to {@code transport} (if it still is). */
    void unrouteAddress(InetSocketAddress address, WebRtcTransport transport) {
        byAddress.remove(address, transport);
    }

    int routedAddressCount() {
        return byAddress.size();
    }

    /** Forgets every route to {@code t} (it closed). */
    void unrouteAll(WebRtcTransport t) {
        byUfrag.remove(t.localIceParameters().ufrag(), t);
        byAddress.values().removeIf(v -> v == t);
    }

    /** @param readNanos when the datagram was taken from the socket (the clock's time base) */
    void onDatagram(ByteBuf buf, InetSocketAddress from, long readNanos) {
        counters.received(buf.readableBytes());
        int kind = PacketClassifier.classify(buf); // once per datagram: the SRTP branch needs it again below
        switch (kind) {
            case PacketClassifier.STUN -> {
                String ufrag = StunMessage.localUfragOf(buf);
                WebRtcTransport t = ufrag == null ? null : byUfrag.get(ufrag);
                if (t == null) {
                    counters.drop(ufrag == null ? DropReason.STUN_MALFORMED : DropReason.STUN_UNKNOWN_USERNAME);
                } else {
                    t.onStun(buf, from);
                }
            }
            case PacketClassifier.DTLS -> {
                WebRtcTransport t = byAddress.get(from);
                if (t == null) {
                    counters.drop(DropReason.DTLS_UNKNOWN_ADDRESS);
                } else {
                    t.onDtls(buf, from);
                }
            }
            case PacketClassifier.RTP, PacketClassifier.RTCP -> {
                WebRtcTransport t = byAddress.get(from);
                if (t == null) {
                    counters.drop(DropReason.SRTP_UNKNOWN_ADDRESS);
                } else {
                    t.onSrtp(buf, kind == PacketClassifier.RTCP, readNanos, from);
                }
            }
            default -> counters.drop(DropReason.UNKNOWN_PROTOCOL);
        }
    }

    /**
     * One RFC 4571 frame from an ICE-TCP connection (lent for the call): the same path as a datagram, except that
     * DTLS and SRTP are routed by the connection (bound by its first passing STUN check), not by a source address.
     */
    void onTcpFrame(ByteBuf frame, TcpConnection from, long readNanos) {
        counters.received(frame.readableBytes());
        int kind = PacketClassifier.classify(frame);
        WebRtcTransport bound = from.transport();
        switch (kind) {
            case PacketClassifier.STUN -> {
                String ufrag = StunMessage.localUfragOf(frame);
                WebRtcTransport t = ufrag == null ? null : byUfrag.get(ufrag);
                if (t == null || (bound != null && bound != t)) {
                    // A connection belongs to one transport for its life.
                    counters.drop(ufrag == null ? DropReason.STUN_MALFORMED : DropReason.STUN_UNKNOWN_USERNAME);
                } else {
                    t.onStun(frame, from.remoteAddress(), from);
                }
            }
            case PacketClassifier.DTLS -> {
                if (bound == null) {
                    counters.drop(DropReason.TCP_BEFORE_ICE);
                } else {
                    bound.onDtls(frame, from.remoteAddress(), from);
                }
            }
            case PacketClassifier.RTP, PacketClassifier.RTCP -> {
                if (bound == null) {
                    counters.drop(DropReason.TCP_BEFORE_ICE);
                } else {
                    bound.onSrtp(frame, kind == PacketClassifier.RTCP, readNanos);
                }
            }
            default -> counters.drop(DropReason.UNKNOWN_PROTOCOL);
        }
    }
}
