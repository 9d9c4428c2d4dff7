package dev.prism.perf.socket;

import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Send case 1: the fan-out of 1200-byte datagrams to K distinct loopback receivers, flushed three ways:
 * after every datagram ({@code writeAndFlush}: one {@code sendto} each), after each incoming packet's K writes (one
 * {@code sendmmsg} of K, what Prism does when a read batch holds one packet), or after several incoming packets' K
 * writes (one {@code sendmmsg} of n x K, what a read batch of n packets gives).
 *
 * @param receivers      K, distinct destinations
 * @param incomingPerFlush incoming packets whose fan-outs go out in one flush (ignored when flushing each datagram)
 * @param flushEach      flush after every datagram
 * @param rate           datagrams per second out (K per incoming packet)
 * @param size           datagram size
 */
record FanOutCase(int receivers, int incomingPerFlush, boolean flushEach, double rate, int size)
        implements BenchCase {
    /** The baseline's name: a flush per datagram. */
    static final String FLUSH_EACH = "send flush each";

    static FanOutCase flushEach(int receivers, double rate, int size) {
        return new FanOutCase(receivers, 1, true, rate, size);
    }

    static FanOutCase flushPer(int incoming, int receivers, double rate, int size) {
        return new FanOutCase(receivers, incoming, false, rate, size);
    }

    @Override
    public String name() {
        return flushEach ? FLUSH_EACH : "send flush/" + incomingPerFlush + "x" + receivers;
    }

    @Override
    public String group() {
        return "send";
    }

    @Override
    public String baseline() {
        return FLUSH_EACH;
    }

    @Override
    public String description() {
        return flushEach
                ? "fan-out to " + receivers + " receivers, writeAndFlush per datagram (sendto each)"
                : "fan-out to " + receivers + " receivers, " + incomingPerFlush + " incoming x " + receivers
                        + " writes then one flush (sendmmsg of " + incomingPerFlush * receivers + ")";
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receivers", receivers);
        m.put("datagramsPerFlush", flushEach ? 1 : incomingPerFlush * receivers);
        m.put("datagramBytes", size);
        m.put("targetDatagramsPerSecond", rate);
        return m;
    }

    @Override
    public boolean perReceived() {
        return false;
    }

    @Override
    public Traffic open(ByteBufAllocator alloc) throws Exception {
        return new Run(alloc);
    }

    private final class Run extends SendRun {
        private final EnvelopePool<PooledDatagram> pool;
        private final InetSocketAddress[] to;

        Run(ByteBufAllocator alloc) throws Exception {
            super(alloc, receivers, size, receivers * (flushEach ? 1 : incomingPerFlush), rate);
            this.pool = new EnvelopePool<>(alloc, size, PooledDatagram::new);
            this.to = sinks.addresses().toArray(new InetSocketAddress[0]);
        }

        @Override
        protected void sendUnit() {
            if (flushEach) {
                for (InetSocketAddress r : to) {
                    channel.writeAndFlush(pool.take().to(r), channel.voidPromise());
                }
                return;
            }
            for (int i = 0; i < incomingPerFlush; i++) {
                for (InetSocketAddress r : to) {
                    channel.write(pool.take().to(r), channel.voidPromise());
                }
            }
            channel.flush();
        }

        @Override
        protected void closeOnLoop() {
            pool.close();
        }
    }
}
