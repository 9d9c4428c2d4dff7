package dev.prism.signaling.http;

import java.time.Duration;

/**
 * Limits of the HTTP server that protect it from clients that send too much or too slowly.
 *
 * @param maxMessageBytes         largest signaling WebSocket message (and frame) accepted; a larger one closes the
 *                                socket with 1009 as soon as its size is known
 * @param requestHeadTimeout      a connection must deliver a complete request head this soon after it opens (and
 *                                after each response on a kept-alive connection), however slowly it trickles bytes
 * @param idleTimeout             an HTTP connection with no traffic either way for this long is closed
 * @param webSocketPingInterval   the server pings each WebSocket this often, so that a live socket is never idle;
 *                                a socket that answers no ping for three intervals is closed
 */
public record HttpLimits(int maxMessageBytes, Duration requestHeadTimeout, Duration idleTimeout,
                         Duration webSocketPingInterval) {
    /** 256 KiB: a large SDP offer (many simulcast tracks) is tens of kilobytes. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

    public HttpLimits {
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + maxMessageBytes);
        }
        positive("requestHeadTimeout", requestHeadTimeout);
        positive("idleTimeout", idleTimeout);
        positive("webSocketPingInterval", webSocketPingInterval);
        if (webSocketPingInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("webSocketPingInterval (" + webSocketPingInterval
                    + ") must be shorter than idleTimeout (" + idleTimeout + "): pings keep a WebSocket from idling");
        }
    }

    /** Production limits: 256 KiB messages, 10 s for a request head, 30 s idle, a WebSocket ping every 10 s. */
    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_MAX_MESSAGE_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    public HttpLimits withTimeouts(Duration requestHead, Duration idle, Duration ping) {
        return new HttpLimits(maxMessageBytes, requestHead, idle, ping);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
