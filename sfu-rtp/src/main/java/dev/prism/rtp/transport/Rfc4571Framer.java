package dev.prism.rtp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Cuts a TCP byte stream into the packets RFC 4571 frames in it: each packet is preceded by its length as a 16-bit
 * unsigned big-endian number. ICE-TCP (RFC 6544) carries STUN, DTLS and SRTP this way, so every frame is what one UDP
 * datagram would have been.
 *
 * <p>Zero copy where the stream allows it: a frame that lies whole in one read is handed over as a window of that
 * read's own buffer (its reader and writer indices moved around the frame for the call, then put back), with no slice
 * object and no copy. Only a frame split across reads is copied, into one reused buffer of
 * {@code maxFrameLength + 2} bytes, taken from the allocator the first time a frame is split and kept until
 * {@link #close()}.
 *
 * <p>Bad input: a length above {@code maxFrameLength} returns {@link Result#FRAME_TOO_LONG} at once (the caller
 * closes the connection: after a wrong length nothing that follows can be framed); a zero length is a frame with no
 * packet, skipped and reported to {@link FrameSink#onEmptyFrame()}.
 *
 * <p>Buffers: {@link #feed} borrows its input (no retain, no release) and lends each frame to the sink for the call
 * only; a sink that keeps a frame must copy it or take a {@code retainedSlice()} (and must not change the window's
 * indices beyond reading). Threads: one connection's loop; not thread-safe.
 */
public final class Rfc4571Framer implements AutoCloseable {
    /** The length prefix: 2 bytes. */
    public static final int HEADER_LENGTH = 2;

    /** What the framer hands out. */
    public interface FrameSink {
        /** One whole frame, {@code [readerIndex, writerIndex)}, lent for the call. */
        void onFrame(ByteBuf frame);

        /** A zero-length frame was skipped. */
        default void onEmptyFrame() {
        }
    }

    /** The outcome of one {@link #feed}. */
    public enum Result {
        /** Every complete frame was delivered; a partial one (if any) is kept for the next read. */
        OK,
        /** A frame's length is above the maximum: the stream cannot be framed any further. */
        FRAME_TOO_LONG
    }

    private final int maxFrameLength;
    private final ByteBufAllocator allocator;
    /** Bytes of a frame (header included) split across reads; null until the first split. */
    private ByteBuf partial;
    private boolean failed;

    /**
     * @param maxFrameLength the longest packet accepted, 1..65535
     * @param allocator      where the buffer for split frames comes from
     */
    public Rfc4571Framer(int maxFrameLength, ByteBufAllocator allocator) {
        if (maxFrameLength < 1 || maxFrameLength > 0xFFFF) {
            throw new IllegalArgumentException("maxFrameLength must be 1..65535, got " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.allocator = allocator;
    }

    /**
     * Delivers every frame completed by {@code in} to {@code sink}, in order. {@code in} is borrowed; its readable
     * bytes are all consumed on {@code OK}. After {@code FRAME_TOO_LONG} every later call returns it again.
     */
    public Result feed(ByteBuf in, FrameSink sink) {
        if (failed) {
            return Result.FRAME_TOO_LONG;
        }
        while (in.isReadable()) {
            if (partial != null && partial.isReadable()) {
                if (!completePartial(in, sink)) {
                    return failed ? Result.FRAME_TOO_LONG : Result.OK;
                }
                continue;
            }
            int readable = in.readableBytes();
            int start = in.readerIndex();
            if (readable < HEADER_LENGTH) {
                keep(in, readable);
                return Result.OK;
            }
            int length = in.getUnsignedShort(start);
            if (length > maxFrameLength) {
                failed = true;
                return Result.FRAME_TOO_LONG;
            }
            if (length == 0) {
                in.skipBytes(HEADER_LENGTH);
                sink.onEmptyFrame();
                continue;
            }
            if (readable < HEADER_LENGTH + length) {
                keep(in, readable);
                return Result.OK;
            }
            int end = start + HEADER_LENGTH + length;
            int writerIndex = in.writerIndex();
            in.setIndex(start + HEADER_LENGTH, end);
            try {
                sink.onFrame(in);
            } finally {
                in.setIndex(end, writerIndex);
            }
        }
        return Result.OK;
    }

    /**
     * Adds bytes of {@code in} to the split frame; delivers it when whole. Returns false when {@code in} ran out (or
     * the length is too long: {@link #failed}).
     */
    private boolean completePartial(ByteBuf in, FrameSink sink) {
        if (partial.readableBytes() < HEADER_LENGTH) {
            partial.writeBytes(in, Math.min(HEADER_LENGTH - partial.readableBytes(), in.readableBytes()));
            if (partial.readableBytes() < HEADER_LENGTH) {
                return false;
            }
        }
        int length = partial.getUnsignedShort(partial.readerIndex());
        if (length > maxFrameLength) {
            failed = true;
            return false;
        }
        if (length == 0) {
            partial.clear();
            sink.onEmptyFrame();
            return true;
        }
        int missing = HEADER_LENGTH + length - partial.readableBytes();
        int take = Math.min(missing, in.readableBytes());
        partial.writeBytes(in, take);
        if (take < missing) {
            return false;
        }
        partial.skipBytes(HEADER_LENGTH);
        try {
            sink.onFrame(partial);
        } finally {
            partial.clear();
        }
        return true;
    }

    /** Copies the start of a split frame (at most a header and {@code maxFrameLength} bytes: checked by the caller). */
    private void keep(ByteBuf in, int count) {
        if (partial == null) {
            partial = allocator.heapBuffer(maxFrameLength + HEADER_LENGTH, maxFrameLength + HEADER_LENGTH);
        }
        partial.writeBytes(in, count);
    }

    /** Bytes held of a frame not yet complete (tests, and the trickle check). */
    public int pendingBytes() {
        return partial == null ? 0 : partial.readableBytes();
    }

    /** Releases the split-frame buffer. Idempotent. */
    @Override
    public void close() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        failed = true;
    }
}
