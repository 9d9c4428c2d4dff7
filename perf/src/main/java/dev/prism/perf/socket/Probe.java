package dev.prism.perf.socket;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a case costs from the JVM and from Linux's {@code /proc}. Every reader answers -1 (or 0 for sums) where
 * the figure is not available rather than throwing: a missing figure must not end a benchmark run.
 *
 * <p>CPU time sources, all in nanoseconds of on-CPU time ({@code sum_exec_runtime}), so they add up: a thread's
 * {@link java.lang.management.ThreadMXBean#getThreadCpuTime}, and the first field of {@code schedstat} for the whole
 * process (summed over its threads) and for the kernel's {@code ksoftirqd} threads. On a kernel without
 * {@code CONFIG_IRQ_TIME_ACCOUNTING} (this one) softirq work done on a thread's way out of a system call is charged
 * to that thread; only what the kernel defers to {@code ksoftirqd} escapes the process.
 */
final class Probe {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final List<Path> KSOFTIRQD = findKsoftirqd();

    private Probe() {
    }

    /** CPU time of a live thread, or -1. */
    static long cpuNanos(Thread t) {
        return THREADS.getThreadCpuTime(t.getId());
    }

    /** Bytes a live thread has allocated on the heap so far, or -1. */
    static long allocatedBytes(Thread t) {
        return THREADS.getThreadAllocatedBytes(t.getId());
    }

    /** The calling thread's Linux thread id, from the {@code /proc/thread-self} link ("pid/task/tid"), or -1. */
    static long currentTid() {
        try {
            Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(link.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * How often a thread has given up the CPU by blocking ({@code voluntary_ctxt_switches}): for an event loop, the
     * times it slept in {@code epoll_wait} and was woken again. -1 when unknown.
     */
    static long voluntarySwitches(long tid) {
        if (tid < 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/task", Long.toString(tid), "status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // thread gone or not Linux
        }
        return -1;
    }

    /**
     * CPU time of this process: the sum over its current threads. Threads that ended since an earlier reading drop
     * out of the sum, so a difference is only meaningful while the measured threads live (they do, within a case).
     */
    static long processCpuNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                sum += Math.max(0, schedstatNanos(task.resolve("schedstat")));
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    /** CPU time of the kernel's softirq threads (all CPUs): network receive work deferred out of our threads. */
    static long ksoftirqdCpuNanos() {
        long sum = 0;
        for (Path p : KSOFTIRQD) {
            sum += Math.max(0, schedstatNanos(p));
        }
        return sum;
    }

    /** The kernel's count of UDP datagrams dropped because a receive buffer was full (all sockets), or -1. */
    static long udpRcvbufErrors() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int f = 1; f < names.length && f < values.length; f++) {
                        if (names[f].equals("RcvbufErrors")) {
                            return Long.parseLong(values[f]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Whether the kernel's softirq threads were found (so their figure means something). */
    static boolean seesKsoftirqd() {
        return !KSOFTIRQD.isEmpty();
    }

    private static long schedstatNanos(Path schedstat) {
        try {
            String s = Files.readString(schedstat);
            int sp = s.indexOf(' ');
            return Long.parseLong(sp < 0 ? s.trim() : s.substring(0, sp));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<Path> findKsoftirqd() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if (Files.readString(p.resolve("comm")).startsWith("ksoftirqd/")) {
                        found.add(p.resolve("schedstat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // process ended while listing
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return List.copyOf(found);
    }
}
