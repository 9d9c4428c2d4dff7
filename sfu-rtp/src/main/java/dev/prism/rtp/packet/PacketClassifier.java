package dev.prism.rtp.packet;

import io.netty.buffer.ByteBuf;

/**
 * Tells apart the protocols that share one UDP port in WebRTC: STUN, DTLS, RTP and RTCP (RFC 7983 first-byte ranges,
 * RFC 5761 RTP/RTCP payload-type split for rtcp-mux).
 *
 * <p>Reads the first two readable bytes only; never moves the buffer's indices and allocates nothing. A datagram
 * shorter than the smallest valid message of its class is {@link #UNKNOWN}, so the caller can count and drop it
 * without asking the specific parser.
 */
public final class PacketClassifier {
    public static final int UNKNOWN = 0;
    public static final int STUN = 1;
    public static final int DTLS = 2;
    public static final int RTP = 3;
    public static final int RTCP = 4;

    /** STUN header (RFC 8489). */
    static final int MIN_STUN = 20;
    /** DTLS record header (RFC 6347). */
    static final int MIN_DTLS = 13;
    /** RTP fixed header (RFC 3550). */
    static final int MIN_RTP = 12;
    /** RTCP header + sender SSRC, the smallest packet that can start a (reduced-size) RTCP datagram. */
    static final int MIN_RTCP = 8;

    private PacketClassifier() {
    }

    /** Classifies the readable bytes of {@code buf}; one of the constants of this class. */
    public static int classify(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n < 1) {
            return UNKNOWN;
        }
        int first = buf.getUnsignedByte(buf.readerIndex());
        if (first <= 3) {
            return n >= MIN_STUN ? STUN : UNKNOWN;
        }
        if (first >= 20 && first <= 63) {
            return n >= MIN_DTLS ? DTLS : UNKNOWN;
        }
        if (first >= 128 && first <= 191) {
            if (n < MIN_RTCP) {
                return UNKNOWN;
            }
            // RFC 5761 section 4: RTCP packet types 192..223 appear as RTP payload types 64..95 once the marker bit is
            // masked off; dynamic RTP payload types must avoid that range when RTP and RTCP are multiplexed.
            int pt = buf.getUnsignedByte(buf.readerIndex() + 1) & 0x7F;
            if (pt >= 64 && pt <= 95) {
                return RTCP;
            }
            return n >= MIN_RTP ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }

    /** A name for logs and counters. */
    public static String name(int kind) {
        switch (kind) {
            case STUN:
                return "stun";
            case DTLS:
                return "dtls";
            case RTP:
                return "rtp";
            case RTCP:
                return "rtcp";
            default:
                return "unknown";
        }
    }
}
