package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Walks the packets of a compound RTCP datagram (RFC 3550 section 6.1) without allocating: a cursor over the header of
 * each packet, with typed parsing on demand.
 *
 * <pre>{@code
 * RtcpCompoundParser p = this.parser;       // one per thread, reused
 * p.reset(buf);
 * while (p.next()) {
 *     if (p.packetType() == RtcpHeader.PT_RTPFB && p.countOrFormat() == RtcpHeader.FMT_NACK) {
 *         GenericNack nack = GenericNack.parse(p.buffer(), p.offset(), p.length());
 *         ...
 *     }
 *     // or: RtcpMessage m = p.parse(); if (m instanceof Pli pli) ...
 * }
 * if (p.malformed()) counters.malformedRtcp++;
 * }</pre>
 *
 * {@link #next()} checks each packet's framing: at least a header, version 2, the declared length inside the datagram,
 * and a padding count (when P is set) between 1 and the packet's body. At the first bad packet it stops and reports
 * {@link #malformed()}; the packets before it were valid and may already have been used. Packet order (report first)
 * is not enforced, so reduced-size RTCP (RFC 5506) passes.
 *
 * <p>Borrows the buffer: never retains, releases or moves its indices. Not thread-safe.
 */
public final class RtcpCompoundParser {
    private ByteBuf buf;
    private int pos;
    private int end;
    private int offset;
    private int length;
    private boolean malformed;

    /** Starts walking the readable bytes of {@code buf}. */
    public RtcpCompoundParser reset(ByteBuf buf) {
        return reset(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Starts walking {@code length} bytes of {@code buf} from absolute {@code offset}. */
    public RtcpCompoundParser reset(ByteBuf buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.offset = -1;
        this.length = 0;
        this.malformed = offset < 0 || length < 0 || offset > buf.writerIndex() - length;
        if (malformed) {
            this.end = pos;
        }
        return this;
    }

    /**
     * Moves to the next packet.
     *
     * @return true when positioned on a well-framed packet; false at the end of the datagram or on a malformed packet
     *     (see {@link #malformed()})
     */
    public boolean next() {
        offset = -1;
        length = 0;
        if (malformed || pos >= end) {
            return false;
        }
        int remaining = end - pos;
        if (remaining < RtcpHeader.LENGTH || RtcpHeader.version(buf, pos) != RtcpHeader.VERSION) {
            return fail();
        }
        int len = RtcpHeader.packetLength(buf, pos);
        if (len > remaining) {
            return fail();
        }
        if (RtcpHeader.padding(buf, pos)) {
            int pad = buf.getUnsignedByte(pos + len - 1);
            if (pad == 0 || pad > len - RtcpHeader.LENGTH) {
                return fail();
            }
        }
        offset = pos;
        length = len;
        pos += len;
        return true;
    }

    private boolean fail() {
        malformed = true;
        return false;
    }

    /** True when the walk stopped at a malformed packet (or the range given to reset was outside the buffer). */
    public boolean malformed() {
        return malformed;
    }

    /** The walked buffer, borrowed. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute offset of the current packet's header. */
    public int offset() {
        return offset;
    }

    /** Length of the current packet in bytes, header and padding included. */
    public int length() {
        return length;
    }

    public int packetType() {
        return RtcpHeader.packetType(buf, offset);
    }

    /** Report/source count or feedback message type of the current packet. */
    public int countOrFormat() {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    public boolean padding() {
        return RtcpHeader.padding(buf, offset);
    }

    /**
     * Parses the current packet into its message class: null for types Prism does not handle (APP, XR, other feedback
     * formats, application feedback other than REMB) and for a packet whose body is malformed.
     */
    public RtcpMessage parse() {
        return parse(buf, offset, length);
    }

    /** Typed dispatch on the header of the packet at {@code offset}; see {@link #parse()}. */
    public static RtcpMessage parse(ByteBuf buf, int offset, int length) {
        if (buf == null || offset < 0 || length < RtcpHeader.LENGTH || offset > buf.writerIndex() - length) {
            return null;
        }
        int fmt = RtcpHeader.countOrFormat(buf, offset);
        switch (RtcpHeader.packetType(buf, offset)) {
            case RtcpHeader.PT_SR:
                return SenderReport.parse(buf, offset, length);
            case RtcpHeader.PT_RR:
                return ReceiverReport.parse(buf, offset, length);
            case RtcpHeader.PT_SDES:
                return Sdes.parse(buf, offset, length);
            case RtcpHeader.PT_BYE:
                return Bye.parse(buf, offset, length);
            case RtcpHeader.PT_RTPFB:
                if (fmt == RtcpHeader.FMT_NACK) {
                    return GenericNack.parse(buf, offset, length);
                }
                if (fmt == RtcpHeader.FMT_TCC) {
                    return TransportCcFeedback.parse(buf, offset, length);
                }
                return null;
            case RtcpHeader.PT_PSFB:
                if (fmt == RtcpHeader.FMT_PLI) {
                    return Pli.parse(buf, offset, length);
                }
                if (fmt == RtcpHeader.FMT_FIR) {
                    return Fir.parse(buf, offset, length);
                }
                if (fmt == RtcpHeader.FMT_AFB) {
                    return Remb.parse(buf, offset, length);
                }
                return null;
            default:
                return null;
        }
    }
}
