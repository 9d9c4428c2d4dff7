package dev.prism.perf.socket;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a case's traffic driver stops, shared between the measuring thread and the driver's thread. Until
 * {@link #measure} is called the driver runs on (warm-up), bounded only by the hard deadline; after it, it stops at the
 * window's end time or after a number of items, whichever comes first. The driver reports when it stopped.
 *
 * <p>Threads: {@link #measure} and {@link #await} from the measuring thread; {@link #shouldStop} and
 * {@link #finished} from the driver's thread.
 */
final class Window {
    private volatile long stopAtNanos;
    private volatile long stopAfterCount = Long.MAX_VALUE;
    private volatile long endNanos;
    private final CountDownLatch done = new CountDownLatch(1);

    /** @param hardDeadlineNanos the driver stops here whatever happens (a {@code System.nanoTime()} value) */
    Window(long hardDeadlineNanos) {
        this.stopAtNanos = hardDeadlineNanos;
    }

    /** Opens the measured window: stop at {@code untilNanos} or once the driver's count reaches {@code maxCount}. */
    void measure(long untilNanos, long maxCount) {
        stopAfterCount = maxCount;
        stopAtNanos = Math.min(stopAtNanos, untilNanos);
    }

    /** Whether a driver that has sent {@code count} items should stop now. */
    boolean shouldStop(long nowNanos, long count) {
        return nowNanos - stopAtNanos >= 0 || count >= stopAfterCount;
    }

    /** The driver stopped at {@code nowNanos}; later calls are ignored. */
    void finished(long nowNanos) {
        if (done.getCount() > 0) {
            endNanos = nowNanos;
            done.countDown();
        }
    }

    /** Waits for the driver to stop; false if it has not within the timeout. */
    boolean await(long timeoutNanos) throws InterruptedException {
        return done.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** When the driver stopped, or 0 while it runs. */
    long endNanos() {
        return endNanos;
    }
}
