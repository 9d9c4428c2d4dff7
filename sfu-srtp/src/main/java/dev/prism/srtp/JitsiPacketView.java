package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-srtp's view of one packet ({@link ByteArrayBuffer}) over the array of a Netty buffer, or over a reused copy
 * of a direct one: one instance per {@link JitsiSrtpSession}, pointed at each packet in turn, so that a call costs no
 * wrapper object.
 *
 * <p>It never reallocates: {@link #grow} only checks that the room is there (the session makes the room in the
 * {@code ByteBuf} before the call) and throws if not, which the session turns into {@link SrtpStatus#FAIL}.
 *
 * <p>Not thread-safe: owned by one session, valid during one call.
 */
final class JitsiPacketView implements ByteArrayBuffer {
    private byte[] array;
    private int offset;
    private int length;
    /** End of the room the packet may grow into. */
    private int limit;
    private boolean bounced;
    /** Copy of a direct buffer's packet; grows to the largest packet seen. */
    private byte[] bounce = new byte[2048];

    /** Points at the readable bytes of {@code packet}, with {@code room} bytes after them it may grow into. */
    void point(ByteBuf packet, int room) {
        int len = packet.readableBytes();
        if (packet.hasArray()) {
            array = packet.array();
            offset = packet.arrayOffset() + packet.readerIndex();
            limit = offset + len + Math.min(room, packet.writableBytes());
            bounced = false;
        } else {
            if (bounce.length < len + room) {
                bounce = new byte[Math.max(len + room, 2 * bounce.length)];
            }
            array = bounce;
            offset = 0;
            limit = len + room;
            SrtpPackets.copyOut(packet, packet.readerIndex(), array, len);
            bounced = true;
        }
        length = len;
    }

    /**
     * Makes the packet's new length (and for a copy, its bytes) the buffer's. False if jitsi moved the packet's
     * start, which SRTP never does and the buffer could not express.
     */
    boolean commit(ByteBuf packet) {
        int start = packet.hasArray() && !bounced ? packet.arrayOffset() + packet.readerIndex() : 0;
        if (offset != start) {
            return false;
        }
        int r = packet.readerIndex();
        if (bounced) {
            packet.setBytes(r, array, 0, length);
        }
        packet.writerIndex(r + length);
        return true;
    }

    /** Drops the reference to the packet's array. */
    void clear() {
        array = null;
    }

    @Override
    public byte[] getBuffer() {
        return array;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || offset + len > limit) {
            throw new IllegalArgumentException("length " + len + " does not fit the packet's room");
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(array, offset + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > limit) {
            throw new IllegalStateException("no room for " + howMuch + " more bytes");
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, array, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
