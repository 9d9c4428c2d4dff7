package dev.prism.signaling.route;

/** What an edge passes to the owner when it opens a proxied session. */
public record ProxyRequest(String accessToken, String resumeToken, String clientAddress, String roomId) {
}
