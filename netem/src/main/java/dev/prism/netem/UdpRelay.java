package dev.prism.netem;

import dev.prism.core.clock.MonoClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A userspace UDP relay that impairs what passes through it: one listening socket per target, and per client address
 * that writes to a listener a socket of its own toward that listener's target (a NAT-like mapping, so the target sees
 * one distinct address per client). Datagrams from clients go through the {@link Direction#TO_SERVER} path,
 * datagrams back from the target through the {@link Direction#TO_CLIENT} path, each an {@link ImpairedPath}: the
 * relay holds them in a release queue ordered by departure time and sends each when its time comes, from the
 * listener (toward the client) or the mapping's socket (toward the target).
 *
 * <p>Threads: one thread ({@code prism-netem-relay}) owns every socket, both paths and the mappings; it sleeps in a
 * {@link Selector} until a datagram arrives or the next departure is due. The selector counts whole milliseconds, so
 * within 2 ms of a departure the thread parks in steps of at most 0.5 ms and polls the sockets between them: a packet
 * leaves a fraction of a millisecond after its time when the machine gives the thread a core
 * ({@link PathCounters#meanLateMillis()}, {@link PathCounters#maxLateNanos()} report what happened). Every public method
 * may be called from any thread: changes are handed to the relay's thread and applied before the call returns.
 * Bounded: the mapping table ({@code maxClients}) and each path's release queue ({@code capacity} datagrams of at
 * most {@code slotBytes}); what does not fit is dropped and counted.
 */
public final class UdpRelay implements AutoCloseable {
    /** Which way a packet goes. */
    public enum Direction {
        /** From a client to the relay's target (the client's uplink). */
        TO_SERVER,
        /** From the target back to the client (the client's downlink). */
        TO_CLIENT
    }

    private static final long CALL_TIMEOUT_SECONDS = 5;
    /** Below this wait the thread parks in short steps (polling the sockets between them) instead of selecting. */
    private static final long FINE_WAIT_NANOS = 2_000_000;
    private static final long FINE_STEP_NANOS = 500_000;

    private final List<InetSocketAddress> targets;
    private final InetAddress upstreamBind;
    private final int maxClients;
    private final Selector selector;
    private final List<DatagramChannel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> listenAddresses = new ArrayList<>();
    private final List<Map<SocketAddress, Mapping>> mappingsByListener = new ArrayList<>();
    private final Mapping[] mappings;
    private int mappingCount;
    private long refusedClients;
    private long sendFailures;
    private final ImpairedPath toServer;
    private final ImpairedPath toClient;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65_536);
    private final ImpairedPath.Sink sendToServer = this::sendToServer;
    private final ImpairedPath.Sink sendToClient = this::sendToClient;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile RelayCounters finalCounters;

    /** One client address behind one listener, and the socket that speaks for it toward the target. */
    private static final class Mapping {
        final int id;
        final int listener;
        final SocketAddress client;
        final DatagramChannel upstream;

        Mapping(int id, int listener, SocketAddress client, DatagramChannel upstream) {
            this.id = id;
            this.listener = listener;
            this.client = client;
            this.upstream = upstream;
        }
    }

    private UdpRelay(Builder b) throws IOException {
        this.targets = List.copyOf(b.targets);
        this.upstreamBind = b.upstreamBind != null ? b.upstreamBind : b.listenAddress;
        this.maxClients = b.maxClients;
        this.mappings = new Mapping[b.maxClients];
        this.toServer = new ImpairedPath(b.clock, b.toServer, RandomSource.seeded(b.seed), b.capacity, b.slotBytes);
        this.toClient = new ImpairedPath(b.clock, b.toClient, RandomSource.seeded(b.seed * 31 + 17), b.capacity,
                b.slotBytes);
        this.selector = Selector.open();
        try {
            for (int i = 0; i < targets.size(); i++) {
                DatagramChannel ch = DatagramChannel.open();
                listeners.add(ch);
                ch.bind(new InetSocketAddress(b.listenAddress, 0));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, i);
                listenAddresses.add((InetSocketAddress) ch.getLocalAddress());
                mappingsByListener.add(new HashMap<>());
            }
        } catch (IOException | RuntimeException e) {
            closeSockets();
            throw e;
        }
        this.thread = new Thread(this::run, "prism-netem-relay");
        this.thread.setDaemon(true);
    }

    /** Settings for {@link #start}. */
    public static Builder builder(InetAddress listenAddress, List<InetSocketAddress> targets) {
        return new Builder(listenAddress, targets);
    }

    /** The addresses clients send to, in the order of the targets. */
    public List<InetSocketAddress> listenAddresses() {
        return List.copyOf(listenAddresses);
    }

    /** Where each listener forwards, in the order of {@link #listenAddresses()}. */
    public List<InetSocketAddress> targets() {
        return targets;
    }

    /** Swaps one direction's impairment (applied to packets offered from now on). */
    public void setProfile(Direction direction, LinkProfile profile) {
        Objects.requireNonNull(profile, "profile");
        call(() -> {
            path(direction).setProfile(profile);
            return null;
        });
    }

    /** One direction's current impairment. */
    public LinkProfile profile(Direction direction) {
        return call(() -> path(direction).profile());
    }

    /** Starts (true) or ends an outage in both directions: every datagram arriving meanwhile is dropped. */
    public void setOutage(boolean down) {
        call(() -> {
            toServer.setOutage(down);
            toClient.setOutage(down);
            return null;
        });
    }

    /** The counters now (the last ones once closed). */
    public RelayCounters counters() {
        RelayCounters last = finalCounters;
        return last != null ? last : call(this::snapshot);
    }

    /** Stops the thread and closes every socket; packets still held are dropped. Idempotent. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        if (thread.isAlive()) {
            try {
                finalCounters = call(this::snapshot);
            } catch (RuntimeException e) {
                // failed relay: no figures to keep
            }
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSockets();
    }

    private void start() {
        thread.start();
    }

    private ImpairedPath path(Direction d) {
        return d == Direction.TO_SERVER ? toServer : toClient;
    }

    private RelayCounters snapshot() {
        return new RelayCounters(toServer.counters(), toClient.counters(), mappingCount, refusedClients,
                sendFailures);
    }

    private <T> T call(Supplier<T> action) {
        if (Thread.currentThread() == thread) {
            return action.get();
        }
        Throwable failed = failure;
        if (failed != null || !running) {
            throw new IllegalStateException("the relay is not running", failed);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the relay", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the relay did not answer in " + CALL_TIMEOUT_SECONDS + " s", failure);
        }
    }

    private void run() {
        try {
            while (running) {
                Runnable command;
                while ((command = commands.poll()) != null) {
                    command.run();
                }
                release();
                long wait = Math.min(toServer.nanosUntilNextDeparture(), toClient.nanosUntilNextDeparture());
                if (wait == 0) {
                    selector.selectNow();
                } else if (wait == Long.MAX_VALUE) {
                    selector.select();
                } else if (wait >= FINE_WAIT_NANOS) {
                    // The selector's timeout is in whole milliseconds: wake a millisecond early, then wait finely.
                    selector.select(wait / 1_000_000 - 1);
                } else {
                    LockSupport.parkNanos(Math.min(wait, FINE_STEP_NANOS));
                    selector.selectNow();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable()) {
                        read(key);
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
            running = false;
            System.err.println("netem relay stopped: " + t);
        }
    }

    /** Reads what the socket holds (a bounded batch, so both directions and the clock get their turn). */
    private void read(SelectionKey key) throws IOException {
        DatagramChannel ch = (DatagramChannel) key.channel();
        for (int n = 0; n < 64; n++) {
            readBuffer.clear();
            SocketAddress from;
            try {
                from = ch.receive(readBuffer);
            } catch (IOException e) {
                continue; // e.g. an ICMP error reported on the socket: nothing to forward
            }
            if (from == null) {
                return;
            }
            readBuffer.flip();
            if (key.attachment() instanceof Integer listener) {
                Mapping m = mapping(listener, from);
                if (m != null) {
                    toServer.offer(readBuffer, m.id);
                }
            } else {
                toClient.offer(readBuffer, ((Mapping) key.attachment()).id);
            }
        }
    }

    private Mapping mapping(int listener, SocketAddress client) throws IOException {
        Map<SocketAddress, Mapping> byClient = mappingsByListener.get(listener);
        Mapping m = byClient.get(client);
        if (m != null) {
            return m;
        }
        if (mappingCount == maxClients) {
            refusedClients++;
            return null;
        }
        DatagramChannel upstream = DatagramChannel.open();
        try {
            upstream.bind(new InetSocketAddress(upstreamBind, 0));
            upstream.configureBlocking(false);
            m = new Mapping(mappingCount, listener, client, upstream);
            upstream.register(selector, SelectionKey.OP_READ, m);
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw e;
        }
        mappings[mappingCount++] = m;
        byClient.put(client, m);
        return m;
    }

    private void release() {
        toServer.releaseDue(sendToServer);
        toClient.releaseDue(sendToClient);
    }

    private void sendToServer(int route, ByteBuffer payload, long arrival, long departure) {
        Mapping m = mappings[route];
        send(m.upstream, payload, targets.get(m.listener));
    }

    private void sendToClient(int route, ByteBuffer payload, long arrival, long departure) {
        Mapping m = mappings[route];
        send(listeners.get(m.listener), payload, m.client);
    }

    private void send(DatagramChannel ch, ByteBuffer payload, SocketAddress to) {
        try {
            if (ch.send(payload, to) == 0) {
                sendFailures++;
            }
        } catch (IOException e) {
            sendFailures++;
        }
    }

    private void closeSockets() {
        for (DatagramChannel ch : listeners) {
            closeQuietly(ch);
        }
        for (int i = 0; i < mappingCount; i++) {
            closeQuietly(mappings[i].upstream);
        }
        closeQuietly(selector);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Settings of a relay; {@link #start()} opens its sockets and starts its thread. */
    public static final class Builder {
        private final InetAddress listenAddress;
        private final List<InetSocketAddress> targets;
        private InetAddress upstreamBind;
        private LinkProfile toServer = LinkProfile.PERFECT;
        private LinkProfile toClient = LinkProfile.PERFECT;
        private long seed = 1;
        private MonoClock clock = MonoClock.SYSTEM;
        private int capacity = 4096;
        private int slotBytes = 2048;
        private int maxClients = 64;

        private Builder(InetAddress listenAddress, List<InetSocketAddress> targets) {
            this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("at least one target");
            }
            this.targets = List.copyOf(targets);
        }

        /** The address the per-client sockets bind to (what the target sees); the listen address by default. */
        public Builder upstreamBind(InetAddress address) {
            this.upstreamBind = address;
            return this;
        }

        public Builder profile(Direction direction, LinkProfile profile) {
            if (direction == Direction.TO_SERVER) {
                toServer = Objects.requireNonNull(profile);
            } else {
                toClient = Objects.requireNonNull(profile);
            }
            return this;
        }

        /** Seeds both directions' chance (each its own stream); the same seed repeats the same draws. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder clock(MonoClock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** Datagrams each direction may hold at once, and the largest one. */
        public Builder capacity(int datagrams, int maxDatagramBytes) {
            this.capacity = datagrams;
            this.slotBytes = maxDatagramBytes;
            return this;
        }

        public Builder maxClients(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxClients must be positive");
            }
            this.maxClients = value;
            return this;
        }

        public UdpRelay start() {
            try {
                UdpRelay relay = new UdpRelay(this);
                relay.start();
                return relay;
            } catch (IOException e) {
                throw new UncheckedIOException("could not open the relay's sockets", e);
            }
        }
    }
}
