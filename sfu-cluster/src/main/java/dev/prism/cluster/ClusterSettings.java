package dev.prism.cluster;

/**
 * Timings and limits of cluster mode. The defaults are the design's: a liveness lease of 1.5 s renewed every 0.5 s
 * (three renewals may be lost before a node counts as dead), the node's record reported every second, Redis commands
 * answered within 1 s or the call fails with {@link ClusterUnavailable}.
 *
 * @param heartbeatMillis       period of the liveness lease renewal ({@code SET prism:node:<id>:alive .. PX lease})
 * @param leaseMillis           lifetime of the liveness lease; a node silent for longer is dead to the others
 * @param reportMillis          period of the node record's refresh (state and load) and of the live-node view's refresh
 * @param recordTtlMillis       expiry of a node's record, so a crashed node's record disappears by itself
 * @param commandTimeoutMillis  a Redis call (or script) not answered within this fails with REDIS_TIMEOUT
 * @param maxLoad               a node whose corrected load score is at or above this takes no new rooms (1.0 = its
 *                              busiest media loop saturated)
 */
public record ClusterSettings(long heartbeatMillis, long leaseMillis, long reportMillis, long recordTtlMillis,
                              long commandTimeoutMillis, double maxLoad) {

    public static final ClusterSettings DEFAULTS = new ClusterSettings(500, 1500, 1000, 10_000, 1000, 0.8);

    public ClusterSettings {
        if (heartbeatMillis <= 0 || leaseMillis <= heartbeatMillis) {
            throw new IllegalArgumentException("the lease (" + leaseMillis + " ms) must outlast the heartbeat ("
                    + heartbeatMillis + " ms)");
        }
        if (reportMillis <= 0 || recordTtlMillis <= reportMillis) {
            throw new IllegalArgumentException("the node record's expiry (" + recordTtlMillis
                    + " ms) must outlast its report period (" + reportMillis + " ms)");
        }
        if (commandTimeoutMillis <= 0) {
            throw new IllegalArgumentException("command timeout must be positive: " + commandTimeoutMillis);
        }
        if (!(maxLoad > 0)) {
            throw new IllegalArgumentException("max load must be positive: " + maxLoad);
        }
    }

    public ClusterSettings withCommandTimeoutMillis(long millis) {
        return new ClusterSettings(heartbeatMillis, leaseMillis, reportMillis, recordTtlMillis, millis, maxLoad);
    }

    public ClusterSettings withMaxLoad(double load) {
        return new ClusterSettings(heartbeatMillis, leaseMillis, reportMillis, recordTtlMillis, commandTimeoutMillis,
                load);
    }
}
