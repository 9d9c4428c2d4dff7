package dev.prism.rtp.transport;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.dtls.DtlsCertificate;
import dev.prism.rtp.dtls.DtlsHandshakePool;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The media plane of a node: one {@link MediaEngine} per media thread, each an event loop with its own UDP socket,
 * and the rule that puts every room on exactly one of them.
 *
 * <p>Why one socket per loop rather than several {@code SO_REUSEPORT} sockets on one port: the kernel spreads a
 * reuse-port group by a hash of the 4-tuple, so a participant's packets would land on an arbitrary loop and most of
 * them would have to be handed to the loop that owns the room. With a socket per loop, a room's candidates name its
 * engine's port and every packet of the room arrives on the thread that owns the room's state: no hand-off, no lock.
 * Engine {@code i} binds {@code port + i} (or a free port each when {@code port} is 0); firewalls open that range.
 * With ICE-TCP on, engine {@code i} also listens on TCP, on its UDP port number by default
 * ({@link IceTcpConfig}), accepting on its own loop: a room's TCP participants land on the room's thread too.
 *
 * <p>Placement: a new room goes to the engine hosting the fewest rooms (then the fewest transports); it stays there
 * for its life. The room's executor is its engine's loop, so {@link #engineOf(Executor)} finds the engine from the
 * room alone.
 *
 * <p>Threads: every method may be called from any thread. The engines share one DTLS certificate, one DTLS handshake
 * pool and one buffer allocator.
 */
public final class MediaPlane implements AutoCloseable {
    private final List<MediaEngine> engines;
    private final MediaCounters counters;
    private final DtlsHandshakePool handshakeExecutor;
    private final ByteBufAllocator allocator;
    private final MonoClock clock;
    /** Rooms placed on each engine (placement only: correctness never depends on it). */
    private final AtomicIntegerArray rooms;

    private MediaPlane(List<MediaEngine> engines, DtlsHandshakePool handshakeExecutor, ByteBufAllocator allocator,
                       MonoClock clock) {
        this.engines = List.copyOf(engines);
        this.handshakeExecutor = handshakeExecutor;
        this.allocator = allocator;
        this.clock = clock;
        this.rooms = new AtomicIntegerArray(engines.size());
        List<MediaCounters> parts = new ArrayList<>();
        for (MediaEngine e : engines) {
            parts.add(e.counters());
        }
        this.counters = MediaCounters.sumOf(parts);
    }

    /**
     * Binds {@code threads} sockets and starts their loops.
     *
     * @param config  {@code port} is the first engine's port; engine {@code i} binds {@code port + i} (0: any free port)
     * @param threads number of engines, at least 1
     * @throws IllegalArgumentException when the port range does not fit
     * @throws IllegalStateException when a socket cannot be bound (the message names the port)
     */
    public static MediaPlane start(MediaEngineConfig config, int threads) {
        return start(config, threads, PooledByteBufAllocator.DEFAULT);
    }

    /** The same with another allocator for every buffer of the media plane (tests count its outstanding buffers). */
    static MediaPlane start(MediaEngineConfig config, int threads, ByteBufAllocator allocator) {
        if (threads < 1) {
            throw new IllegalArgumentException("media threads must be at least 1, got " + threads);
        }
        if (config.port() != 0 && config.port() + threads - 1 > 65535) {
            throw new IllegalArgumentException("UDP ports " + config.port() + ".." + (config.port() + threads - 1)
                    + " for " + threads + " media threads do not fit below 65536");
        }
        int tcpBase = config.iceTcp().port();
        if (config.iceTcp().enabled() && tcpBase > 0 && tcpBase + threads - 1 > 65535) {
            throw new IllegalArgumentException("TCP ports " + tcpBase + ".." + (tcpBase + threads - 1) + " for "
                    + threads + " media threads do not fit below 65536");
        }
        DtlsCertificate certificate = DtlsCertificate.generate();
        DtlsHandshakePool handshakes = new DtlsHandshakePool();
        List<MediaEngine> started = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                MediaEngineConfig own = (config.port() == 0 ? config : config.withPort(config.port() + i))
                        .withIceTcp(config.iceTcp().forEngine(i));
                started.add(MediaEngine.start(own, allocator, certificate, handshakes, "prism-media-" + i));
            }
        } catch (RuntimeException e) {
            started.forEach(MediaEngine::close);
            handshakes.close();
            throw e;
        }
        return new MediaPlane(started, handshakes, allocator, config.clock());
    }

    /**
     * A plane of one engine built on a channel of the caller's (the test kit's {@code EmbeddedMedia}): rooms run on
     * that channel's loop. The engine's owner closes it; this plane is not closed.
     */
    static MediaPlane of(MediaEngine engine) {
        return new MediaPlane(List.of(engine), engine.handshakeExecutor(), engine.allocator(), engine.clock());
    }

    /** The engines, in port order. */
    public List<MediaEngine> engines() {
        return engines;
    }

    /** Every engine's loop, in the engines' order. */
    public List<EventLoop> eventLoops() {
        List<EventLoop> loops = new ArrayList<>(engines.size());
        for (MediaEngine e : engines) {
            loops.add(e.eventLoop());
        }
        return loops;
    }

    /** Every engine's UDP port, in order. */
    public List<Integer> localPorts() {
        List<Integer> ports = new ArrayList<>(engines.size());
        for (MediaEngine e : engines) {
            ports.add(e.localPort());
        }
        return ports;
    }

    /**
     * Places a new room: the engine hosting the fewest rooms, then the fewest live transports. Call once per room
     * created; {@link #release(Executor)} when it is gone. Synchronized (rooms are created at signaling speed, never
     * on the forwarding path) so that concurrent placements do not all read the same counts.
     */
    public synchronized MediaEngine placeRoom() {
        int best = 0;
        for (int i = 1; i < engines.size(); i++) {
            int byRooms = Integer.compare(rooms.get(i), rooms.get(best));
            if (byRooms < 0 || byRooms == 0
                    && engines.get(i).liveTransports() < engines.get(best).liveTransports()) {
                best = i;
            }
        }
        rooms.incrementAndGet(best);
        return engines.get(best);
    }

    /** A room placed by {@link #placeRoom()} has closed; {@code roomExecutor} is its engine's loop. */
    public void release(Executor roomExecutor) {
        int i = indexOf(roomExecutor);
        if (i >= 0) {
            rooms.updateAndGet(i, n -> Math.max(0, n - 1));
        }
    }

    /**
     * The engine whose loop is {@code roomExecutor}: the engine a room lives on.
     *
     * @throws IllegalArgumentException when no engine runs that executor
     */
    public MediaEngine engineOf(Executor roomExecutor) {
        int i = indexOf(roomExecutor);
        if (i < 0) {
            throw new IllegalArgumentException("not a media loop of this node: " + roomExecutor);
        }
        return engines.get(i);
    }

    private int indexOf(Executor executor) {
        for (int i = 0; i < engines.size(); i++) {
            if (engines.get(i).eventLoop() == executor) {
                return i;
            }
        }
        return -1;
    }

    /** Rooms placed on engine {@code i} and not yet released. */
    public int roomsOn(int i) {
        return rooms.get(i);
    }

    /** The sum of every engine's counters (a live view). */
    public MediaCounters counters() {
        return counters;
    }

    public ByteBufAllocator allocator() {
        return allocator;
    }

    public MonoClock clock() {
        return clock;
    }

    /** The DTLS handshake threads every engine shares ({@code running()}, {@code rejected()} for metrics). */
    public DtlsHandshakePool handshakePool() {
        return handshakeExecutor;
    }

    /** The DTLS certificate every engine presents. */
    public DtlsCertificate certificate() {
        return engines.get(0).certificate();
    }

    @Override
    public void close() {
        for (MediaEngine e : engines) {
            e.close();
        }
        handshakeExecutor.close();
    }
}
