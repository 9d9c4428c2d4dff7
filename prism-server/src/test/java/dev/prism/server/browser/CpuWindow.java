package dev.prism.server.browser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * Measures the CPU time this JVM uses over a fixed wall-clock window, in total and per group of threads.
 *
 * <p>The server under test runs in-process, so the process total also contains the test's own work (Selenium's HTTP
 * client, JUnit). The per-thread breakdown separates them; threads that end inside the window are not counted there
 * (their CPU is still in the process total). Browsers run in their own processes and are not included in the JVM's
 * figure; they are measured separately as this JVM's descendant processes (chromedriver and every Chromium process
 * it started), which shows how loaded the machine was.
 */
final class CpuWindow {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuWindow() {
    }

    /**
     * Blocks for {@code window} while measuring. This is a measurement window, not a synchronisation: nothing waits
     * for a condition here, the caller wants exactly this much wall time to pass.
     */
    static Result measure(Duration window) {
        Map<Long, Long> threadsBefore = threadCpu();
        Map<Long, Long> childrenBefore = descendantCpu();
        long cpuBefore = OS.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        new FluentWait<>(wallBefore)
                .withTimeout(window.plusSeconds(30))
                .pollingEvery(Duration.ofMillis(100))
                .until(start -> System.nanoTime() - start >= window.toNanos());
        long wall = System.nanoTime() - wallBefore;
        long cpu = OS.getProcessCpuTime() - cpuBefore;
        Map<Long, Long> childrenAfter = descendantCpu();
        Map<Long, Long> threadsAfter = threadCpu();
        Map<Long, String> names = threadNames(threadsAfter);
        Map<String, Long> byGroup = new HashMap<>();
        threadsAfter.forEach((id, after) -> {
            long used = after - threadsBefore.getOrDefault(id, 0L);
            if (used > 0) {
                byGroup.merge(group(names.getOrDefault(id, "?")), used, Long::sum);
            }
        });
        Map<String, Duration> sorted = byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Duration.ofNanos(e.getValue()),
                        (a, b) -> a, LinkedHashMap::new));
        long children = childrenAfter.entrySet().stream()
                .mapToLong(e -> e.getValue() - childrenBefore.getOrDefault(e.getKey(), 0L)).sum();
        return new Result(Duration.ofNanos(wall), Duration.ofNanos(cpu), sorted, Duration.ofNanos(children),
                childrenAfter.size(), OS.getAvailableProcessors());
    }

    /** CPU nanoseconds so far of every process started (directly or not) by this JVM, by pid. */
    private static Map<Long, Long> descendantCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p -> p.info().totalCpuDuration()
                .ifPresent(d -> cpu.put(p.pid(), d.toNanos())));
        return cpu;
    }

    /** Thread names with their numbers folded, so that pools appear as one line: "vert.x-eventloop-thread-N". */
    static String group(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }

    private static Map<Long, Long> threadCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return cpu;
        }
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    private static Map<Long, String> threadNames(Map<Long, Long> ids) {
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(ids.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (info != null) {
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return names;
    }

    /**
     * @param wall measured wall time
     * @param processCpu CPU time of the whole JVM (all threads, user + system) in the window
     * @param byThreadGroup CPU per thread group, largest first
     * @param descendantsCpu CPU of this JVM's descendant processes (chromedriver, Chromium) in the window
     * @param descendants how many descendant processes there were at the end of the window
     * @param cores processors available to the JVM
     */
    record Result(Duration wall, Duration processCpu, Map<String, Duration> byThreadGroup, Duration descendantsCpu,
            int descendants, int cores) {

        /** CPU time over wall time: 1.0 means one core fully busy. */
        double cpuToWall() {
            return (double) processCpu.toNanos() / wall.toNanos();
        }

        /** Descendant processes' CPU time over wall time. */
        double descendantsCpuToWall() {
            return (double) descendantsCpu.toNanos() / wall.toNanos();
        }

        /**
         * Process CPU not attributed to any live Java thread: the JVM's own GC and JIT compiler threads, and threads
         * that ended during the window.
         */
        Duration unattributed() {
            long threads = byThreadGroup.values().stream().mapToLong(Duration::toNanos).sum();
            return Duration.ofNanos(Math.max(0, processCpu.toNanos() - threads));
        }

        /** The {@code n} busiest thread groups as "name=ms" pairs, then the unattributed rest. */
        String topGroups(int n) {
            String top = byThreadGroup.entrySet().stream().limit(n)
                    .map(e -> e.getKey() + "=" + e.getValue().toMillis() + "ms")
                    .collect(Collectors.joining(", "));
            return top + (top.isEmpty() ? "" : ", ") + "JVM-internal(GC/JIT)+ended=" + unattributed().toMillis() + "ms";
        }
    }
}
