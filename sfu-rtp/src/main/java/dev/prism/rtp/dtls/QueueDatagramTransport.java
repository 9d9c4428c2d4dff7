package dev.prism.rtp.dtls;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * bctls's view of the network for one {@link DtlsSession}: datagrams the event loop received, handed over through a
 * bounded queue, and a {@link DtlsSession.DatagramSender} for the way out.
 *
 * <p>Two modes. During the handshake bctls runs on a handshake thread and {@link #receive} blocks up to the wait bctls
 * asks for (its retransmission timer). After the handshake the event loop drives bctls itself, so {@link #receive}
 * never blocks: when the queue is empty it throws {@link #DRAINED}. bctls passes an {@link InterruptedIOException}
 * through without failing the connection, which ends the read loop cleanly.
 *
 * <p>The handshake deadline ({@link #setDeadline}) is enforced here, where the handshake thread waits for the peer:
 * a blocking receive never waits past it and throws {@link TlsTimeoutException} once it has passed, which fails the
 * handshake and frees the thread whatever bctls's own timers say.
 */
final class QueueDatagramTransport implements DatagramTransport {
    /** Largest DTLS datagram accepted; bigger ones cannot come from a WebRTC peer over a normal path MTU. */
    static final int RECEIVE_LIMIT = 1500;
    /** Datagrams buffered before the handshake thread reads them; more are dropped (DTLS retransmits). */
    static final int QUEUE_CAPACITY = 64;

    /** Thrown by a non-blocking receive on an empty queue. Shared: carries no stack trace and no state. */
    static final InterruptedIOException DRAINED = new InterruptedIOException("no more datagrams") {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /** Put on the queue by {@link #close()} to wake a blocked handshake thread. */
    private static final byte[] WAKE_UP = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DtlsSession.DatagramSender sender;
    private final int sendLimit;
    private volatile boolean nonBlocking;
    private volatile boolean closed;
    /** {@link System#nanoTime()} after which a blocking receive fails; the blocking wait is real time too. */
    private volatile long deadlineNanos;
    private volatile boolean hasDeadline;

    QueueDatagramTransport(DtlsSession.DatagramSender sender, int sendLimit) {
        this.sender = sender;
        this.sendLimit = sendLimit;
    }

    /** Copies the readable bytes of {@code datagram} onto the queue; false if dropped (closed, full or too big). */
    boolean offer(ByteBuf datagram) {
        int len = datagram.readableBytes();
        if (closed || len == 0 || len > RECEIVE_LIMIT) {
            return false;
        }
        byte[] copy = new byte[len];
        datagram.getBytes(datagram.readerIndex(), copy);
        return queue.offer(copy);
    }

    boolean hasPending() {
        return !queue.isEmpty();
    }

    /** A blocking {@link #receive} fails once {@link System#nanoTime()} passes {@code nanoTime}. */
    void setDeadline(long nanoTime) {
        deadlineNanos = nanoTime;
        hasDeadline = true;
    }

    /** From now on {@link #receive} never blocks. */
    void switchToNonBlocking() {
        nonBlocking = true;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw nonBlocking ? DRAINED : new IOException("DTLS session closed");
        }
        byte[] datagram;
        if (nonBlocking) {
            datagram = queue.poll();
            if (datagram == null) {
                throw DRAINED;
            }
        } else {
            try {
                long waitNanos = waitMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(waitMillis) : Long.MAX_VALUE;
                if (hasDeadline) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        throw new TlsTimeoutException("DTLS handshake deadline passed");
                    }
                    waitNanos = Math.min(waitNanos, left);
                }
                datagram = waitNanos == Long.MAX_VALUE ? queue.take() : queue.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS handshake thread interrupted");
            }
            if (datagram == null) {
                return -1; // timeout: bctls retransmits its last flight
            }
        }
        if (datagram == WAKE_UP || closed) {
            throw nonBlocking ? DRAINED : new IOException("DTLS session closed");
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!closed) {
            sender.send(buf, off, len);
        }
    }

    /** Stops sending and receiving and wakes a handshake thread blocked in {@link #receive}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(WAKE_UP);
    }
}
