package dev.prism.webhooks;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.function.LongSupplier;

/**
 * One signed POST of a webhook body: the request every delivery makes, and the node's start-up warm-up makes once
 * ({@link DispatcherWarmUp}), so both run the same code. Call on the client's Vert.x context.
 */
final class WebhookPost {
    private WebhookPost() {
    }

    /**
     * Posts {@code body} to {@code url}, signed at {@code wallMillis}; the future has the answer's status (its body is
     * not read) or fails (refused, reset, no answer within {@code timeoutMillis}). {@code onConnection} runs when the
     * client has a connection for the request (pooled or just opened): the timing log's "connection" step.
     */
    static Future<Integer> send(HttpClientAgent client, URI url, WebhookSigner signer, String eventId, String body,
                                long wallMillis, long timeoutMillis, Runnable onConnection) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Prism-Webhooks")
                .putHeader(WebhookSigner.SIGNATURE_HEADER, signer.signature(body, wallMillis / 1000))
                .putHeader(WebhookSigner.KEY_ID_HEADER, signer.keyId())
                .putHeader("Prism-Event-Id", eventId);
        return client.request(options)
                .compose(req -> {
                    onConnection.run();
                    return req.send(body);
                })
                .compose(resp -> {
                    resp.handler(ignored -> { }); // the answer's body is not read
                    int status = resp.statusCode();
                    return resp.end().map(v -> status);
                });
    }

    /** A no-op {@code onConnection}. */
    static final Runnable NOTHING = () -> { };

    /** For callers that time the connection step: stores {@code clock}'s reading when it runs. */
    static Runnable stamp(long[] into, LongSupplier clock) {
        return () -> into[0] = clock.getAsLong();
    }
}
