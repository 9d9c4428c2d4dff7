package dev.prism.perf.load;

import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.srtp.SrtpSession;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What every simulated participant of one load run shares: one event loop for all their sockets, timers and
 * bookkeeping (so the statistics need no locks), a DTLS certificate, threads for the blocking DTLS handshakes and the
 * buffer allocator.
 *
 * <p>Threads: participants live on {@link #loop()}; DTLS callbacks and signaling messages hop onto it.
 */
final class LoadContext implements AutoCloseable {
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ExecutorService handshakes;
    private final DtlsCertificate certificate;
    private final String bindAddress;

    /** @param bindAddress the local address the participants' sockets bind to (an IP literal) */
    LoadContext(String bindAddress) {
        this.bindAddress = bindAddress;
        SrtpSession.prepareBackend();
        this.certificate = DtlsCertificate.generate();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-media", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        // bctls handshakes block a thread each until done; a cached pool never queues one behind a slow peer.
        this.handshakes = Executors.newCachedThreadPool(new DefaultThreadFactory("load-dtls", true));
    }

    EventLoopGroup group() {
        return group;
    }

    EventLoop loop() {
        return loop;
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
