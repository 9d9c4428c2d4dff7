package dev.prism.ops.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopProbeTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void aStuckLoopShowsAGrowingLagAndItsQueue() throws Exception {
        EventLoopProbe probe = new EventLoopProbe(loop, "fallback");
        awaitTrue(() -> !probe.name().equals("fallback"));
        probe.sample(System.nanoTime());
        awaitTrue(() -> probe.lagMillis() != null);
        assertThat(probe.lagMillis()).isLessThan(1000.0);

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        blocked.await(5, TimeUnit.SECONDS);
        probe.sample(System.nanoTime()); // this probe task now waits behind the blocked one
        awaitTrue(() -> probe.pendingTasks() >= 1);
        long before = System.nanoTime();
        awaitTrue(() -> System.nanoTime() - before > TimeUnit.MILLISECONDS.toNanos(50));
        probe.sample(System.nanoTime());
        assertThat(probe.lagMillis()).as("lag of the probe still waiting").isGreaterThanOrEqualTo(50.0);
        assertThat(probe.stats().pendingTasks()).isGreaterThanOrEqualTo(1);

        release.countDown();
        awaitTrue(() -> probe.pendingTasks() == 0);
        probe.sample(System.nanoTime());
        assertThat(probe.busyFraction()).isNotNull().isBetween(0.0, 1.0);
    }

    /** Polls a condition for up to five seconds. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
