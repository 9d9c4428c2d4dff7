package dev.prism.rtp.bwe;

import dev.prism.rtp.packet.RtpPacket;

/**
 * The transport-wide sequence number header extension (draft-holmer-rmcat-transport-wide-cc-extensions-01): 16 bits,
 * one counter per transport (all SSRCs of a peer connection share it). Hot path: no allocation.
 */
public final class TransportWideSeq {
    /** Returned by {@link #read} when the packet carries no (well-formed) element. */
    public static final int ABSENT = -1;
    /** Element data size in bytes. */
    public static final int LENGTH = 2;

    private TransportWideSeq() {
    }

    /**
     * The transport-wide sequence number of a wrapped packet, or {@link #ABSENT}.
     *
     * @param extensionId the id the publisher negotiated for {@code HeaderExtension.TRANSPORT_CC}; 0 when none
     */
    public static int read(RtpPacket packet, int extensionId) {
        if (extensionId <= 0) {
            return ABSENT;
        }
        int found = packet.findExtension(extensionId);
        if (found < 0 || RtpPacket.extensionLength(found) < LENGTH) {
            return ABSENT;
        }
        return packet.buffer().getUnsignedShort(RtpPacket.extensionOffset(found));
    }

    /**
     * Overwrites the element in a packet this caller owns (a consumer's copy in which the element was kept), for the
     * downlink where Prism numbers each subscriber's packets itself.
     *
     * @return false when the packet has no such element of the right size
     */
    public static boolean write(RtpPacket packet, int extensionId, int seq) {
        if (extensionId <= 0) {
            return false;
        }
        int found = packet.findExtension(extensionId);
        if (found < 0 || RtpPacket.extensionLength(found) < LENGTH) {
            return false;
        }
        packet.buffer().setShort(RtpPacket.extensionOffset(found), seq);
        return true;
    }
}
