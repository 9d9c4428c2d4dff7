package dev.prism.perf.socket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/**
 * The receiving end of a channel under test: counts datagrams (and those of an unexpected size), read batches
 * ({@code channelReadComplete}: one per epoll wake-up that found data, the proxy for wake-ups) and exceptions, and
 * releases every message it gets. One instance per channel.
 *
 * <p>Threads: the channel's event loop updates the counts; it publishes them to the measuring thread through volatile
 * fields at the end of every read batch (and on every exception).
 */
final class CountingHandler extends ChannelInboundHandlerAdapter {
    private final int expectedSize;
    private long datagrams;
    private long wrong;
    private long batches;
    private volatile long publishedDatagrams;
    private volatile long publishedWrong;
    private volatile long publishedBatches;
    private volatile long errors;

    /** @param expectedSize the size every datagram should have; 0 = any */
    CountingHandler(int expectedSize) {
        this.expectedSize = expectedSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket p) {
                datagrams++;
                if (expectedSize != 0 && p.content().readableBytes() != expectedSize) {
                    wrong++;
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        batches++;
        publishedDatagrams = datagrams;
        publishedWrong = wrong;
        publishedBatches = batches;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed write to one recipient must not end the run: count it (the report shows it).
        errors = errors + 1;
    }

    long datagrams() {
        return publishedDatagrams;
    }

    long wrongSize() {
        return publishedWrong;
    }

    long readCompletes() {
        return publishedBatches;
    }

    long errors() {
        return errors;
    }
}
