package dev.prism.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.cluster.testkit.RedisServerExtension;
import dev.prism.core.clock.MonoClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RoomPlacementTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static Vertx vertx;
    private final List<ClusterTestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** Three nodes on an empty Redis, each seeing all three (timers ticked by hand). */
    @BeforeEach
    void threeNodes() throws Exception {
        REDIS.server().call("FLUSHALL");
        for (int i = 0; i < 3; i++) {
            nodes.add(new ClusterTestNode(vertx, REDIS.server().url(), "n" + i, new ManualScheduler(),
                    MonoClock.SYSTEM, 100 + i).started());
        }
        refreshAll();
        for (ClusterTestNode node : nodes) {
            assertThat(node.registry.liveNodes()).hasSize(3);
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (ClusterTestNode node : nodes) {
            node.close();
        }
    }

    @Test
    void twentyRoundsOfThirtyConcurrentFirstPlacementsEndWithExactlyOneOwnerEach() throws Exception {
        for (int round = 0; round < 20; round++) {
            String room = "fresh-" + round;
            List<RoomOwner> answers = placeConcurrently(room, 30);
            Set<String> owners = new HashSet<>();
            answers.forEach(a -> owners.add(a.nodeId() + "@" + a.epoch()));
            assertThat(owners).as("round " + round).hasSize(1);
            RoomOwner owner = answers.get(0);
            assertThat(owner.epoch()).isEqualTo(1);
            assertThat(REDIS.server().call("HGET", ClusterKeys.room(room), "node")).isEqualTo(owner.nodeId());
            assertThat(REDIS.server().call("HGET", ClusterKeys.room(room), "epoch")).isEqualTo("1");
        }
        long won = nodes.stream().mapToLong(n -> n.placement.claimsWon()).sum();
        long lost = nodes.stream().mapToLong(n -> n.placement.claimsLost()).sum();
        System.out.printf("20 rounds x 30 concurrent first placements: %d claims won, %d lost to a concurrent claim%n",
                won, lost);
        assertThat(won).as("one claim per room").isEqualTo(20);
        assertThat(lost).as("the placements did race").isPositive();
    }

    @Test
    void twentyRoundsOfThirtyConcurrentTakeoversAfterTheOwnerDiedEndWithOneOwnerAndRisingEpochs() throws Exception {
        String room = "takeover";
        RoomOwner previous = nodes.get(0).placement.place(room).await(5, TimeUnit.SECONDS);
        assertThat(previous.epoch()).isEqualTo(1);
        for (int round = 1; round <= 20; round++) {
            ClusterTestNode dead = node(previous.nodeId());
            // The nodes' timers are ticked by hand: renew every lease (1.5 s) as their heartbeats would, or on a
            // slow machine the live nodes' leases run out over the rounds and each winner looks dead in turn
            for (ClusterTestNode n : nodes) {
                n.registry.heartbeat().await(5, TimeUnit.SECONDS);
            }
            REDIS.server().call("DEL", ClusterKeys.alive(dead.id())); // its lease expired
            refreshAll();

            List<RoomOwner> answers = placeConcurrently(room, 30);
            Set<String> owners = new HashSet<>();
            answers.forEach(a -> owners.add(a.nodeId() + "@" + a.epoch()));
            assertThat(owners).as("round " + round).hasSize(1);
            RoomOwner owner = answers.get(0);
            assertThat(owner.nodeId()).isNotEqualTo(dead.id());
            assertThat(owner.epoch()).isEqualTo(previous.epoch() + 1);

            dead.registry.heartbeat().await(5, TimeUnit.SECONDS); // it comes back (a restarted node has a new id)
            refreshAll();
            previous = owner;
        }
        assertThat(REDIS.server().call("HGET", ClusterKeys.room(room), "epoch")).isEqualTo("21");
    }

    @Test
    void aStaleOwnerIsFencedAfterAnotherNodeTookTheRoomOverAtAHigherEpoch() throws Exception {
        String room = "fenced";
        RoomOwner first = nodes.get(0).placement.place(room).await(5, TimeUnit.SECONDS);
        ClusterTestNode stale = node(first.nodeId());
        assertThat(stale.placement.verifyOwnership(Map.of(room, first.epoch())).await(5, TimeUnit.SECONDS)).isEmpty();

        stale.registry.halt(); // SIGSTOP: it renews nothing...
        REDIS.server().call("DEL", ClusterKeys.alive(stale.id())); // ...and its lease expires
        refreshAll();
        ClusterTestNode other = nodes.stream().filter(n -> n != stale).findFirst().orElseThrow();
        RoomOwner second = other.placement.place(room).await(5, TimeUnit.SECONDS);
        assertThat(second.nodeId()).isNotEqualTo(stale.id());
        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);

        // back from SIGCONT, the stale node checks the rooms it runs: this one moved
        stale.registry.heartbeat().await(5, TimeUnit.SECONDS);
        assertThat(stale.placement.verifyOwnership(Map.of(room, first.epoch(), "never-placed-elsewhere", 3L))
                .await(5, TimeUnit.SECONDS)).containsExactly(room);
        ClusterTestNode owner = node(second.nodeId());
        assertThat(owner.placement.verifyOwnership(Map.of(room, second.epoch())).await(5, TimeUnit.SECONDS))
                .isEmpty();
        // a live owner keeps its room: the returning node does not take it back
        assertThat(stale.placement.place(room).await(5, TimeUnit.SECONDS)).isEqualTo(
                new RoomOwner(room, second.nodeId(), second.epoch(), second.sinceMillis(), true));
    }

    @Test
    void afterRedisLostItsDataTheOwnersWriteTheirRecordsBackAtTheirEpochs() throws Exception {
        RoomOwner owner = nodes.get(0).placement.place("kept").await(5, TimeUnit.SECONDS);
        REDIS.server().call("FLUSHALL");
        ClusterTestNode node = node(owner.nodeId());
        assertThat(node.placement.verifyOwnership(Map.of("kept", owner.epoch())).await(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(node.placement.recordsRestored()).isEqualTo(1);
        assertThat(REDIS.server().call("HGET", ClusterKeys.room("kept"), "node")).isEqualTo(owner.nodeId());
        assertThat(REDIS.server().call("HGET", ClusterKeys.room("kept"), "epoch")).isEqualTo(
                Long.toString(owner.epoch()));
    }

    @Test
    void onlyTheOwnerAtItsEpochDeletesTheRecord() throws Exception {
        RoomOwner owner = nodes.get(0).placement.place("ending").await(5, TimeUnit.SECONDS);
        ClusterTestNode ownerNode = node(owner.nodeId());
        ClusterTestNode other = nodes.stream().filter(n -> n != ownerNode).findFirst().orElseThrow();
        assertThat(other.placement.release("ending", owner.epoch()).await(5, TimeUnit.SECONDS)).isFalse();
        assertThat(ownerNode.placement.release("ending", owner.epoch() + 1).await(5, TimeUnit.SECONDS)).isFalse();
        assertThat(REDIS.server().call("EXISTS", ClusterKeys.room("ending"))).isEqualTo(1L);
        assertThat(ownerNode.placement.release("ending", owner.epoch()).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(REDIS.server().call("EXISTS", ClusterKeys.room("ending"))).isEqualTo(0L);
        assertThat(ownerNode.placement.release("ending", owner.epoch()).await(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void ownerLookupTellsWhetherTheOwnerIsAlive() throws Exception {
        ClusterTestNode a = nodes.get(0);
        assertThat(a.placement.owner("nobody-here").await(5, TimeUnit.SECONDS)).isEmpty();
        RoomOwner placed = a.placement.place("looked-up").await(5, TimeUnit.SECONDS);
        Optional<RoomOwner> found = a.placement.owner("looked-up").await(5, TimeUnit.SECONDS);
        assertThat(found).contains(placed);
        REDIS.server().call("DEL", ClusterKeys.alive(placed.nodeId()));
        assertThat(a.placement.owner("looked-up").await(5, TimeUnit.SECONDS).orElseThrow().ownerAlive()).isFalse();
    }

    @Test
    void drainingNodesTakeNoNewRoomsButKeepTheirOwn() throws Exception {
        RoomOwner kept = nodes.get(0).placement.place("before-drain").await(5, TimeUnit.SECONDS);
        for (ClusterTestNode node : nodes) {
            node.registry.setState(NodeState.DRAINING).await(5, TimeUnit.SECONDS);
        }
        refreshAll();
        assertThat(nodes.get(1).placement.place("before-drain").await(5, TimeUnit.SECONDS)).isEqualTo(kept);
        assertThatThrownBy(() -> nodes.get(1).placement.place("after-drain").await(5, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(ClusterUnavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(ClusterUnavailable.Reason.NO_ELIGIBLE_NODE));
    }

    @Test
    void aBadRoomIdIsRejectedBeforeAnyRedisCall() {
        ClusterTestNode a = nodes.get(0);
        long before = a.redis.commandsSent();
        assertThatThrownBy(() -> a.placement.place("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.placement.place("r".repeat(ClusterKeys.MAX_ROOM_ID_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.redis.commandsSent()).isEqualTo(before);
    }

    @Test
    void redisDownOrFrozenFailsPlacementFastWithClusterUnavailableAndItWorksAgainAfterwards() throws Exception {
        ClusterTestNode a = nodes.get(0);
        try {
            REDIS.server().stop();
            long start = System.nanoTime();
            assertThatThrownBy(() -> a.placement.place("outage").await(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(ClusterUnavailable.class,
                            e -> assertThat(e.reason()).isEqualTo(ClusterUnavailable.Reason.REDIS_UNREACHABLE));
            long downMillis = (System.nanoTime() - start) / 1_000_000;

            REDIS.server().restart(); // empty: the nodes register again with their next report
            for (ClusterTestNode node : nodes) {
                node.registry.heartbeat().await(10, TimeUnit.SECONDS);
                node.registry.report().await(10, TimeUnit.SECONDS);
            }
            refreshAll();
            assertThat(a.registry.liveNodes()).hasSize(3);
            RoomOwner placed = a.placement.place("outage").await(10, TimeUnit.SECONDS);
            assertThat(placed.epoch()).isEqualTo(1);

            REDIS.server().pause();
            start = System.nanoTime();
            assertThatThrownBy(() -> a.placement.place("frozen").await(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(ClusterUnavailable.class,
                            e -> assertThat(e.reason()).isEqualTo(ClusterUnavailable.Reason.REDIS_TIMEOUT));
            long frozenMillis = (System.nanoTime() - start) / 1_000_000;
            REDIS.server().resume();
            assertThat(a.placement.place("frozen").await(10, TimeUnit.SECONDS).epoch()).isEqualTo(1);
            System.out.printf("placement with Redis stopped failed after %d ms, with Redis frozen after %d ms "
                    + "(command timeout %d ms)%n", downMillis, frozenMillis, ClusterTestNode.SETTINGS.commandTimeoutMillis());
        } finally {
            if (REDIS.server().pid() < 0) {
                REDIS.server().restart();
            }
        }
    }

    private List<RoomOwner> placeConcurrently(String room, int placements) throws Exception {
        List<Future<RoomOwner>> futures = new ArrayList<>(placements);
        for (int i = 0; i < placements; i++) {
            futures.add(nodes.get(i % nodes.size()).placement.place(room));
        }
        Future.all(futures).await(20, TimeUnit.SECONDS);
        List<RoomOwner> answers = new ArrayList<>(placements);
        futures.forEach(f -> answers.add(f.result()));
        return answers;
    }

    private void refreshAll() throws Exception {
        for (ClusterTestNode node : nodes) {
            node.registry.refresh().await(5, TimeUnit.SECONDS);
        }
    }

    private ClusterTestNode node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }
}
