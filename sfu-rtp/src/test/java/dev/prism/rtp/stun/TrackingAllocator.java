package dev.prism.rtp.stun;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test allocator that remembers every buffer it hands out, so a test can assert in {@code @AfterEach} that all of
 * them were released (the leak detector only reports at GC time; this fails the test that leaked). Buffers are also
 * wrapped by Netty's leak detector, which runs paranoid in tests. Single-threaded use.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> handedOut = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    /** A buffer holding {@code bytes}, owned by the test, which must release it. */
    public ByteBuf wrap(byte[] bytes) {
        return heapBuffer(bytes.length).writeBytes(bytes);
    }

    public int allocations() {
        return handedOut.size();
    }

    /** Fails if any buffer handed out still has a reference. */
    public void assertAllReleased() {
        for (ByteBuf b : handedOut) {
            assertThat(b.refCnt()).as("reference count of a buffer from this allocator").isZero();
        }
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf track(ByteBuf b) {
        handedOut.add(b);
        return toLeakAwareBuffer(b);
    }
}
