package dev.prism.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.net.URI;

/**
 * Runs the delivery path once at start, against a throwaway HTTP server of the node's own on 127.0.0.1 (never a
 * receiver: a receiver sees nothing before the first real event). A cold node's first delivery otherwise pays for
 * loading and interpreting Vert.x's HTTP client, its connection pool and HTTP/1.1 codec, the HMAC and the response
 * path, on the dispatcher's event loop: seconds on a loaded 2-core machine (docs/WEBHOOKS.md "Delivery"), during which
 * that room's later events and every other room's wait. Call on the dispatcher's context; the future never fails: it
 * has whether the warm-up request was answered 2xx (false: it failed or {@code timeoutMillis} passed; the deliveries
 * then simply start cold).
 */
final class DispatcherWarmUp {
    private static final String BODY = "{\"id\":\"EV_warmup\",\"event\":\"warm_up\",\"seq\":0}";

    private DispatcherWarmUp() {
    }

    static Future<Boolean> run(Vertx vertx, WebhookSigner signer, long timeoutMillis) {
        RoomEventRecorder.randomId("EV_"); // seeds the id generator's SecureRandom off the rooms' loops
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onComplete(b -> req.response().setStatusCode(204).end()));
        return server.listen(0, "127.0.0.1").compose(s -> {
            HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions()
                    .setConnectTimeout((int) timeoutMillis), new PoolOptions().setHttp1MaxSize(1));
            URI url = URI.create("http://127.0.0.1:" + s.actualPort() + "/warm-up");
            return WebhookPost.send(client, url, signer, "EV_warmup", BODY, System.currentTimeMillis(),
                    timeoutMillis, WebhookPost.NOTHING).eventually(client::close);
        }).eventually(server::close).map(status -> status / 100 == 2).otherwise(false);
    }
}
