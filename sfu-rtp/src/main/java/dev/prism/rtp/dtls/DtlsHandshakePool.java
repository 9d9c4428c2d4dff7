package dev.prism.rtp.dtls;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that run blocking bctls handshakes ({@link DtlsSession}), shared by the engines of a media plane.
 *
 * <p>Why it grows instead of queueing: a handshake holds its thread while it waits for the peer, up to the handshake
 * deadline ({@link DtlsSession.Options#handshakeTimeout()}, 5 s by default). A small pool with a queue lets a few
 * peers that send one ClientHello and go silent delay every handshake behind them (four of them once delayed a
 * browser's join from 5 to 24 s). So every handshake gets a thread at once, a new one when none is idle, up to
 * {@code maxHandshakes}; beyond that the task is refused, counted ({@link #rejected()}) and the session fails with
 * {@code "handshake executor rejected the task"} (its transport closes). With the deadline, a pool full of stalled
 * peers still admits {@code maxHandshakes} new handshakes every deadline period.
 *
 * <p>Idle threads end after {@value #KEEP_ALIVE_SECONDS} s. Daemon threads named {@code prism-dtls-*}.
 * Thread-safe.
 */
public final class DtlsHandshakePool implements Executor, AutoCloseable {
    /** Handshakes in progress at once, at most: 64 threads of a few hundred kB of stack, idle most of the time. */
    public static final int DEFAULT_MAX_HANDSHAKES = 64;
    static final long KEEP_ALIVE_SECONDS = 30;

    private final ThreadPoolExecutor threads;
    private final int maxHandshakes;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();

    public DtlsHandshakePool() {
        this(DEFAULT_MAX_HANDSHAKES);
    }

    /** @param maxHandshakes handshakes running at once; more are refused */
    public DtlsHandshakePool(int maxHandshakes) {
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("maxHandshakes must be at least 1, got " + maxHandshakes);
        }
        this.maxHandshakes = maxHandshakes;
        // No queue: a SynchronousQueue hands the task to an idle thread or makes the pool start one (up to the max).
        this.threads = new ThreadPoolExecutor(0, maxHandshakes, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new DefaultThreadFactory("prism-dtls", true), new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code task} on a thread of its own now.
     *
     * @throws RejectedExecutionException when {@link #maxHandshakes()} are already running (counted) or after close
     */
    @Override
    public void execute(Runnable task) {
        try {
            threads.execute(() -> {
                running.incrementAndGet();
                try {
                    task.run();
                } finally {
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            throw e;
        }
    }

    /** Handshake tasks running now. */
    public int running() {
        return running.get();
    }

    /** Tasks refused because the pool was at its limit (or closed), since start. */
    public long rejected() {
        return rejected.get();
    }

    public int maxHandshakes() {
        return maxHandshakes;
    }

    /** Interrupts running handshakes and refuses new ones. */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** Waits for the threads to end after {@link #close()}; true if they did. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }
}
