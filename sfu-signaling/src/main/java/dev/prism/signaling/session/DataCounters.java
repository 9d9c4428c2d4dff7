package dev.prism.signaling.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-room data messages, by outcome: relayed (and how many deliveries), or refused with a reason from a fixed set
 * (bounded metric labels). Thread-safe.
 */
public final class DataCounters {
    /** Why a data message was refused; {@link #label()} is the metric tag. */
    public enum Refusal {
        NOT_ALLOWED("not_allowed"), TOO_LARGE("too_large"), RATE_LIMITED("rate_limited"), BAD_REQUEST("bad_request");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final LongAdder relayed = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);

    public DataCounters() {
        for (Refusal r : Refusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /** One message relayed to {@code recipients} sockets. */
    public void relayed(int recipients) {
        relayed.increment();
        deliveries.add(recipients);
    }

    public void refuse(Refusal reason) {
        refused.get(reason).increment();
    }

    public long relayed() {
        return relayed.sum();
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long refused(Refusal reason) {
        return refused.get(reason).sum();
    }
}
