package dev.prism.perf.socket;

import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one case once: set up, start the traffic, let it warm up, snapshot, let it run for the window (a time or a
 * datagram count, whichever ends first), wait (bounded) for the receivers to catch up, snapshot, tear down. Every
 * wait has a deadline. Runs on the measuring thread.
 */
final class CaseRunner {
    /**
     * How long a case runs.
     *
     * @param warmupNanos  traffic before the window opens (JIT, socket buffers, pools)
     * @param measureNanos the window's length at most
     * @param maxDatagrams the window's datagrams at most (sent ones: the drivers count what they send)
     */
    record Budget(long warmupNanos, long measureNanos, long maxDatagrams) {
        Budget {
            if (warmupNanos < 0 || measureNanos <= 0 || maxDatagrams <= 0) {
                throw new IllegalArgumentException("warm-up >= 0, window and datagrams > 0");
            }
        }
    }

    /** Longer than any window may overrun before the driver's hard deadline ends it. */
    private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long the receivers get to count what is still in flight. */
    private static final long CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private CaseRunner() {
    }

    static RoundResult run(BenchCase c, int round, Budget budget, ByteBufAllocator alloc) throws Exception {
        String why = c.unsupported();
        if (why != null) {
            return RoundResult.unsupported(c.name(), round, why);
        }
        long drops0 = Probe.udpRcvbufErrors();
        try (Traffic t = c.open(alloc)) {
            long start = System.nanoTime();
            Window w = new Window(start + budget.warmupNanos() + budget.measureNanos() + SLACK_NANOS);
            t.start(w);
            parkUntil(start + budget.warmupNanos());
            // Drops read first: one that happens while the snapshot is taken still counts for the window.
            long windowDrops0 = Probe.udpRcvbufErrors();
            Snapshot s0 = Snapshot.take(t);
            w.measure(s0.nanos() + budget.measureNanos(), s0.sent() + budget.maxDatagrams());
            boolean inTime = w.await(budget.measureNanos() + SLACK_NANOS);
            long catchUp = System.nanoTime() + CATCH_UP_NANOS;
            while (t.received() < t.sent() && System.nanoTime() - catchUp < 0) {
                LockSupport.parkNanos(1_000_000);
            }
            long drops1 = Probe.udpRcvbufErrors();
            Snapshot s1 = Snapshot.take(t);
            long end = w.endNanos() != 0 ? w.endNanos() : s1.nanos();
            // Send cases: the driver's window. Receive cases: until the loops had read what was sent in it.
            double seconds = ((c.perReceived() ? s1.nanos() : end) - s0.nanos()) / 1e9;
            long n = c.perReceived() ? s1.received() - s0.received() : s1.sent() - s0.sent();
            double perDg = n > 0 ? 1e3 * n : Double.NaN; // nanoseconds -> microseconds per datagram
            double wall = (s1.nanos() - s0.nanos()) / 1e9;
            return new RoundResult(c.name(), round, null, n, seconds,
                    (s1.loopCpu() - s0.loopCpu()) / perDg,
                    (s1.processCpu() - s0.processCpu()) / perDg,
                    (s1.peerCpu() - s0.peerCpu()) / perDg,
                    Probe.seesKsoftirqd() ? (s1.ksoftirqdCpu() - s0.ksoftirqdCpu()) / perDg : Double.NaN,
                    (s1.loopCpu() - s0.loopCpu()) / 1e7 / wall,
                    s0.loopSleeps() < 0 ? Double.NaN : (double) (s1.loopSleeps() - s0.loopSleeps()) / n,
                    s0.readCompletes() < 0 ? Double.NaN : (double) (s1.readCompletes() - s0.readCompletes()) / n,
                    (double) (s1.loopAlloc() - s0.loopAlloc()) / n,
                    t.sent(), t.received(), t.sent() - t.received(),
                    drops0 < 0 || drops1 < 0 ? -1 : drops1 - drops0,
                    windowDrops0 < 0 || drops1 < 0 ? -1 : drops1 - windowDrops0,
                    t.wrongSize(), t.errors(), t.receivedPerLoop(), inTime);
        }
    }

    private static void parkUntil(long deadlineNanos) {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
