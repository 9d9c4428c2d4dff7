package dev.prism.perf.socket;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Send case 2: M equal-size datagrams to the same receiver per flush, either as one UDP GSO send (a
 * {@code SegmentedDatagramPacket}: one {@code sendmmsg} entry with {@code UDP_SEGMENT}, segmented by the kernel) or
 * as M ordinary datagrams in one {@code sendmmsg}. The receiver checks that every datagram arrives with the segment
 * size.
 *
 * @param segments M
 * @param gso      one GSO send instead of M datagrams
 * @param rate     datagrams (segments) per second
 * @param size     segment size
 */
record GsoCase(int segments, boolean gso, double rate, int size) implements BenchCase {
    @Override
    public String name() {
        return "gso " + segments + "x" + (gso ? " gso" : " sendmmsg");
    }

    @Override
    public String group() {
        return "gso";
    }

    @Override
    public String baseline() {
        return new GsoCase(segments, false, rate, size).name();
    }

    @Override
    public String description() {
        return segments + " x " + size + " B to one receiver per flush, as "
                + (gso ? "one UDP GSO send (UDP_SEGMENT)" : segments + " datagrams in one sendmmsg");
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segments", segments);
        m.put("gso", gso);
        m.put("segmentBytes", size);
        m.put("targetDatagramsPerSecond", rate);
        return m;
    }

    @Override
    public boolean perReceived() {
        return false;
    }

    @Override
    public String unsupported() {
        return gso && !EpollDatagramChannel.isSegmentedDatagramPacketSupported()
                ? "UDP_SEGMENT not supported by this kernel or Netty's native library" : null;
    }

    @Override
    public Traffic open(ByteBufAllocator alloc) throws Exception {
        return new Run(alloc);
    }

    private final class Run extends SendRun {
        private final EnvelopePool<PooledDatagram> single;
        private final EnvelopePool<PooledSegmentedDatagram> segmented;
        private final InetSocketAddress to;

        Run(ByteBufAllocator alloc) throws Exception {
            super(alloc, 1, size, segments, rate);
            this.single = new EnvelopePool<>(alloc, size, PooledDatagram::new);
            this.segmented = new EnvelopePool<>(alloc, size * segments,
                    (pool, buffer) -> new PooledSegmentedDatagram(pool, buffer, size));
            this.to = sinks.addresses().get(0);
        }

        @Override
        protected void sendUnit() {
            if (gso) {
                channel.write(segmented.take().to(to), channel.voidPromise());
            } else {
                for (int i = 0; i < segments; i++) {
                    channel.write(single.take().to(to), channel.voidPromise());
                }
            }
            channel.flush();
        }

        @Override
        protected void closeOnLoop() {
            single.close();
            segmented.close();
        }
    }
}
