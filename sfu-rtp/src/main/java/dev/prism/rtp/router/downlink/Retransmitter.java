package dev.prism.rtp.router.downlink;

import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.bwe.TransportWideSeq;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.Rtx;
import dev.prism.rtp.router.uplink.PacketHistory;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Answers one consumer's NACKs: turns an output sequence number the subscriber lost back into the producer's packet
 * ({@link SentPacketLog}), finds that packet in the producer's {@link PacketHistory} and rebuilds it with the
 * consumer's rewriting as an RTX packet (RFC 4588): the RTX SSRC and payload type, the next RTX sequence number, the
 * output timestamp the original carried, the output sequence number (OSN) in front of the payload.
 *
 * <p>Decides and builds; sending is the caller's. Time comes in as arguments. One thread (the room's event loop).
 *
 * <p>Buffers: the history's packet is borrowed for the duration of {@link #answer}; the RTX packet returned is a new
 * pooled heap buffer with {@link SrtpSession#MAX_TRAILER} bytes of tail room, owned by the caller.
 */
final class Retransmitter {
    /** {@link #answer} outcomes. */
    static final int SENT = 0;
    static final int NO_RTX = 1;
    static final int UNKNOWN = 2;
    static final int TOO_OLD = 3;
    static final int THROTTLED = 4;
    static final int MALFORMED = 5;
    static final int NO_ROOM = 6;

    /** Room for header-extension growth when one-byte elements become two-byte ones. */
    private static final int EXTENSION_SLACK = 32;
    /** Most padding one packet carries (the count is one byte). */
    static final int MAX_PADDING = 255;
    /** RTP header plus a one-word extension block with the transport-wide sequence number. */
    private static final int PADDING_HEADER = RtpPacket.FIXED_HEADER_LENGTH + 8;
    /** Floor between two retransmissions of one packet, whatever the subscriber's RTT. */
    static final long MIN_RESEND_INTERVAL_NANOS = 5_000_000L;

    private final SentPacketLog sent = new SentPacketLog();
    private final ByteBufAllocator allocator;
    private final RtpPacket view = new RtpPacket();
    private long rtxSsrc;
    private int rtxPayloadType = -1;
    private int rtxSeq;
    private int outcome;
    /** Where the transport-wide element's data is in the latest packet built, -1 for none. */
    private int transportCcOffset = -1;

    /** @param firstRtxSeq the first RTX sequence number (random, like any RTP stream's) */
    Retransmitter(ByteBufAllocator allocator, int firstRtxSeq) {
        this.allocator = allocator;
        this.rtxSeq = firstRtxSeq & 0xFFFF;
    }

    /** RTX on ({@code rtxSsrc != 0} and a payload type) or off. */
    void setRtx(long rtxSsrc, int rtxPayloadType) {
        boolean on = rtxSsrc != 0 && rtxPayloadType >= 0;
        this.rtxSsrc = on ? rtxSsrc : 0;
        this.rtxPayloadType = on ? rtxPayloadType : -1;
    }

    long rtxSsrc() {
        return rtxSsrc;
    }

    /** Logs one forwarded packet: output {@code outSeq} carried the producer's {@code origSeq} at output {@code outTs}. */
    void record(int outSeq, int origSeq, long outTs) {
        sent.record(outSeq, origSeq, outTs);
    }

    /**
     * Logs one forwarded packet of spatial layer {@code layer}, with the VP8 counters its rewritten descriptor carried
     * (-1 for none); see {@link SentPacketLog#record(int, int, int, long, int, int, int)}.
     */
    void record(int outSeq, int layer, int origSeq, long outTs, int pictureId, int tl0PicIdx, int keyIdx) {
        sent.record(outSeq, layer, origSeq, outTs, pictureId, tl0PicIdx, keyIdx);
    }

    /** The output timestamp output packet {@code outSeq} carried, -1 when it was not sent lately. */
    long outputTimestamp(int outSeq) {
        return sent.originalSeq(outSeq) < 0 ? -1 : sent.outputTimestamp(outSeq);
    }

    /**
     * The RTX packet answering a NACK of {@code outSeq}, or null with the reason in {@link #outcome()}: RTX off, not
     * sent lately, gone from the history (too old to help), resent less than {@code minIntervalNanos} ago (at least
     * {@link #MIN_RESEND_INTERVAL_NANOS}), or a packet that cannot be rebuilt.
     *
     * @param extensionIdMap the consumer's header extension id map (publisher id -> subscriber id)
     */
    ByteBuf answer(int outSeq, PacketHistory history, byte[] extensionIdMap, long nowNanos, long minIntervalNanos) {
        return answer(outSeq, history, null, extensionIdMap, 0, nowNanos, minIntervalNanos);
    }

    /**
     * As {@link #answer(int, PacketHistory, byte[], long, long)} for a producer with one history per spatial layer:
     * the packet is looked up in the history of the layer it was logged with, its VP8 counters are set back to the
     * values the original copy carried, and a transport-wide sequence number element (id {@code transportCcId}, 0 for
     * none) is added for the caller to fill in (at {@link #transportCcOffset()}).
     */
    ByteBuf answer(int outSeq, Producer producer, byte[] extensionIdMap, int transportCcId, long nowNanos,
                   long minIntervalNanos) {
        return answer(outSeq, null, producer, extensionIdMap, transportCcId, nowNanos, minIntervalNanos);
    }

    /**
     * A copy of output packet {@code outSeq} over RTX that nobody asked for: bandwidth probing with useful bytes (a
     * packet the path drops while it is probed may get through in its copy). Not throttled and not recorded as a
     * resend, so a later NACK of the packet is still answered. Null (reason in {@link #outcome()}) as for
     * {@link #answer}.
     */
    ByteBuf duplicate(int outSeq, Producer producer, byte[] extensionIdMap, int transportCcId, long nowNanos) {
        return answer(outSeq, null, producer, extensionIdMap, transportCcId, nowNanos, -1);
    }

    /** @param minIntervalNanos -1 for a probe copy: no throttle, nothing recorded */
    private ByteBuf answer(int outSeq, PacketHistory single, Producer producer, byte[] extensionIdMap,
                           int transportCcId, long nowNanos, long minIntervalNanos) {
        if (rtxSsrc == 0) {
            return fail(NO_RTX);
        }
        int orig = sent.originalSeq(outSeq);
        if (orig < 0) {
            return fail(UNKNOWN);
        }
        PacketHistory history = producer != null ? producer.history(sent.layer(outSeq)) : single;
        ByteBuf src = history == null ? null : history.get(orig, nowNanos);
        if (src == null) {
            return fail(TOO_OLD);
        }
        if (minIntervalNanos >= 0
                && !sent.tryResend(outSeq, nowNanos, Math.max(MIN_RESEND_INTERVAL_NANOS, minIntervalNanos))) {
            return fail(THROTTLED);
        }
        if (!view.wrap(src)) {
            return fail(MALFORMED);
        }
        ByteBuf out = allocator.heapBuffer(view.length() + EXTENSION_SLACK + Rtx.OSN_LENGTH + SrtpSession.MAX_TRAILER);
        boolean ok = false;
        try {
            int start = out.writerIndex();
            int written = view.copyRewritten(out, rtxSsrc, rtxSeq, sent.outputTimestamp(outSeq), rtxPayloadType,
                    extensionIdMap, transportCcId, transportCcId == 0 ? 0 : TransportWideSeq.LENGTH);
            if (written < 0 || out.writableBytes() < Rtx.OSN_LENGTH + SrtpSession.MAX_TRAILER) {
                return fail(NO_ROOM);
            }
            // In the header: inserting the OSN in front of the payload below does not move it.
            int tccAt = view.appendedDataOffset();
            int tail = view.payloadLength() + view.paddingLength();
            int payloadAt = start + written - tail;
            if (producer != null && producer.kind() == MediaKind.VIDEO) {
                Vp8Payload.writeCounters(out, payloadAt, view.payloadLength(), sent.pictureId(outSeq),
                        sent.tl0PicIdx(outSeq), sent.keyIdx(outSeq));
            }
            Rtx.insertOsn(out, payloadAt, outSeq);
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
            outcome = SENT;
            transportCcOffset = tccAt;
            ok = true;
            return out;
        } finally {
            view.clear();
            if (!ok) {
                out.release();
            }
        }
    }

    /**
     * A padding-only packet on the RTX stream (RFC 3550 padding, no payload): bandwidth probing that the receiver
     * counts for transport-wide feedback and otherwise discards. Carries a transport-wide sequence number element (id
     * {@code transportCcId}) for the caller to fill in, and the given output timestamp. Null while RTX is off.
     *
     * @param paddingBytes 1..{@link #MAX_PADDING} bytes of padding (the last one holds the count)
     * @return a new pooled buffer with SRTP tail room, owned by the caller
     */
    ByteBuf padding(int paddingBytes, long timestamp, int transportCcId) {
        if (rtxSsrc == 0 || transportCcId <= 0 || transportCcId > 14) {
            return null;
        }
        int pad = Math.max(1, Math.min(MAX_PADDING, paddingBytes));
        ByteBuf out = allocator.heapBuffer(PADDING_HEADER + pad + SrtpSession.MAX_TRAILER);
        transportCcOffset = out.writerIndex() + RtpPacket.FIXED_HEADER_LENGTH + 5; // block header, element header
        out.writeByte(0xB0); // V=2, P=1, X=1
        out.writeByte(rtxPayloadType & 0x7F);
        out.writeShort(rtxSeq);
        out.writeInt((int) timestamp);
        out.writeInt((int) rtxSsrc);
        out.writeShort(RtpPacket.PROFILE_ONE_BYTE);
        out.writeShort(1); // one word of elements
        out.writeByte(transportCcId << 4 | (TransportWideSeq.LENGTH - 1));
        out.writeShort(0); // the transport-wide sequence number, filled in by the sender
        out.writeByte(0); // element padding
        out.writeZero(pad - 1);
        out.writeByte(pad);
        rtxSeq = (rtxSeq + 1) & 0xFFFF;
        return out;
    }

    /**
     * The absolute index, in the packet the latest successful {@link #answer}, {@link #duplicate} or {@link #padding}
     * returned, of the transport-wide sequence number element's data (for the send stage to fill in); -1 when that
     * packet carries none.
     */
    int transportCcOffset() {
        return transportCcOffset;
    }

    /** Why the last {@link #answer} returned what it did. */
    int outcome() {
        return outcome;
    }

    private ByteBuf fail(int why) {
        outcome = why;
        return null;
    }
}
