package dev.prism.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.server.ApiHttp;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server API in a cluster of two real nodes: a room is created on the node that places it (the other answers
 * {@code 421 wrong_node}); afterwards any call about it on the other node is answered {@code 421} naming the owner,
 * and served on the owner. (Forwarding to the owner is not done yet: docs/API.md, "Cluster".)
 */
class ClusterServerApiTest {
    @RegisterExtension
    static final ClusterBenchExtension BENCH = new ClusterBenchExtension(ClusterModeBench.builder(2));

    @Test
    void aCallAboutARoomAnotherNodeOwnsIsAnsweredWithTheOwner() {
        ClusterBench bench = BENCH.bench();
        ClusterModeBench.awaitLiveNodes(bench, 2);
        TokenService tokens = new TokenService(bench.apiSecret(), TokenService.SYSTEM_EPOCH_SECONDS);
        long now = tokens.nowEpochSeconds();
        String token = tokens.issueRoomAdmin("cluster-test", now, now + 600);
        PrismNode first = bench.node(1);
        PrismNode second = bench.node(2);
        ApiHttp.Reply created = new ApiHttp(first.httpPort(), token).post("/rooms",
                new JsonObject().put("name", "api-room").put("maxParticipants", 4));
        PrismNode owner = first;
        PrismNode other = second;
        if (created.status() != 201) {
            assertThat(created.status()).as(created.body().encode()).isEqualTo(421);
            assertThat(created.error()).isEqualTo("wrong_node");
            owner = second;
            other = first;
            created = new ApiHttp(second.httpPort(), token).post("/rooms", new JsonObject().put("name", "api-room")
                    .put("maxParticipants", 4));
            assertThat(created.status()).as(created.body().encode()).isEqualTo(201);
        }
        try (ClusterBench.Participant p = bench.joinAt(other, "api-room", "p1")) { // proxied to the owner
            ApiHttp atOwner = new ApiHttp(owner.httpPort(), token);
            ApiHttp atOther = new ApiHttp(other.httpPort(), token);
            assertThat(atOwner.get("/rooms/api-room/participants").body().getJsonArray("participants").stream()
                    .map(o -> ((JsonObject) o).getString("identity"))).containsExactly("p1");
            for (ApiHttp.Reply r : List.of(atOther.get("/rooms/api-room"), atOther.get("/rooms/api-room/participants"),
                    atOther.post("/rooms/api-room/data", new JsonObject().put("payload", "x")))) {
                assertThat(r.status()).as(r.body().encode()).isEqualTo(421);
                assertThat(r.error()).isEqualTo("wrong_node");
                assertThat(r.message()).contains(ClusterModeBench.registryId(owner));
            }
            assertThat(atOwner.get("/rooms/api-room").body().getInteger("maxParticipants")).isEqualTo(4);
            assertThat(atOwner.post("/rooms/api-room/data", new JsonObject().put("payload", "hello")).body()
                    .getInteger("delivered")).isEqualTo(1);
            assertThat(p.ws().next("data", 10).getString("payload")).isEqualTo("hello");
        }
    }
}
