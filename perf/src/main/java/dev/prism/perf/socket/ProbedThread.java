package dev.prism.perf.socket;

/**
 * A thread whose CPU time the benchmark reads.
 *
 * @param role   what it does ("loop", "drain", "senders")
 * @param thread the Java thread (for {@link java.lang.management.ThreadMXBean})
 * @param tid    its Linux thread id (for {@code /proc/self/task/<tid>}), or -1 when unknown
 */
record ProbedThread(String role, Thread thread, long tid) {
    /** The calling thread. */
    static ProbedThread current(String role) {
        return new ProbedThread(role, Thread.currentThread(), Probe.currentTid());
    }
}
