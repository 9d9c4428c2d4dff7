package dev.prism.rtp.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Consumer;

/**
 * Test helper for fuzz targets: hands a fuzzer's bytes to a parser the way the socket does (a pooled buffer owned by
 * the caller) and checks that the parser only borrowed it.
 *
 * <p>The buffer's capacity is exactly the headroom plus the input, so a read past the end throws
 * {@link IndexOutOfBoundsException} instead of silently reading stale pool memory, and the input starts at a non-zero
 * reader index (after {@code 0xA5} filler) so a parser that reads from index 0 instead of the reader index is caught.
 */
public final class FuzzBuffers {
    /** Filler before the input: a parser that reads it is reading outside the readable bytes. */
    public static final int HEADROOM = 3;

    private FuzzBuffers() {
    }

    /**
     * Runs {@code parse} on a fresh pooled buffer whose readable bytes are {@code input}, then checks that the parser
     * neither released nor retained it and did not move its indices, and releases it (also when the parser throws).
     */
    public static void borrow(byte[] input, Consumer<ByteBuf> parse) {
        int capacity = HEADROOM + input.length;
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(capacity, capacity);
        try {
            for (int i = 0; i < HEADROOM; i++) {
                buf.writeByte(0xA5);
            }
            buf.writeBytes(input);
            buf.readerIndex(HEADROOM);
            parse.accept(buf);
            assertThat(buf.refCnt()).as("the parser borrows the buffer: no release, no retain").isEqualTo(1);
            assertThat(buf.readerIndex()).as("reader index untouched").isEqualTo(HEADROOM);
            assertThat(buf.writerIndex()).as("writer index untouched").isEqualTo(capacity);
        } finally {
            if (buf.refCnt() > 0) {
                buf.release(buf.refCnt());
            }
        }
    }
}
