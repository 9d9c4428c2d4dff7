package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import dev.prism.server.ApiHttp;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #16 item 1, "in a cluster the call works on any node", with two real nodes and Redis: a call about a room
 * another node owns is forwarded to the owner and its answer returned; {@code GET /rooms} lists the whole cluster; the
 * owner checks the token itself; a forwarded call is never forwarded again; an owner that stops answering gives a
 * clear error within the forwarding timeout. Node 1 alone knows an extra API key ({@code k2}), so a token the edge
 * accepts can be refused by the owner.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterServerApiTest {
    private static final String EXTRA_KEY = "k2-" + ClusterModeBench.randomHex();
    private static final String CLUSTER_SECRET = "bench-cluster-" + ClusterModeBench.randomHex();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterBench.builder().nodes(2)
            .nodeArgs((n, redis) -> {
                List<String> args = new java.util.ArrayList<>(List.of("--redis", redis.url(), "--node-id", "node-" + n,
                        "--cluster-port", "0", "--cluster-secret", CLUSTER_SECRET));
                if (n == 1) {
                    args.addAll(List.of("--api-key", "k2=" + EXTRA_KEY));
                }
                return args;
            }));

    private static String token() {
        TokenService tokens = new TokenService(BENCH.bench().apiSecret(), TokenService.SYSTEM_EPOCH_SECONDS);
        long now = tokens.nowEpochSeconds();
        return tokens.issueRoomAdmin("cluster-test", now, now + 600);
    }

    /** A room owned by {@code wanted}: rooms named {@code prefix-i} are created (through either node) until one is. */
    private static String roomOwnedBy(PrismNode wanted, String prefix) {
        ClusterBench bench = BENCH.bench();
        for (int i = 0; i < 40; i++) {
            String room = prefix + "-" + i;
            ApiHttp.Reply r = new ApiHttp(bench.node(1 + i % 2).httpPort(), token()).post("/rooms",
                    new JsonObject().put("name", room));
            assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
            if (ClusterModeBench.ownerOf(bench, room) == wanted) {
                return room;
            }
        }
        throw new AssertionError("no room of 40 was placed on " + wanted);
    }

    private static PrismNode otherThan(PrismNode node) {
        return node == BENCH.bench().node(1) ? BENCH.bench().node(2) : BENCH.bench().node(1);
    }

    @Test
    @Order(1)
    void everyRoomScopedCallOnTheNonOwnerGivesTheOwnersAnswer() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 2);
        String token = token();
        // created through node 2 whoever places it: the options reach the owner
        ApiHttp.Reply created = new ApiHttp(bench.node(2).httpPort(), token).post("/rooms",
                new JsonObject().put("name", "api-room").put("maxParticipants", 4).put("metadata", "m1"));
        assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
        PrismNode owner = ClusterModeBench.ownerOf(bench, "api-room");
        PrismNode other = otherThan(owner);
        ApiHttp atOwner = new ApiHttp(owner.httpPort(), token);
        ApiHttp atOther = new ApiHttp(other.httpPort(), token);
        assertThat(atOwner.get("/rooms/api-room").body().getInteger("maxParticipants")).isEqualTo(4);

        try (ClusterBench.Participant p = bench.joinAt(other, "api-room", "p1")) { // proxied to the owner
            for (String path : List.of("/rooms/api-room", "/rooms/api-room/participants",
                    "/rooms/api-room/participants/p1", "/rooms/api-room/events", "/rooms/api-room/events?after=1",
                    "/rooms/api-room/participants/nobody", "/rooms/api-room/nothing-here")) {
                ApiHttp.Reply there = atOwner.get(path);
                ApiHttp.Reply here = atOther.get(path);
                assertThat(here.status()).as(path + ": " + here.body().encode()).isEqualTo(there.status());
                assertThat(here.body()).as(path).isEqualTo(there.body());
            }
            assertThat(atOther.get("/rooms/api-room/participants/p1").body().getString("identity")).isEqualTo("p1");

            ApiHttp.Reply patched = atOther.patch("/rooms/api-room/participants/p1",
                    new JsonObject().put("metadata", "from-the-edge"));
            assertThat(patched.status()).as(patched.body().encode()).isEqualTo(200);
            assertThat(atOwner.get("/rooms/api-room/participants/p1").body().getString("metadata"))
                    .isEqualTo("from-the-edge");

            ApiHttp.Reply mute = atOther.post("/rooms/api-room/participants/p1/tracks/no-such-track/mute",
                    new JsonObject().put("muted", true));
            ApiHttp.Reply muteAtOwner = atOwner.post("/rooms/api-room/participants/p1/tracks/no-such-track/mute",
                    new JsonObject().put("muted", true));
            assertThat(mute.status()).as(mute.body().encode()).isEqualTo(muteAtOwner.status()).isEqualTo(404);
            assertThat(mute.body()).isEqualTo(muteAtOwner.body());

            ApiHttp.Reply badBody = atOther.post("/rooms/api-room/data", new JsonObject().put("nope", 1));
            assertThat(badBody.status()).as(badBody.body().encode()).isEqualTo(400);

            ApiHttp.Reply data = atOther.post("/rooms/api-room/data", new JsonObject().put("payload", "hello"));
            assertThat(data.status()).as(data.body().encode()).isEqualTo(200);
            assertThat(data.body().getInteger("delivered")).isEqualTo(1);
            assertThat(p.ws().next("data", 10).getString("payload")).isEqualTo("hello");

            ApiHttp.Reply again = atOther.post("/rooms", new JsonObject().put("name", "api-room")
                    .put("maxParticipants", 6).put("metadata", "m2"));
            assertThat(again.status()).as(again.body().encode()).isEqualTo(200);
            JsonObject atOwnerNow = atOwner.get("/rooms/api-room").body();
            assertThat(atOwnerNow.getInteger("maxParticipants")).isEqualTo(6);
            assertThat(atOwnerNow.getString("metadata")).isEqualTo("m2");

            ApiHttp.Reply removed = atOther.delete("/rooms/api-room/participants/p1");
            assertThat(removed.status()).as(removed.body().encode()).isEqualTo(200);
            Deadline.await(Duration.ofSeconds(10), "p1 gone from the owner's room", () -> {
                ApiHttp.Reply left = atOwner.get("/rooms/api-room/participants");
                return left.status() == 404 || left.body().getJsonArray("participants").isEmpty(); // emptied: ended
            });
        }
        ApiHttp.Reply deleted = atOther.delete("/rooms/api-room");
        assertThat(deleted.status()).as(deleted.body().encode()).isEqualTo(200);
        assertThat(atOwner.get("/rooms/api-room").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void listingRoomsOnEitherNodeGivesBothNodesRooms() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 2);
        String onFirst = roomOwnedBy(bench.node(1), "list-a");
        String onSecond = roomOwnedBy(bench.node(2), "list-b");
        for (PrismNode node : bench.nodes()) {
            ApiHttp.Reply list = new ApiHttp(node.httpPort(), token()).get("/rooms");
            assertThat(list.status()).as(list.body().encode()).isEqualTo(200);
            assertThat(list.body().getBoolean("partial")).isFalse();
            Map<String, String> nodeByRoom = list.body().getJsonArray("rooms").stream().map(JsonObject.class::cast)
                    .collect(Collectors.toMap(r -> r.getString("name"), r -> r.getString("node")));
            assertThat(nodeByRoom).containsEntry(onFirst, ClusterModeBench.registryId(bench.node(1)))
                    .containsEntry(onSecond, ClusterModeBench.registryId(bench.node(2)));
        }
    }

    @Test
    @Order(3)
    void theOwnerChecksTheTokenAndTheEdgeForwardsNothingWithoutOne() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 2);
        String onSecond = roomOwnedBy(bench.node(2), "token");
        String onFirst = roomOwnedBy(bench.node(1), "token-own");
        // signed with k2, a key node 1 knows and node 2 does not
        TokenService k2 = TokenService.withKeyIds(Map.of("k2", EXTRA_KEY), "k2", TokenService.SYSTEM_EPOCH_SECONDS,
                86_400);
        long now = k2.nowEpochSeconds();
        ApiHttp edge = new ApiHttp(bench.node(1).httpPort(), k2.issueRoomAdmin("rotating", now, now + 600));
        assertThat(edge.get("/rooms/" + onFirst).status()).isEqualTo(200); // the edge accepts it
        ApiHttp.Reply refused = edge.get("/rooms/" + onSecond);
        assertThat(refused.status()).as(refused.body().encode()).isEqualTo(401);
        assertThat(refused.error()).isEqualTo("unauthorized");

        double answeredBefore = ClusterModeBench.metric(bench.node(1),
                "prism_api_forwarded_total{outcome=\"answered\"}");
        assertThat(answeredBefore).as("the refused call above was forwarded and counted").isPositive();
        ApiHttp.Reply noToken = new ApiHttp(bench.node(1).httpPort(), null).get("/rooms/" + onSecond);
        assertThat(noToken.status()).isEqualTo(401);
        ApiHttp.Reply forged = new ApiHttp(bench.node(1).httpPort(), "not.a.token").delete("/rooms/" + onSecond);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(ClusterModeBench.metric(bench.node(1), "prism_api_forwarded_total{outcome=\"answered\"}"))
                .as("nothing forwarded without a valid token").isEqualTo(answeredBefore);
        assertThat(new ApiHttp(bench.node(2).httpPort(), token()).get("/rooms/" + onSecond).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aForwardedCallIsNeverForwardedAgain() throws Exception {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 2);
        String onSecond = roomOwnedBy(bench.node(2), "loop");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(bench.node(1).baseUrl()
                        + "/api/v1/rooms/" + onSecond)).header("Authorization", "Bearer " + token())
                .header("Prism-Forwarded-By", "node-x").timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(421);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("wrong_node");
        assertThat(body.getString("message")).contains(ClusterModeBench.registryId(bench.node(2)));
        // and a forwarded room list is the node's own rooms only
        HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(bench.node(1).baseUrl()
                        + "/api/v1/rooms")).header("Authorization", "Bearer " + token())
                .header("Prism-Forwarded-By", "node-x").timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Set<String> names = new JsonObject(list.body()).getJsonArray("rooms").stream()
                .map(o -> ((JsonObject) o).getString("name")).collect(Collectors.toSet());
        assertThat(names).doesNotContain(onSecond);
    }

    /** Last: it freezes node 2. */
    @Test
    @Order(5)
    void anOwnerThatStopsAnsweringGivesAClearErrorWithinTheTimeout() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 2);
        PrismNode owner = bench.node(2);
        String room = roomOwnedBy(owner, "frozen");
        ApiHttp edge = new ApiHttp(bench.node(1).httpPort(), token());
        edge.get("/rooms/" + room); // a warm connection to the owner
        String ownerId = ClusterModeBench.registryId(owner);
        owner.pause(); // SIGSTOP: its sockets accept, nothing answers (its lease lapses 1.5 s later)
        try {
            // both at once, right away: placement still names the owner and the view still lists it
            CompletableFuture<ApiHttp.Reply> get = CompletableFuture.supplyAsync(() -> edge.get("/rooms/" + room));
            CompletableFuture<ApiHttp.Reply> list = CompletableFuture.supplyAsync(() -> edge.get("/rooms"));
            long start = System.nanoTime();
            ApiHttp.Reply r = get.join();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).as(r.body().encode()).isEqualTo(504);
            assertThat(r.error()).isEqualTo("owner_timeout");
            assertThat(r.message()).contains(ownerId);
            assertThat(tookMillis).as("answered by the edge's deadline, not the client's")
                    .isLessThan(ApiForwarding.FORWARD_TIMEOUT_MILLIS + 5_000);
            ApiHttp.Reply l = list.join();
            assertThat(l.status()).as(l.body().encode()).isEqualTo(200);
            assertThat(l.body().getBoolean("partial")).isTrue();
            assertThat(l.body().getJsonArray("unanswered")).isEqualTo(new JsonArray().add(ownerId));
        } finally {
            owner.resume();
        }
    }
}
