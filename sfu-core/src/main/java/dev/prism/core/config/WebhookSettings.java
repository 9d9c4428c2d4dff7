package dev.prism.core.config;

import java.util.List;

/**
 * Webhook receivers ({@code --webhook-url}, repeatable), whether receivers on loopback or private networks are allowed
 * ({@code --webhook-allow-private}: refused otherwise, so a URL cannot make the server post into its own network by
 * mistake; the URLs themselves are checked at startup by sfu-webhooks) and how long a failing delivery is retried.
 *
 * @param urls               receiver URLs, none by default
 * @param allowPrivate       allow receivers on loopback, private, link-local networks
 * @param retryWindowSeconds how long after an event its delivery is retried before it is dropped
 */
public record WebhookSettings(List<String> urls, boolean allowPrivate, long retryWindowSeconds) {
    public static final long DEFAULT_RETRY_WINDOW_SECONDS = 300;
    static final long MAX_RETRY_WINDOW_SECONDS = 86_400;
    public static final WebhookSettings NONE = new WebhookSettings(List.of(), false, DEFAULT_RETRY_WINDOW_SECONDS);

    public WebhookSettings {
        urls = checkUrls(urls);
        checkRetryWindow(retryWindowSeconds);
    }

    WebhookSettings withUrls(List<String> v) {
        return new WebhookSettings(v, allowPrivate, retryWindowSeconds);
    }

    WebhookSettings withAllowPrivate(boolean v) {
        return new WebhookSettings(urls, v, retryWindowSeconds);
    }

    WebhookSettings withRetryWindowSeconds(long v) {
        return new WebhookSettings(urls, allowPrivate, v);
    }

    static List<String> checkUrls(List<String> v) {
        if (v == null) {
            return List.of();
        }
        for (String u : v) {
            if (u == null || !(u.startsWith("http://") || u.startsWith("https://")) || u.length() > 2048) {
                throw new IllegalArgumentException("webhookUrls must be http:// or https:// URLs: " + u);
            }
        }
        return List.copyOf(v);
    }

    static void checkRetryWindow(long v) {
        if (v < 1 || v > MAX_RETRY_WINDOW_SECONDS) {
            throw new IllegalArgumentException("webhookRetryWindowSeconds must be between 1 and "
                    + MAX_RETRY_WINDOW_SECONDS + ": " + v);
        }
    }
}
