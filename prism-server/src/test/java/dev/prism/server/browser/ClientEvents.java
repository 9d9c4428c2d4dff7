package dev.prism.server.browser;

import java.util.List;

/**
 * Records, in a page running the demo client, every client event that would show another participant leaving,
 * joining or being renegotiated, and the subscriber connection's signaling changes: what must stay empty while someone
 * else drops and resumes.
 */
final class ClientEvents {
    private static final String RECORD = """
            const c = window.prism.client;
            window.__seen = [];
            for (const n of ['participantJoined', 'participantLeft', 'trackPublished', 'trackUnpublished',
                             'trackSubscribed', 'trackUnsubscribed']) {
              c.on(n, (x) => window.__seen.push(n + ':' + ((x && (x.name || x.id)) || '')));
            }
            c.subscriberPc.addEventListener('signalingstatechange',
                () => window.__seen.push('signaling:' + c.subscriberPc.signalingState));
            return true;
            """;

    private ClientEvents() {
    }

    /** Starts recording in {@code b}'s page (its client must be connected with a subscriber connection). */
    static void record(ChromeBrowser b) {
        b.js(RECORD);
    }

    /** What was recorded since {@link #record}. */
    static List<?> seen(ChromeBrowser b) {
        return (List<?>) b.js("return window.__seen;");
    }
}
