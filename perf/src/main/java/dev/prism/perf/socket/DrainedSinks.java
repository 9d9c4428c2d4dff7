package dev.prism.perf.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The receivers of the send cases: UDP sockets on 127.0.0.1 that one plain thread (NIO, a selector) drains and
 * counts, as a subscriber's browser would. That thread is not part of the sender's figure; it is measured apart as a
 * peer. Datagrams of another size than expected are counted as wrong (a GSO send must arrive as its segments).
 *
 * <p>Threads: constructed and closed by the measuring thread; the drain thread is the only one touching the sockets
 * after {@link #start}. Counters are published through volatile fields after every selector round. The drain loop is
 * bounded by {@link #close} and by a deadline.
 */
final class DrainedSinks implements AutoCloseable {
    private final List<DatagramChannel> sockets = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final Selector selector;
    private final int expectedSize;
    private final Thread thread;
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile ProbedThread probed;
    private volatile boolean stop;
    private volatile long received;
    private volatile long wrongSize;

    /**
     * @param count         sockets to open
     * @param expectedSize  the size every datagram should have
     * @param lifetimeNanos the drain thread ends after this long even if never closed
     */
    DrainedSinks(int count, int expectedSize, long lifetimeNanos) throws IOException {
        this.expectedSize = expectedSize;
        this.selector = Selector.open();
        try {
            for (int i = 0; i < count; i++) {
                DatagramChannel c = DatagramChannel.open();
                sockets.add(c);
                c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                c.bind(new InetSocketAddress("127.0.0.1", 0));
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ);
                addresses.add((InetSocketAddress) c.getLocalAddress());
            }
        } catch (IOException | RuntimeException e) {
            closeSockets();
            throw e;
        }
        long deadline = System.nanoTime() + lifetimeNanos;
        this.thread = new Thread(() -> drain(deadline), "sb-drain");
        thread.setDaemon(true);
    }

    /** Starts the drain thread and returns it for probing once it runs. */
    ProbedThread start() throws InterruptedException {
        thread.start();
        running.await(5, TimeUnit.SECONDS);
        return probed != null ? probed : new ProbedThread("drain", thread, -1);
    }

    List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** Datagrams drained so far (all sockets). */
    long received() {
        return received;
    }

    /** Datagrams whose size was not the expected one. */
    long wrongSize() {
        return wrongSize;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        selector.wakeup();
        thread.join(5_000);
        closeSockets();
    }

    private void drain(long deadlineNanos) {
        probed = ProbedThread.current("drain");
        running.countDown();
        ByteBuffer b = ByteBuffer.allocateDirect(65536);
        long count = 0;
        long wrong = 0;
        try {
            while (!stop && System.nanoTime() < deadlineNanos) {
                selector.select(50);
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) k.channel();
                    for (int i = 0; i < 1024; i++) {
                        b.clear();
                        if (c.receive(b) == null) {
                            break;
                        }
                        count++;
                        if (b.position() != expectedSize) {
                            wrong++;
                        }
                    }
                }
                selector.selectedKeys().clear();
                received = count;
                wrongSize = wrong;
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed: the counts so far stand
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
        try {
            selector.close();
        } catch (IOException e) {
            // as above
        }
    }
}
