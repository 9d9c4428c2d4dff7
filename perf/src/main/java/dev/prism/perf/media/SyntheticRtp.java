package dev.prism.perf.media;

import io.netty.buffer.ByteBuf;

/**
 * Writes synthetic but well-formed RTP packets: a fixed header, a one-byte (RFC 8285) extension block with
 * abs-send-time and transport-wide sequence number, a VP8 payload descriptor (RFC 7741) or an Opus-sized payload, and
 * a {@link #PROBE_LENGTH}-byte probe at the end of the payload that carries the sender's clock, so a receiver can time
 * the packet after any rewriting of the headers.
 *
 * <pre>
 * probe (last 16 bytes of the payload): | magic "PRBE" (4) | stream index (4) | send time, System.nanoTime (8) |
 * </pre>
 *
 * <p>Stateless; writes at the destination's writer index and never grows it past its capacity.
 */
public final class SyntheticRtp {
    /** Bytes of the probe at the end of every payload. */
    public static final int PROBE_LENGTH = 16;
    /** "PRBE". */
    public static final int PROBE_MAGIC = 0x50524245;
    /** VP8 payload descriptor written here: X=1, then I=1 with a 15-bit picture id. */
    public static final int VP8_DESCRIPTOR_LENGTH = 4;

    private SyntheticRtp() {
    }

    /**
     * Header extension ids to write; 0 leaves an element out. All ids are 1..14 (one-byte form).
     *
     * @param absSendTime  abs-send-time (3 bytes)
     * @param transportCc  transport-wide sequence number (2 bytes)
     * @param audioLevel   ssrc-audio-level (1 byte), audio only
     */
    public record ExtensionIds(int absSendTime, int transportCc, int audioLevel) {
        public static final ExtensionIds NONE = new ExtensionIds(0, 0, 0);

        public ExtensionIds {
            check(absSendTime);
            check(transportCc);
            check(audioLevel);
        }

        private static void check(int id) {
            if (id < 0 || id > 14) {
                throw new IllegalArgumentException("one-byte extension id must be 1..14 (0 = none): " + id);
            }
        }
    }

    /**
     * Writes the 12-byte header and the extension block.
     *
     * @param twSeq       transport-wide sequence number (used when {@code ids.transportCc() != 0})
     * @param nowNanos    the sender's clock; abs-send-time is derived from it (6.18 fixed point seconds, 24 bits)
     * @return bytes written
     */
    public static int writeHeader(ByteBuf dst, int payloadType, boolean marker, int seq, long timestamp, long ssrc,
                                  ExtensionIds ids, int twSeq, long nowNanos) {
        return writeHeader(dst, payloadType, marker, seq, timestamp, ssrc, ids, twSeq, nowNanos, SPEECH_LEVEL);
    }

    /** RFC 6464's byte for speech: voice activity set, -30 dBov. */
    public static final int SPEECH_LEVEL = 0x80 | 30;
    /** RFC 6464's byte for silence: no voice activity, -127 dBov. */
    public static final int SILENCE_LEVEL = 127;

    /** {@link #writeHeader} with the audio level byte given ({@link #SPEECH_LEVEL}, {@link #SILENCE_LEVEL}). */
    public static int writeHeader(ByteBuf dst, int payloadType, boolean marker, int seq, long timestamp, long ssrc,
                                  ExtensionIds ids, int twSeq, long nowNanos, int audioLevelByte) {
        int start = dst.writerIndex();
        int elements = (ids.absSendTime() != 0 ? 4 : 0) + (ids.transportCc() != 0 ? 3 : 0)
                + (ids.audioLevel() != 0 ? 2 : 0);
        boolean ext = elements > 0;
        dst.writeByte(0x80 | (ext ? 0x10 : 0));
        dst.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        dst.writeShort(seq);
        dst.writeInt((int) timestamp);
        dst.writeInt((int) ssrc);
        if (ext) {
            int words = (elements + 3) / 4;
            dst.writeShort(0xBEDE);
            dst.writeShort(words);
            int blockStart = dst.writerIndex();
            if (ids.absSendTime() != 0) {
                // abs-send-time: seconds in 6.18 fixed point, 24 bits.
                long fixed = (nowNanos << 18) / 1_000_000_000L;
                dst.writeByte((ids.absSendTime() << 4) | 2);
                dst.writeMedium((int) (fixed & 0xFFFFFF));
            }
            if (ids.transportCc() != 0) {
                dst.writeByte((ids.transportCc() << 4) | 1);
                dst.writeShort(twSeq);
            }
            if (ids.audioLevel() != 0) {
                dst.writeByte(ids.audioLevel() << 4);
                dst.writeByte(audioLevelByte);
            }
            dst.writeZero(words * 4 - (dst.writerIndex() - blockStart));
        }
        return dst.writerIndex() - start;
    }

    /**
     * Writes a VP8 payload: descriptor, then (on the first packet of a frame) a frame header byte whose P bit marks
     * key or delta frames, filler, and the probe. {@code payloadLength} counts all of it.
     *
     * @param frameStart first packet of a frame (S=1, partition 0)
     * @param keyframe   on a frame start: a key frame (P=0)
     */
    public static void writeVp8Payload(ByteBuf dst, int payloadLength, boolean frameStart, boolean keyframe,
                                       int pictureId, int streamIndex, long sendNanos) {
        if (payloadLength < VP8_DESCRIPTOR_LENGTH + 1 + PROBE_LENGTH) {
            throw new IllegalArgumentException("VP8 payload too short: " + payloadLength);
        }
        dst.writeByte(0x80 | (frameStart ? 0x10 : 0)); // X, S, PID 0
        dst.writeByte(0x80);                             // I
        dst.writeShort(0x8000 | (pictureId & 0x7FFF));   // M=1, 15-bit picture id
        // VP8 frame header's first byte: bit 0 is P (inverse key frame flag); other bits are filler here.
        dst.writeByte(frameStart && keyframe ? 0x10 : 0x11);
        fill(dst, payloadLength - VP8_DESCRIPTOR_LENGTH - 1 - PROBE_LENGTH);
        writeProbe(dst, streamIndex, sendNanos);
    }

    /** Writes an Opus-like payload (opaque bytes, TOC byte first) ending in the probe. */
    public static void writeOpusPayload(ByteBuf dst, int payloadLength, int streamIndex, long sendNanos) {
        if (payloadLength < 1 + PROBE_LENGTH) {
            throw new IllegalArgumentException("Opus payload too short: " + payloadLength);
        }
        dst.writeByte(0x78); // TOC: SILK+CELT hybrid, 20 ms, mono
        fill(dst, payloadLength - 1 - PROBE_LENGTH);
        writeProbe(dst, streamIndex, sendNanos);
    }

    public static void writeProbe(ByteBuf dst, int streamIndex, long sendNanos) {
        dst.writeInt(PROBE_MAGIC);
        dst.writeInt(streamIndex);
        dst.writeLong(sendNanos);
    }

    /** The send time of a probe ending at {@code payloadEnd}, or {@link Long#MIN_VALUE} when there is no probe. */
    public static long probeSendNanos(ByteBuf buf, int payloadStart, int payloadEnd) {
        int p = payloadEnd - PROBE_LENGTH;
        if (p < payloadStart || buf.getInt(p) != PROBE_MAGIC) {
            return Long.MIN_VALUE;
        }
        return buf.getLong(p + 8);
    }

    /** The stream index of a probe ending at {@code payloadEnd}, or -1. */
    public static int probeStreamIndex(ByteBuf buf, int payloadStart, int payloadEnd) {
        int p = payloadEnd - PROBE_LENGTH;
        if (p < payloadStart || buf.getInt(p) != PROBE_MAGIC) {
            return -1;
        }
        return buf.getInt(p + 4);
    }

    /** Non-zero filler that compresses badly, like coded media. */
    private static void fill(ByteBuf dst, int n) {
        int x = 0x9E3779B9 ^ n;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            dst.writeInt(x);
        }
        for (; i < n; i++) {
            dst.writeByte(0x5A);
        }
    }
}
