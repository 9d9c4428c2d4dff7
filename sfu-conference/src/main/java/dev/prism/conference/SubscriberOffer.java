package dev.prism.conference;

import java.util.List;

/**
 * What a subscriber offer must carry: Prism's transport for the subscriber connection and every line (active and
 * inactive) in m-line order. Empty {@code lines}: nothing to offer.
 */
public record SubscriberOffer(LocalTransport local, List<SubscriberLine> lines) {
    public SubscriberOffer {
        lines = List.copyOf(lines);
    }
}
