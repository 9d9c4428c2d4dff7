package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP leg of a forwarded server API call against a real in-process HTTP server: the answer comes back verbatim
 * with the hop header and the caller's token sent; a node that does not answer is a {@code 504 owner_timeout}, one
 * that refuses connections a {@code 503 owner_unreachable}; beyond {@link OwnerClient#MAX_IN_FLIGHT} calls in flight
 * the next is refused at once.
 */
class OwnerClientTest {
    private Vertx vertx;
    private OwnerClient client;
    private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        client = new OwnerClient(vertx, "node-edge");
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int server(boolean answer) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            seen.add(req.method() + " " + req.uri() + " hop=" + req.getHeader(OwnerClient.HOP_HEADER) + " auth="
                    + req.getHeader("Authorization") + " type=" + req.getHeader("Content-Type"));
            if (answer) {
                req.body().onSuccess(body -> req.response().setStatusCode(401)
                        .putHeader("Content-Type", "application/json; charset=utf-8")
                        .putHeader("WWW-Authenticate", "Bearer realm=\"prism-api\"")
                        .end("{\"echo\":" + body.toString() + "}"));
            } // else: never answers
        });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    /** Runs {@code call} on a Vert.x context (as the API's handlers do) and waits for its outcome. */
    private <T> CompletableFuture<T> onLoop(Supplier<Future<T>> call) {
        CompletableFuture<T> out = new CompletableFuture<>();
        vertx.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(ar.result());
            } else {
                out.completeExceptionally(ar.cause());
            }
        }));
        return out;
    }

    private static OwnerClient.NoAnswer noAnswer(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OwnerClient.NoAnswer.class);
            return (OwnerClient.NoAnswer) e.getCause();
        }
        throw new AssertionError("answered");
    }

    @Test
    void theOwnersAnswerComesBackAsItWasWithTheTokenAndHopHeaderSent() throws Exception {
        int port = server(true);
        OwnerClient.Answer a = onLoop(() -> client.send(HttpMethod.PATCH, "http://127.0.0.1:" + port,
                "/api/v1/rooms/r%201/participants/p?x=1", "Bearer abc", "application/json",
                Buffer.buffer("{\"metadata\":\"m\"}"), 5_000)).get(30, TimeUnit.SECONDS);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(a.wwwAuthenticate()).isEqualTo("Bearer realm=\"prism-api\"");
        assertThat(a.body().toString()).isEqualTo("{\"echo\":{\"metadata\":\"m\"}}");
        assertThat(seen).containsExactly("PATCH /api/v1/rooms/r%201/participants/p?x=1 hop=node-edge auth=Bearer abc"
                + " type=application/json");
    }

    @Test
    void aNodeThatDoesNotAnswerIsATimeout() throws Exception {
        int port = server(false);
        OwnerClient.NoAnswer no = noAnswer(onLoop(() -> client.send(HttpMethod.GET, "http://127.0.0.1:" + port,
                "/api/v1/rooms/r", "Bearer abc", null, null, 300)));
        assertThat(no.status).isEqualTo(504);
        assertThat(no.outcome).isEqualTo(ApiForwardCounters.Outcome.TIMEOUT);
    }

    @Test
    void aNodeThatRefusesConnectionsIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closed = port;
        OwnerClient.NoAnswer no = noAnswer(onLoop(() -> client.send(HttpMethod.GET, "http://127.0.0.1:" + closed,
                "/api/v1/rooms/r", "Bearer abc", null, null, 5_000)));
        assertThat(no.status).isEqualTo(503);
        assertThat(no.outcome).isEqualTo(ApiForwardCounters.Outcome.UNREACHABLE);
        assertThat(no.getMessage()).doesNotContain("127.0.0.1"); // internal addresses are not told to the caller
    }

    @Test
    void callsBeyondTheInFlightBoundAreRefusedAtOnce() throws Exception {
        int port = server(false);
        List<CompletableFuture<OwnerClient.Answer>> hanging = new ArrayList<>();
        for (int i = 0; i < OwnerClient.MAX_IN_FLIGHT; i++) {
            hanging.add(onLoop(() -> client.send(HttpMethod.GET, "http://127.0.0.1:" + port, "/api/v1/rooms/r",
                    "Bearer abc", null, null, 20_000)));
        }
        OwnerClient.NoAnswer no = noAnswer(onLoop(() -> client.send(HttpMethod.GET, "http://127.0.0.1:" + port,
                "/api/v1/rooms/r", "Bearer abc", null, null, 20_000)));
        assertThat(no.status).isEqualTo(503);
        assertThat(no.outcome).isEqualTo(ApiForwardCounters.Outcome.BUSY);
        assertThat(hanging).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void theRoomIsTheFirstDecodedPathSegment() {
        assertThat(ApiForwarding.roomSegment("r1")).isEqualTo("r1");
        assertThat(ApiForwarding.roomSegment("r1/participants/p")).isEqualTo("r1");
        assertThat(ApiForwarding.roomSegment("a%20b/events")).isEqualTo("a b");
        assertThat(ApiForwarding.roomSegment("a+b")).isEqualTo("a+b");
        assertThat(ApiForwarding.roomSegment("%zz")).isNull();
        assertThat(ApiForwarding.roomSegment("")).isEmpty();
    }
}
