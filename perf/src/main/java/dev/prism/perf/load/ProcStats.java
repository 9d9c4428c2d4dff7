package dev.prism.perf.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and resident memory from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status} (Linux).
 *
 * @param cpuNanos user + system CPU time of all its threads (clock-tick resolution: 10 ms at USER_HZ 100)
 * @param rssBytes resident set size
 * @param threads  number of threads
 */
record ProcStats(long cpuNanos, long rssBytes, int threads) {
    /** USER_HZ, the unit of utime/stime; 100 on every mainstream Linux architecture. */
    static final long USER_HZ = 100;

    static ProcStats read(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15, num_threads field 20.
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        int threads = Integer.parseInt(f[17]);
        long rssKiB = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new ProcStats(ticks * 1_000_000_000L / USER_HZ, rssKiB * 1024, threads);
    }
}
