package dev.prism.webhooks;

/** Where recorded events go (the dispatcher). */
@FunctionalInterface
public interface EventSink {
    /**
     * Takes one event. Called on the room's loop, in the room's sequence order: must not block (hand the event to
     * another thread and return).
     */
    void offer(WebhookEvent event);

    EventSink NONE = e -> { };
}
