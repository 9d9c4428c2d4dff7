package dev.prism.perf.socket;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Netty epoll event loops as Prism's media engine makes them: a {@link MultiThreadIoEventLoopGroup} with the epoll
 * I/O handler, on Netty's {@code FastThreadLocalThread}s (Netty recycles its per-write objects only on those, so a
 * plain thread would show allocations Prism never makes).
 */
final class Loops {
    private Loops() {
    }

    /** A group of {@code threads} epoll loops named {@code name-<n>-<i>}. */
    static EventLoopGroup epoll(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                EpollIoHandler.newFactory());
    }

    /** The loop's thread, found by running a task on it. */
    static ProbedThread probe(EventLoop loop) throws Exception {
        return loop.submit(() -> ProbedThread.current("loop")).get(5, TimeUnit.SECONDS);
    }

    /** Stops a group at once and waits (bounded) for its threads. */
    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
