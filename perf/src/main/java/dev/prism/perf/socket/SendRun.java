package dev.prism.perf.socket;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The common part of the send cases: one {@link EpollDatagramChannel} on one epoll loop (as Prism's media engine
 * has), drained loopback receivers, and a driver on the loop that wakes every millisecond and sends the flush units
 * the {@link Pacer} says are due. A unit is what the product would send between two flushes (one incoming packet's
 * fan-out, several packets' fan-outs, or one GSO burst); subclasses write and flush one unit.
 *
 * <p>Threads: constructed, started and closed by the measuring thread; everything touching the channel runs on its
 * loop. The driver stops itself when the {@link Window} says so (bounded by its hard deadline) or on close.
 */
abstract class SendRun implements Traffic {
    protected final Channel channel;
    protected final DrainedSinks sinks;
    private final EventLoopGroup group;
    private final CountingHandler handler = new CountingHandler(0);
    private final double unitsPerSecond;
    private final int datagramsPerUnit;
    private ProbedThread loop;
    private ProbedThread drain;
    // Loop-only driver state.
    private Pacer pacer;
    private ScheduledFuture<?> tick;
    private Window window;
    private long units;
    private long sentOnLoop;
    private volatile long sent;

    /**
     * @param alloc            allocator of the channel and the envelopes
     * @param sinkCount        drained receivers
     * @param sinkSize         size every datagram must arrive with
     * @param datagramsPerUnit datagrams sent per unit (per flush)
     * @param datagramsPerSec  the target rate; 0 = as fast as the loop goes
     */
    SendRun(ByteBufAllocator alloc, int sinkCount, int sinkSize, int datagramsPerUnit, double datagramsPerSec)
            throws Exception {
        this.datagramsPerUnit = datagramsPerUnit;
        this.unitsPerSecond = datagramsPerSec / datagramsPerUnit;
        this.sinks = new DrainedSinks(sinkCount, sinkSize, TimeUnit.MINUTES.toNanos(10));
        this.group = Loops.epoll(1, "sb-send");
        try {
            this.channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .handler(handler)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        } catch (Exception | Error e) {
            Loops.shutdown(group);
            sinks.close();
            throw e;
        }
    }

    /** Writes one unit ({@code datagramsPerUnit} datagrams) and flushes it. Event loop only. */
    protected abstract void sendUnit();

    /** Releases what the subclass owns (its envelope pools), on the loop, after the channel closed. */
    protected abstract void closeOnLoop();

    @Override
    public void start(Window w) throws Exception {
        drain = sinks.start();
        EventLoop el = channel.eventLoop();
        loop = Loops.probe(el);
        el.submit(() -> {
            window = w;
            long now = System.nanoTime();
            // Burst and lag bounds: 50 ms of units (at least one). Ticks come late on a busy machine; the credit
            // keeps the rate, and a unit is always one flush, however many units a tick sends.
            long bound = Math.max(1, (long) (unitsPerSecond / 20));
            pacer = new Pacer(unitsPerSecond, now, bound, bound);
            tick = el.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        }).get(5, TimeUnit.SECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        if (!window.shouldStop(now, sentOnLoop)) {
            for (long due = pacer.due(now, units); due > 0; due--) {
                sendUnit();
                units++;
                sentOnLoop += datagramsPerUnit;
                if (window.shouldStop(now, sentOnLoop)) {
                    break;
                }
            }
            sent = sentOnLoop;
        }
        if (window.shouldStop(now, sentOnLoop)) {
            tick.cancel(false);
            window.finished(now);
        }
    }

    @Override
    public List<ProbedThread> loops() {
        return List.of(loop);
    }

    @Override
    public List<ProbedThread> peers() {
        return List.of(drain);
    }

    @Override
    public long sent() {
        return sent;
    }

    @Override
    public long received() {
        return sinks.received();
    }

    @Override
    public long readCompletes() {
        return -1;
    }

    @Override
    public long[] receivedPerLoop() {
        return null;
    }

    @Override
    public long errors() {
        return handler.errors();
    }

    @Override
    public long wrongSize() {
        return sinks.wrongSize();
    }

    @Override
    public void close() throws Exception {
        EventLoop el = channel.eventLoop();
        try {
            el.submit(() -> {
                if (tick != null) {
                    tick.cancel(false);
                }
            }).await(5, TimeUnit.SECONDS);
            // Closing the channel releases the envelopes it still holds (back into the pools), then the pools go.
            channel.close().await(5, TimeUnit.SECONDS);
            el.submit(this::closeOnLoop).await(5, TimeUnit.SECONDS);
        } finally {
            Loops.shutdown(group);
            sinks.close();
        }
    }
}
