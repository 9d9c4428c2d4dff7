package dev.prism.perf.load;

import dev.prism.core.rtp.MediaKind;
import dev.prism.perf.media.SyntheticRtp;
import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.LongObjectHashMap;
import java.util.Collection;

/**
 * What one subscriber receives, packet by packet, sorted by what it is. Every SSRC the server's offers announced is
 * mapped: the media SSRC of each line and the RTX SSRC its {@code a=ssrc-group:FID} pairs with it. A decrypted RTP
 * packet is then exactly one of:
 * <ul>
 *   <li>{@link #MEDIA}: on a media SSRC, with a payload that ends in the publisher's probe (send time); timed;</li>
 *   <li>{@link #RETRANSMISSION}: on an RTX SSRC, an original sequence number (RFC 4588 OSN) in front of a payload
 *       that ends in a probe; counted as repaired on its stream when the original had not arrived (an SFU's probe
 *       copies of packets already delivered are retransmissions that repair nothing);</li>
 *   <li>{@link #PADDING}: padding-only (P set, no payload) on a mapped SSRC: bandwidth probing;</li>
 *   <li>{@link #UNKNOWN_SSRC}: on an SSRC no offer announced;</li>
 *   <li>{@link #UNRECOGNISED}: on a mapped SSRC, but none of the above (no probe, an RTX payload too short for the
 *       OSN).</li>
 * </ul>
 * Packets on a media SSRC that are not media still take their sequence number there, so they never look like loss.
 *
 * <p>Threads: the subscriber's event loop only. {@link #onRtp} allocates nothing.
 */
final class DownlinkStats {
    static final int MEDIA = 0;
    static final int RETRANSMISSION = 1;
    static final int PADDING = 2;
    static final int UNKNOWN_SSRC = 3;
    static final int UNRECOGNISED = 4;
    private static final int CLASSES = 5;

    private final LongObjectHashMap<StreamStats> media = new LongObjectHashMap<>();
    private final LongObjectHashMap<StreamStats> rtx = new LongObjectHashMap<>();
    private final long[] counts = new long[CLASSES];
    private final long[] marks = new long[CLASSES];
    private MediaKind lastKind;
    private long lastSendNanos;

    /**
     * Maps an announced stream; an SSRC already mapped keeps its statistics.
     *
     * @param rtxSsrc its RTX SSRC, 0 for none
     */
    void announce(long ssrc, long rtxSsrc, MediaKind kind) {
        if (ssrc == 0) {
            return;
        }
        StreamStats s = media.get(ssrc);
        if (s == null) {
            s = new StreamStats(kind);
            media.put(ssrc, s);
        }
        if (rtxSsrc != 0 && rtxSsrc != ssrc && !rtx.containsKey(rtxSsrc) && !media.containsKey(rtxSsrc)) {
            rtx.put(rtxSsrc, s);
        }
    }

    /** Sorts and counts one decrypted packet (borrowed). @return its class: {@link #MEDIA}, {@link #PADDING}, ... */
    int onRtp(RtpPacket p) {
        int c = sort(p);
        counts[c]++;
        return c;
    }

    private int sort(RtpPacket p) {
        boolean paddingOnly = p.padding() && p.payloadLength() == 0;
        ByteBuf b = p.buffer();
        int payload = p.payloadOffset();
        int payloadEnd = payload + p.payloadLength();
        StreamStats s = media.get(p.ssrc());
        if (s != null) {
            long sent = paddingOnly ? Long.MIN_VALUE : SyntheticRtp.probeSendNanos(b, payload, payloadEnd);
            if (sent == Long.MIN_VALUE) {
                s.onFiller(p.sequenceNumber());
                return paddingOnly ? PADDING : UNRECOGNISED;
            }
            s.onPacket(p.sequenceNumber());
            lastKind = s.kind();
            lastSendNanos = sent;
            return MEDIA;
        }
        s = rtx.get(p.ssrc());
        if (s == null) {
            return UNKNOWN_SSRC;
        }
        if (paddingOnly) {
            return PADDING;
        }
        if (p.payloadLength() < 2 || SyntheticRtp.probeSendNanos(b, payload + 2, payloadEnd) == Long.MIN_VALUE) {
            return UNRECOGNISED;
        }
        s.onRetransmission(b.getUnsignedShort(payload));
        return RETRANSMISSION;
    }

    /** The kind of the last {@link #MEDIA} packet. */
    MediaKind lastKind() {
        return lastKind;
    }

    /** The probe's send time ({@code System.nanoTime}) of the last {@link #MEDIA} packet. */
    long lastSendNanos() {
        return lastSendNanos;
    }

    /** Packets of one class since the start. */
    long count(int cls) {
        return counts[cls];
    }

    /** Packets of one class since the mark. */
    long sinceMark(int cls) {
        return counts[cls] - marks[cls];
    }

    /** Packets of both unknown classes since the mark. */
    long unknownSinceMark() {
        return sinceMark(UNKNOWN_SSRC) + sinceMark(UNRECOGNISED);
    }

    /** Every packet since the mark, whatever its class. */
    long allSinceMark() {
        long n = 0;
        for (int c = 0; c < CLASSES; c++) {
            n += sinceMark(c);
        }
        return n;
    }

    /** The same counter of every media stream since the mark ({@link StreamStats#REPAIRED}, ...). */
    long streamsSinceMark(int counter) {
        long n = 0;
        for (StreamStats s : media.values()) {
            n += s.sinceMark(counter);
        }
        return n;
    }

    /** Packets the sender sent since the mark by the streams' sequence numbers. */
    long expectedSinceMark() {
        long n = 0;
        for (StreamStats s : media.values()) {
            n += s.expectedSinceMark();
        }
        return n;
    }

    /** Media streams by SSRC (a live view: the loop only). */
    LongObjectHashMap<StreamStats> mediaStreams() {
        return media;
    }

    Collection<StreamStats> streams() {
        return media.values();
    }

    /** Starts a window here, for every stream too. */
    void mark() {
        System.arraycopy(counts, 0, marks, 0, CLASSES);
        media.values().forEach(StreamStats::mark);
    }
}
