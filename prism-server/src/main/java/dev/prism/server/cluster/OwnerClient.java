package dev.prism.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends one server API request to another node's HTTP address and hands back its answer as received: the HTTP leg of
 * {@link ApiForwarding}. Every request carries {@link #HOP_HEADER} (the receiver never sends it on again), the
 * caller's {@code Authorization} (the receiver checks the token itself) and a deadline; at most
 * {@link #MAX_IN_FLIGHT} requests are in flight per node, beyond that the call is refused at once.
 *
 * <p>Threading: call on a Vert.x event loop; the future completes on that loop's context. Never blocks.
 */
final class OwnerClient implements AutoCloseable {
    /** Marks a request one node sent to another: it is served where it arrives, or refused (421), never sent on. */
    static final String HOP_HEADER = "Prism-Forwarded-By";
    /** On a forwarded call's answer: the node that served it (for operators and tests; not a contract). */
    static final String SERVED_BY_HEADER = "Prism-Served-By";
    /** Forwarded calls plus room-list requests in flight at once on this node. */
    static final int MAX_IN_FLIGHT = 256;
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    /** The other node's answer, passed on verbatim (status, content type, body; the 401 challenge). */
    record Answer(int status, String contentType, String wwwAuthenticate, Buffer body) {
    }

    /** No answer: what the edge replies instead ({@code 503 owner_unreachable}, {@code 504 owner_timeout}, ...). */
    static final class NoAnswer extends Exception {
        final ApiForwardCounters.Outcome outcome;
        final int status;

        NoAnswer(ApiForwardCounters.Outcome outcome, int status, String message) {
            this(outcome, status, message, null);
        }

        NoAnswer(ApiForwardCounters.Outcome outcome, int status, String message, Throwable cause) {
            super(message, cause, false, false);
            this.outcome = outcome;
            this.status = status;
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final String selfId;
    private final AtomicInteger inFlight = new AtomicInteger();

    OwnerClient(Vertx vertx, String selfId) {
        this.vertx = vertx;
        this.selfId = selfId;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                .setKeepAlive(true).setKeepAliveTimeout(30), new PoolOptions().setHttp1MaxSize(16));
    }

    /**
     * Sends {@code method uri} to {@code baseUrl} ({@code http://host:port}) with the caller's authorization, content
     * type and body ({@code body} may be null). Completes with the answer, or fails with {@link NoAnswer} when the
     * node is unreachable, too slow ({@code timeoutMillis}: the request is reset), or this node is too busy.
     */
    Future<Answer> send(HttpMethod method, String baseUrl, String uri, String authorization, String contentType,
                        Buffer body, long timeoutMillis) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            return Future.failedFuture(new NoAnswer(ApiForwardCounters.Outcome.BUSY, 503,
                    "this node has too many calls in flight to other nodes; retry shortly"));
        }
        Promise<Answer> answer = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMillis, t -> {
            if (answer.tryFail(new NoAnswer(ApiForwardCounters.Outcome.TIMEOUT, 504,
                    "the room's node did not answer within " + timeoutMillis + " ms"))) {
                HttpClientRequest r = sent.get();
                if (r != null) {
                    r.reset();
                }
            }
        });
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(baseUrl + uri)
                .putHeader(HOP_HEADER, selfId);
        if (authorization != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (contentType != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        client.request(options).compose(request -> {
            sent.set(request);
            return body == null ? request.send() : request.send(body);
        }).compose(response -> response.body().map(b -> new Answer(response.statusCode(),
                response.getHeader(HttpHeaders.CONTENT_TYPE), response.getHeader("WWW-Authenticate"), b)))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        answer.tryComplete(ar.result());
                    } else {
                        // the cause names the internal address: logged by the caller, not told to the client
                        answer.tryFail(new NoAnswer(ApiForwardCounters.Outcome.UNREACHABLE, 503,
                                "the room's node could not be reached", ar.cause()));
                    }
                });
        return answer.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            inFlight.decrementAndGet();
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
