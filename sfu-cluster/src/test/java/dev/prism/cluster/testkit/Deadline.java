package dev.prism.cluster.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (polling every 10 ms); for tests. */
public final class Deadline {
    private Deadline() {
    }

    /** Waits until {@code condition} holds and returns the time it took; fails with {@code what} at the deadline. */
    public static Duration await(Duration deadline, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
