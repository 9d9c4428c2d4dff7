package dev.prism.webhooks;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Webhook figures: deliveries, retries, drops by reason (the bounded set of {@link DeliveryQueues.DropReason}), and
 * the delivery latency (event to 2xx answer). A {@link MeterBinder} the launcher binds to the ops registry; the counts
 * are readable before that too. Thread-safe.
 */
public final class WebhookMeters implements MeterBinder {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final Map<DeliveryQueues.DropReason, LongAdder> dropped = new EnumMap<>(DeliveryQueues.DropReason.class);
    private volatile Timer latency;

    public WebhookMeters() {
        for (DeliveryQueues.DropReason r : DeliveryQueues.DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("prism.webhook.delivered", delivered, LongAdder::sum)
                .description("webhook events a receiver accepted (2xx)").register(registry);
        FunctionCounter.builder("prism.webhook.retried", retried, LongAdder::sum)
                .description("webhook attempts that failed and were scheduled again").register(registry);
        for (Map.Entry<DeliveryQueues.DropReason, LongAdder> e : dropped.entrySet()) {
            FunctionCounter.builder("prism.webhook.dropped", e.getValue(), LongAdder::sum).tag("reason",
                    e.getKey().label()).description("webhook events given up").register(registry);
        }
        latency = Timer.builder("prism.webhook.delivery.latency").description("event to accepted delivery")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void delivered(long latencyMillis) {
        delivered.increment();
        Timer t = latency;
        if (t != null) {
            t.record(Duration.ofMillis(Math.max(0, latencyMillis)));
        }
    }

    void retried() {
        retried.increment();
    }

    void dropped(DeliveryQueues.DropReason reason) {
        dropped.get(reason).increment();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    public long retriedCount() {
        return retried.sum();
    }

    public long droppedCount(DeliveryQueues.DropReason reason) {
        return dropped.get(reason).sum();
    }
}
