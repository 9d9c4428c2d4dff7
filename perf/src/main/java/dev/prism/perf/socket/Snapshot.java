package dev.prism.perf.socket;

/**
 * Every counter of a running case at one moment: the measured window is the difference of two snapshots.
 *
 * @param nanos         {@code System.nanoTime()} when taken
 * @param loopCpu       CPU time of the event loops under test (sum)
 * @param loopAlloc     heap bytes those loops allocated (sum)
 * @param loopSleeps    times those loops blocked and were woken (voluntary context switches, sum; -1 unknown)
 * @param peerCpu       CPU time of the peer threads (drain or senders)
 * @param processCpu    CPU time of the whole process
 * @param ksoftirqdCpu  CPU time of the kernel's softirq threads
 * @param sent          datagrams sent so far
 * @param received      datagrams received so far
 * @param readCompletes read batches so far (-1 for send cases)
 */
record Snapshot(long nanos, long loopCpu, long loopAlloc, long loopSleeps, long peerCpu, long processCpu,
                long ksoftirqdCpu, long sent, long received, long readCompletes) {

    static Snapshot take(Traffic t) {
        long cpu = 0;
        long alloc = 0;
        long sleeps = 0;
        for (ProbedThread p : t.loops()) {
            cpu += Probe.cpuNanos(p.thread());
            alloc += Probe.allocatedBytes(p.thread());
            long s = Probe.voluntarySwitches(p.tid());
            sleeps = sleeps < 0 || s < 0 ? -1 : sleeps + s;
        }
        long peers = 0;
        for (ProbedThread p : t.peers()) {
            peers += Probe.cpuNanos(p.thread());
        }
        // Received before sent: a datagram sent and received between two reads would otherwise count as received
        // but not as sent, and the window (sent in it, received or dropped) would come out one short.
        long received = t.received();
        long sent = t.sent();
        return new Snapshot(System.nanoTime(), cpu, alloc, sleeps, peers, Probe.processCpuNanos(),
                Probe.ksoftirqdCpuNanos(), sent, received, t.readCompletes());
    }
}
