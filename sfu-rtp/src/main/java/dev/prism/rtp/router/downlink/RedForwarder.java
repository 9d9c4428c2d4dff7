package dev.prism.rtp.router.downlink;

import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.rtp.codec.RedPayload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;

/**
 * What one audio subscriber gets of a publisher's Opus RED (RFC 2198) packets: the RED packets as they are when its
 * answer kept RED, else plain Opus, the primary block only. Plain Opus packets from the publisher pass as they are.
 *
 * <p>Per packet, in two steps around the send stage's copy: {@link #payloadType} decides from the source packet what
 * the copy's payload type is (or -1: drop, counted as {@link DropReason#RED_UNUSABLE}: a RED packet that does not
 * parse, or whose primary block is not Opus, for a subscriber that needs Opus), then {@link #finish} edits the copy
 * in place: for a RED subscriber it rewrites the blocks' Opus payload type to the subscriber's (when they differ); to
 * strip, it moves the primary block's data over the block headers and cuts the copy after it (any padding goes, with
 * the P bit). The copy is one pooled buffer made before encryption, so SRTP protects, and transport-wide feedback
 * counts, the size that leaves. No allocation, no lock.
 *
 * <p>Threading: the media event loop, like the {@link AudioConsumer} that owns it.
 */
final class RedForwarder {
    /** The publisher's payload types: Opus, and RED of Opus (-1 when it did not negotiate RED). */
    private final int publisherOpusPt;
    private final int publisherRedPt;
    /** The subscriber's Opus payload type, and its RED one (-1 until its answer keeps RED). */
    private final int subscriberOpusPt;
    private int subscriberRedPt = -1;
    private final MediaCounters counters;
    private final RedPayload red = new RedPayload();
    /** What {@link #payloadType} decided for the packet {@link #finish} edits. */
    private int action;
    private long stripped;
    private long forwardedRed;

    private static final int AS_IS = 0;
    private static final int RED_REWRITE = 1;
    private static final int STRIP = 2;

    RedForwarder(MediaDescription publisher, int subscriberOpusPt, MediaCounters counters) {
        RtpCodec opus = publisher == null ? null : publisher.primaryCodec();
        this.publisherOpusPt = opus == null ? -1 : opus.payloadType();
        this.publisherRedPt = publisher == null ? -1 : redPayloadType(publisher, publisherOpusPt);
        this.subscriberOpusPt = subscriberOpusPt;
        this.counters = counters;
    }

    /** The payload type of {@code d}'s RED codec of {@code opusPt}, or -1. */
    static int redPayloadType(MediaDescription d, int opusPt) {
        for (RtpCodec c : d.codecs()) {
            if (c.name().equalsIgnoreCase("red") && c.payloadType() != opusPt) {
                return c.payloadType();
            }
        }
        return -1;
    }

    /** The subscriber's answer kept RED on {@code payloadType}; -1: it did not (RED is stripped to Opus). */
    void setSubscriberRedPayloadType(int payloadType) {
        this.subscriberRedPt = payloadType;
    }

    int subscriberRedPayloadType() {
        return subscriberRedPt;
    }

    /**
     * The payload type the copy of {@code packet} carries for this subscriber, or -1 to drop it (counted). Reads the
     * RED headers when the packet will be stripped.
     */
    int payloadType(RtpPacket packet) {
        if (publisherRedPt < 0 || packet.payloadType() != publisherRedPt) {
            action = AS_IS;
            return subscriberOpusPt;
        }
        if (subscriberRedPt >= 0) {
            action = RED_REWRITE;
            return subscriberRedPt;
        }
        if (!red.wrap(packet.buffer(), packet.payloadOffset(), packet.payloadLength())
                || red.primaryPayloadType() != publisherOpusPt) {
            counters.drop(DropReason.RED_UNUSABLE);
            return -1;
        }
        action = STRIP;
        return subscriberOpusPt;
    }

    /**
     * Edits {@code copy}, the send stage's copy of {@code packet} made with {@link #payloadType}'s answer, as decided
     * there, and returns the payload length it now carries. {@code copy} stays the caller's.
     */
    int finish(ByteBuf copy, RtpPacket packet) {
        int payloadAt = copy.writerIndex() - packet.payloadLength() - packet.paddingLength();
        switch (action) {
            case RED_REWRITE -> {
                forwardedRed++;
                counters.redForwarded();
                if (publisherOpusPt != subscriberOpusPt && packet.payloadLength() > 0) {
                    RedPayload.rewriteBlockPayloadTypes(copy, payloadAt, publisherOpusPt, subscriberOpusPt);
                }
                return packet.payloadLength();
            }
            case STRIP -> {
                stripped++;
                counters.redStripped();
                int length = red.primaryLength();
                copy.setBytes(payloadAt, copy, payloadAt + (red.primaryOffset() - packet.payloadOffset()), length);
                copy.writerIndex(payloadAt + length);
                int first = copy.readerIndex();
                copy.setByte(first, copy.getByte(first) & ~0x20); // padding cut off with the redundancy
                red.clear();
                return length;
            }
            default -> {
                return packet.payloadLength();
            }
        }
    }

    /** RED packets stripped to their Opus primary block. */
    long stripped() {
        return stripped;
    }

    /** RED packets forwarded as RED. */
    long forwardedRed() {
        return forwardedRed;
    }
}
