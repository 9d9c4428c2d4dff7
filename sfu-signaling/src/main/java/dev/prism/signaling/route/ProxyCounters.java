package dev.prism.signaling.route;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of proxied sessions, both sides, with bounded labels only (SignalingMeters exposes them). Updated from
 * event loops, read from any thread.
 */
public final class ProxyCounters {
    /** Why an edge's proxied session ended. */
    public enum Closed {
        /** The client closed its WebSocket (or it died). */
        CLIENT,
        /** The owner closed the session (its close code passed to the client). */
        OWNER,
        /** The link to the owner was lost or shut down: the client got 4013. */
        OWNER_LOST;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why an edge could not proxy a session (the client got {@code cluster_unavailable}, 4014). */
    public enum Failed {
        /** Routing answered Unavailable (the cluster's state store is unreachable, no eligible node). */
        CLUSTER_UNAVAILABLE,
        /** The owner refused twice: not the owner (placement moved under us). */
        NOT_OWNER,
        /** No link to the owner (down, wrong cluster secret, timeout). */
        OWNER_UNREACHABLE,
        /** Any other refusal by the owner (its token check, say). */
        REFUSED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Failed of(String openReason) {
            return switch (openReason) {
                case ProxyOpenException.NOT_OWNER -> NOT_OWNER;
                case ProxyOpenException.UNREACHABLE -> OWNER_UNREACHABLE;
                default -> REFUSED;
            };
        }
    }

    /** Why an owner refused a proxied session. */
    public enum Refused {
        NOT_OWNER, BAD_TOKEN, BAD_REQUEST;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder opened = new LongAdder();
    private final LongAdder[] closed = adders(Closed.values().length);
    private final LongAdder[] failed = adders(Failed.values().length);
    private final LongAdder accepted = new LongAdder();
    private final LongAdder[] refused = adders(Refused.values().length);

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void countOpened() {
        opened.increment();
    }

    void countClosed(Closed why) {
        closed[why.ordinal()].increment();
    }

    void countFailed(Failed why) {
        failed[why.ordinal()].increment();
    }

    void countAccepted() {
        accepted.increment();
    }

    void countRefused(Refused why) {
        refused[why.ordinal()].increment();
    }

    /** Edge: proxied sessions whose channel to the owner opened. */
    public long opened() {
        return opened.sum();
    }

    public long closed(Closed why) {
        return closed[why.ordinal()].sum();
    }

    /** Edge: proxied sessions open now. */
    public long active() {
        long ended = 0;
        for (LongAdder a : closed) {
            ended += a.sum();
        }
        return opened.sum() - ended;
    }

    public long failed(Failed why) {
        return failed[why.ordinal()].sum();
    }

    /** Owner: proxied sessions accepted. */
    public long accepted() {
        return accepted.sum();
    }

    public long refused(Refused why) {
        return refused[why.ordinal()].sum();
    }
}
