package dev.prism.signaling.route;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Opens a proxied session channel to the owner node (prism-server's {@code ClusterLinks} over the node-to-node link).
 * {@link #NONE} on a single node.
 */
public interface RemoteSessions {
    /**
     * Asks {@code owner} to run the session of {@code request}. Completes (on any thread) with the edge's end of the
     * channel, or fails with a {@link ProxyOpenException} (the owner refused, e.g. {@code not_owner}, or could not be
     * reached); any other failure counts as unreachable.
     */
    CompletionStage<ProxyChannel> open(Route.Remote owner, ProxyRequest request);

    RemoteSessions NONE = (o, r) -> CompletableFuture.failedFuture(new IllegalStateException("single node"));
}
