package dev.prism.signaling.route;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Opens a proxied session channel to the owner node. NONE on a single node. */
public interface RemoteSessions {
    CompletionStage<ProxyChannel> open(Route.Remote owner, ProxyRequest request);

    RemoteSessions NONE = (o, r) -> CompletableFuture.failedFuture(new IllegalStateException("single node"));
}
