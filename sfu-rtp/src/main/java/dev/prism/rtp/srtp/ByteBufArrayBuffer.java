package dev.prism.rtp.srtp;

import io.netty.buffer.ByteBuf;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * jitsi-srtp's {@link ByteArrayBuffer} over the backing array of a heap {@link ByteBuf}, so SRTP transforms run in
 * place. One instance is reused for every packet of a session: {@link #wrap} before a transform, {@link #commit} to
 * copy the new packet bounds back into the buffer's reader/writer index, {@link #release} afterwards.
 *
 * <p>The window jitsi may write into is the buffer's own capacity, never the rest of the backing array: a pooled
 * heap buffer shares one large array with its neighbours. Growing past the capacity goes through
 * {@link ByteBuf#capacity(int)} (which may swap the array) or fails with {@link IndexOutOfBoundsException}.
 *
 * <p>Not thread-safe; owned by one {@link SrtpSession}.
 */
final class ByteBufArrayBuffer implements ByteArrayBuffer {
    private ByteBuf buf;
    private byte[] array;
    /** Index of the buffer's byte 0 inside {@link #array}. */
    private int base;
    /** Packet start, relative to the buffer (a reader index). */
    private int start;
    private int length;

    /** Points this view at {@code buf}'s readable bytes. The buffer must have a backing array. */
    void wrap(ByteBuf buf) {
        this.buf = buf;
        this.array = buf.array();
        this.base = buf.arrayOffset();
        this.start = buf.readerIndex();
        this.length = buf.readableBytes();
    }

    /** Writes the current packet bounds back as the buffer's reader and writer index. */
    void commit() {
        buf.setIndex(start, start + length);
    }

    /** Drops the references to the buffer so the view does not keep it reachable. */
    void release() {
        buf = null;
        array = null;
    }

    @Override
    public byte[] getBuffer() {
        return array;
    }

    @Override
    public int getOffset() {
        return base + start;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || start + len > buf.capacity()) {
            throw new IndexOutOfBoundsException("length " + len + " beyond buffer capacity " + buf.capacity());
        }
        length = len;
    }

    @Override
    public void setOffset(int off) {
        int rel = off - base;
        if (rel < 0 || rel > buf.capacity()) {
            throw new IndexOutOfBoundsException("offset " + off + " outside the buffer");
        }
        start = rel;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        if (off < 0 || len < 0 || off + len > length || len > out.length) {
            throw new IndexOutOfBoundsException("region " + off + "+" + len + " outside packet of " + length);
        }
        System.arraycopy(array, base + start + off, out, 0, len);
    }

    /** Makes room for {@code howMuch} bytes after the packet without changing its length. */
    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch: " + howMuch);
        }
        int needed = start + length + howMuch;
        if (needed > buf.capacity()) {
            if (needed > buf.maxCapacity()) {
                throw new IndexOutOfBoundsException("no room for " + howMuch + " more bytes");
            }
            buf.capacity(needed);
            array = buf.array();
            base = buf.arrayOffset();
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len == 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, array, base + start + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = Math.max(0, length - len);
    }
}
