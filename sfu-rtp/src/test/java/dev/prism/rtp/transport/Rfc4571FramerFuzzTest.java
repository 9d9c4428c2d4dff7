package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Fuzz target (docs/FUZZING.md): any ICE-TCP byte stream, cut into reads at positions the input chooses. The framer
 * never throws, delivers frames whose length prefixes and bodies re-make the stream up to where it stopped, fails only
 * on a length above the maximum, returns its split-frame buffer on close and leaves each read's indices as it found
 * them once consumed. The first byte of the input picks the read size (1..256); the maximum is 1200.
 */
class Rfc4571FramerFuzzTest {
    private static final int MAX = 1200;

    @FuzzTest
    void feed(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = (input[0] & 0xFF) + 1;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        Rfc4571Framer.FrameSink sink = new Rfc4571Framer.FrameSink() {
            @Override
            public void onFrame(ByteBuf frame) {
                assertThat(frame.readableBytes()).isBetween(1, MAX);
                int n = frame.readableBytes();
                rebuilt.write(n >> 8);
                rebuilt.write(n & 0xFF);
                rebuilt.writeBytes(ByteBufUtil.getBytes(frame));
            }

            @Override
            public void onEmptyFrame() {
                rebuilt.write(0);
                rebuilt.write(0);
            }
        };
        Rfc4571Framer framer = new Rfc4571Framer(MAX, PooledByteBufAllocator.DEFAULT);
        boolean failed = false;
        try {
            for (int at = 0; at < stream.length && !failed; at += chunk) {
                int end = Math.min(stream.length, at + chunk);
                ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(end - at, end - at);
                try {
                    read.writeBytes(stream, at, end - at);
                    failed = framer.feed(read, sink) == Rfc4571Framer.Result.FRAME_TOO_LONG;
                    if (!failed) {
                        assertThat(read.isReadable()).isFalse();
                        assertThat(read.writerIndex()).isEqualTo(end - at);
                    }
                    assertThat(read.refCnt()).isEqualTo(1);
                } finally {
                    read.release();
                }
            }
            byte[] out = rebuilt.toByteArray();
            assertThat(out.length).isLessThanOrEqualTo(stream.length);
            assertThat(Arrays.copyOf(stream, out.length)).isEqualTo(out);
            if (!failed) {
                assertThat(out.length + framer.pendingBytes()).isEqualTo(stream.length);
            } else {
                int length = ((stream[out.length] & 0xFF) << 8) | (out.length + 1 < stream.length
                        ? stream[out.length + 1] & 0xFF : 0);
                assertThat(length).as("failed only on a long length").isGreaterThan(MAX);
            }
        } finally {
            framer.close();
        }
    }
}
