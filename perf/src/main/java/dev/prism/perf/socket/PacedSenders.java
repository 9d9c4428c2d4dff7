package dev.prism.perf.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The clients of the receive cases: S UDP sockets on 127.0.0.1 (each its own port, so S distinct 4-tuples for
 * {@code SO_REUSEPORT}'s hash), driven by one plain thread that sends 1200-byte datagrams round-robin over them at a
 * paced total rate, or as fast as it can (rate 0). Paced sends are spread: the thread sleeps about 50 us between
 * rounds and sends what the {@link Pacer} says is due, so the receiver sees one or a few datagrams per wake-up, as
 * from many independent browsers, not millisecond bursts.
 *
 * <p>Threads: constructed and closed by the measuring thread; the sender thread owns the sockets in between. Its
 * loop ends when the {@link Window} says so (it has a hard deadline) or on {@link #close}; the thread itself then
 * waits (bounded) for {@link #close}, so that its CPU time stays readable.
 */
final class PacedSenders implements AutoCloseable {
    private static final long NAP_NANOS = 50_000;
    /** How long the finished sender thread waits for {@link #close} at most. */
    private static final long LINGER_SECONDS = 60;

    private final List<DatagramChannel> sockets = new ArrayList<>();
    private final InetSocketAddress to;
    private final int size;
    private final double rate;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private Thread thread;
    private volatile ProbedThread probed;
    private volatile boolean stop;
    private volatile long sent;
    private volatile long errors;

    /**
     * @param count sockets
     * @param to    where they all send
     * @param size  datagram size in bytes
     * @param rate  datagrams per second over all sockets; 0 = unpaced
     */
    PacedSenders(int count, InetSocketAddress to, int size, double rate) throws IOException {
        this.to = to;
        this.size = size;
        this.rate = rate;
        try {
            for (int i = 0; i < count; i++) {
                DatagramChannel c = DatagramChannel.open();
                sockets.add(c);
                c.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
                c.bind(new InetSocketAddress("127.0.0.1", 0));
            }
        } catch (IOException | RuntimeException e) {
            closeSockets();
            throw e;
        }
    }

    /** Starts sending until {@code window} says stop; returns the sender thread for probing. */
    ProbedThread start(Window window) throws InterruptedException {
        thread = new Thread(() -> run(window), "sb-senders");
        thread.setDaemon(true);
        thread.start();
        running.await(5, TimeUnit.SECONDS);
        return probed != null ? probed : new ProbedThread("senders", thread, -1);
    }

    /** Datagrams handed to the kernel so far. */
    long sent() {
        return sent;
    }

    /** Sends that failed (the kernel refused them); not counted in {@link #sent()}. */
    long errors() {
        return errors;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        closing.countDown();
        if (thread != null) {
            thread.join(5_000);
        }
        closeSockets();
    }

    private void run(Window window) {
        probed = ProbedThread.current("senders");
        running.countDown();
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            payload.put((byte) i);
        }
        int n = sockets.size();
        long count = 0;
        long failed = 0;
        int next = 0;
        long start = System.nanoTime();
        // Burst and lag bounds: 20 ms of traffic at the rate (at least a round over the sockets). A sender stalled
        // longer on a busy machine drops the excess instead of flooding the receiver with it.
        long bound = rate == 0 ? 64 : Math.max(n, (long) (rate / 50));
        Pacer pacer = new Pacer(rate, start, bound, bound);
        long now = start;
        while (!stop && !window.shouldStop(now, count)) {
            long due = pacer.due(now, count);
            for (long i = 0; i < due; i++) {
                payload.clear();
                try {
                    sockets.get(next).send(payload, to);
                    count++;
                } catch (IOException e) {
                    failed++;
                }
                next = next + 1 == n ? 0 : next + 1;
            }
            sent = count;
            errors = failed;
            if (rate != 0) {
                LockSupport.parkNanos(NAP_NANOS);
            }
            now = System.nanoTime();
        }
        window.finished(now);
        // Stay alive until closed: a thread's CPU time can be read only while it lives, and the process's sum over
        // its threads would lose this one's.
        try {
            closing.await(LINGER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSockets() {
        for (DatagramChannel c : sockets) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to do on a loopback socket
            }
        }
    }
}
