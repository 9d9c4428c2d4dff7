package dev.prism.rtp.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Small well-formed RTP packets for tests, in unpooled heap buffers the caller owns:
 *
 * <pre>
 * header (12)  | V=2, X when an extension id is given | PT | seq | timestamp | SSRC |
 * extension    | 0xBEDE, length 1 | id, L=1 | transport-wide seq (2) | pad (1) |   (RFC 8285 one-byte form)
 * payload      | audio: {@code payloadLength} bytes of (seq + i) | VP8: descriptor (4) + frame header byte + filler |
 * </pre>
 *
 * The VP8 descriptor is X=1, S on a frame start, PID 0; I=1 with a 15-bit picture id (M=1); the frame header byte's P
 * bit (bit 0) is 0 on a key frame. Filler bytes are {@code (seq + i)}, so a receiver can check the payload survived.
 */
public final class TestRtp {
    /** Bytes of the VP8 payload descriptor written here. */
    public static final int VP8_DESCRIPTOR_LENGTH = 4;

    private TestRtp() {
    }

    /** An audio packet; {@code transportCcId} 0 writes no extension. */
    public static ByteBuf audio(int payloadType, long ssrc, int seq, long timestamp, int transportCcId,
                                int transportSeq, int payloadLength) {
        ByteBuf b = header(payloadType, false, ssrc, seq, timestamp, transportCcId, transportSeq, payloadLength);
        fill(b, seq, payloadLength);
        return b;
    }

    /**
     * A one-packet VP8 frame (frame start, marker set).
     *
     * @param keyframe a key frame (what a consumer waits for before it forwards a layer)
     */
    public static ByteBuf vp8(int payloadType, long ssrc, int seq, long timestamp, int pictureId, boolean keyframe,
                              int transportCcId, int transportSeq, int payloadLength) {
        if (payloadLength < VP8_DESCRIPTOR_LENGTH + 1) {
            throw new IllegalArgumentException("VP8 payload too short: " + payloadLength);
        }
        ByteBuf b = header(payloadType, true, ssrc, seq, timestamp, transportCcId, transportSeq, payloadLength);
        b.writeByte(0x90);                              // X, S, PID 0
        b.writeByte(0x80);                              // I
        b.writeShort(0x8000 | (pictureId & 0x7FFF));    // M=1, picture id
        b.writeByte(keyframe ? 0x10 : 0x11);            // frame header: P=0 on a key frame
        fill(b, seq, payloadLength - VP8_DESCRIPTOR_LENGTH - 1);
        return b;
    }

    /** The filler byte at payload position {@code i} of the packet with sequence number {@code seq}. */
    public static byte filler(int seq, int i) {
        return (byte) (seq + i);
    }

    private static ByteBuf header(int payloadType, boolean marker, long ssrc, int seq, long timestamp,
                                  int transportCcId, int transportSeq, int payloadLength) {
        boolean ext = transportCcId > 0;
        ByteBuf b = Unpooled.buffer(12 + (ext ? 8 : 0) + payloadLength);
        b.writeByte(ext ? 0x90 : 0x80);
        b.writeByte((marker ? 0x80 : 0) | payloadType);
        b.writeShort(seq);
        b.writeInt((int) timestamp);
        b.writeInt((int) ssrc);
        if (ext) {
            b.writeShort(0xBEDE).writeShort(1);
            b.writeByte(transportCcId << 4 | 1).writeShort(transportSeq).writeByte(0);
        }
        return b;
    }

    private static void fill(ByteBuf b, int seq, int n) {
        for (int i = 0; i < n; i++) {
            b.writeByte(filler(seq, i));
        }
    }
}
