package dev.prism.perf.load;

import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What the simulated participants of one load run share: a fixed set of event loops (each participant lives on one,
 * with its socket, timers and bookkeeping, so its statistics need no locks), a DTLS certificate, threads for the
 * blocking DTLS handshakes and the buffer allocator.
 *
 * <p>Threads: everything here is safe to use from any thread: the certificate is immutable, the handshake pool and
 * Netty's pooled allocator are thread-safe, the loops are fixed at construction. Per-loop state (latency recorders)
 * is the caller's, kept per loop.
 */
final class LoadContext implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<EventLoop> loops;
    private final ExecutorService handshakes;
    private final DtlsCertificate certificate;
    private final String bindAddress;

    /**
     * @param bindAddress the local address the participants' sockets bind to (an IP literal)
     * @param threads     event loop threads for the participants, at least 1
     */
    LoadContext(String bindAddress, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        this.bindAddress = bindAddress;
        SrtpSession.prepareBackend();
        this.certificate = DtlsCertificate.generate();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("load-media", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<EventLoop> l = new ArrayList<>();
        for (EventExecutor e : group) {
            l.add((EventLoop) e);
        }
        this.loops = List.copyOf(l);
        // bctls handshakes block a thread each until done; a cached pool never queues one behind a slow peer.
        this.handshakes = Executors.newCachedThreadPool(new DefaultThreadFactory("load-dtls", true));
    }

    /** The participants' event loops, in a fixed order. */
    List<EventLoop> loops() {
        return loops;
    }

    /** The loop of participant {@code index}: round-robin over {@link #loops()}. */
    EventLoop loop(int index) {
        return loops.get(Math.floorMod(index, loops.size()));
    }

    ExecutorService handshakes() {
        return handshakes;
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    ByteBufAllocator allocator() {
        return PooledByteBufAllocator.DEFAULT;
    }

    String bindAddress() {
        return bindAddress;
    }

    @Override
    public void close() {
        handshakes.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
