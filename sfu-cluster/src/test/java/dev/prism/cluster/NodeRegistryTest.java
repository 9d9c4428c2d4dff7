package dev.prism.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.cluster.testkit.Deadline;
import dev.prism.cluster.testkit.RedisServerExtension;
import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.MonoClock;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@SuppressWarnings("unchecked")
class NodeRegistryTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void emptyRedis() throws Exception {
        REDIS.server().call("FLUSHALL");
    }

    @Test
    void registersItsLeaseAndRecordAndDeregistersOnACleanStop() throws Exception {
        ClusterTestNode a = new ClusterTestNode(vertx, REDIS.server().url(), "a", new ManualScheduler(),
                MonoClock.SYSTEM, 1);
        a.load.set(new NodeLoad(0.25, 2, 12, 3, 4_000_000, 30_000_000));
        a.started();
        String id = a.id();
        assertThat(id).matches("a-[0-9a-f]{8}");
        assertThat((List<Object>) REDIS.server().call("SMEMBERS", "prism:nodes")).containsExactly(id);
        assertThat((Long) REDIS.server().call("PTTL", "prism:node:" + id + ":alive")).isBetween(1L, 1500L);
        assertThat((Long) REDIS.server().call("PTTL", "prism:node:" + id)).isBetween(1L, 10_000L);
        assertThat(REDIS.server().call("HGET", "prism:node:" + id, "state")).isEqualTo("SERVING");
        assertThat(REDIS.server().call("HGET", "prism:node:" + id, "mediaPorts")).isEqualTo("40000,40001");

        NodeView self = a.registry.liveNodes().get(0);
        assertThat(self.id()).isEqualTo(id);
        assertThat(self.score()).isEqualTo(0.25);
        assertThat(self.load().participants()).isEqualTo(12);
        assertThat(self.descriptor().linkUrl()).isEqualTo("wss://127.0.0.1:7443/cluster");

        a.close();
        assertThat((List<Object>) REDIS.server().call("SMEMBERS", "prism:nodes")).isEmpty();
        assertThat(REDIS.server().call("EXISTS", "prism:node:" + id, "prism:node:" + id + ":alive")).isEqualTo(0L);
    }

    @Test
    void aNodeThatStopsHeartbeatingDisappearsWhenItsLeaseExpires() throws Exception {
        PeriodicScheduler timers = PeriodicScheduler.vertx(vertx);
        try (ClusterTestNode a = new ClusterTestNode(vertx, REDIS.server().url(), "a", timers, MonoClock.SYSTEM, 1)
                .started();
             ClusterTestNode b = new ClusterTestNode(vertx, REDIS.server().url(), "b", timers, MonoClock.SYSTEM, 2)
                .started()) {
            Deadline.await(Duration.ofSeconds(3), "b sees a", () -> ids(b).contains(a.id()));
            // kept alive by its own heartbeats well past one lease
            Deadline.await(Duration.ofSeconds(5), "a's renewals", () -> a.redis.commandsSent() > 12);
            assertThat(ids(b)).contains(a.id(), b.id());

            a.registry.halt(); // what a crashed or SIGSTOPped node looks like
            Duration gone = Deadline.await(Duration.ofMillis(2500), "a's lease expired", () -> {
                try {
                    return Long.valueOf(0).equals(REDIS.server().call("EXISTS", "prism:node:" + a.id() + ":alive"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Duration unseen = Deadline.await(Duration.ofMillis(3500), "b no longer lists a",
                    () -> !ids(b).contains(a.id()));
            System.out.printf("silent node: lease gone after %d ms, out of the others' view after %d ms%n",
                    gone.toMillis(), gone.plus(unseen).toMillis());
            assertThat(ids(b)).containsExactly(b.id());
        }
    }

    @Test
    void drainingIsAnnouncedAtOnce() throws Exception {
        try (ClusterTestNode a = new ClusterTestNode(vertx, REDIS.server().url(), "a", new ManualScheduler(),
                MonoClock.SYSTEM, 1).started()) {
            a.registry.setState(NodeState.DRAINING).await(5, TimeUnit.SECONDS);
            assertThat(a.registry.liveNodes().get(0).state()).isEqualTo(NodeState.DRAINING);
            assertThat(REDIS.server().call("HGET", "prism:node:" + a.id(), "state")).isEqualTo("DRAINING");
        }
    }

    @Test
    void aRenewalAfterAGapLongerThanTheLeaseReportsALapse() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicInteger lapses = new AtomicInteger();
        try (ClusterTestNode a = new ClusterTestNode(vertx, REDIS.server().url(), "a", new ManualScheduler(), clock, 1)) {
            a.registry.onLeaseLapse(lapses::incrementAndGet);
            a.started();
            clock.advanceMillis(500);
            a.registry.heartbeat().await(5, TimeUnit.SECONDS);
            assertThat(lapses).hasValue(0);

            clock.advanceMillis(1501); // the node was stopped for longer than its lease
            a.registry.heartbeat().await(5, TimeUnit.SECONDS);
            assertThat(lapses).hasValue(1);
            clock.advanceMillis(500);
            a.registry.heartbeat().await(5, TimeUnit.SECONDS);
            assertThat(lapses).hasValue(1);
        }
    }

    @Test
    void idsOfVanishedNodesArePrunedAndCorruptRecordsSkipped() throws Exception {
        REDIS.server().call("SADD", "prism:nodes", "ghost-00000000", "corrupt-00000000");
        REDIS.server().call("HSET", "prism:node:corrupt-00000000", "score", "not a number");
        REDIS.server().call("SET", "prism:node:corrupt-00000000:alive", "x", "PX", "60000");
        try (ClusterTestNode a = new ClusterTestNode(vertx, REDIS.server().url(), "a", new ManualScheduler(),
                MonoClock.SYSTEM, 1).started()) {
            assertThat(ids(a)).containsExactly(a.id());
            assertThat((List<Object>) REDIS.server().call("SMEMBERS", "prism:nodes"))
                    .containsExactlyInAnyOrder(a.id(), "corrupt-00000000");
        }
    }

    @Test
    void aNodeIdIsFreshPerProcessAndRejectsBadConfiguration() {
        assertThat(NodeRegistry.newNodeId("node-1")).isNotEqualTo(NodeRegistry.newNodeId("node-1"));
        for (String bad : new String[] {"", "a b", "x".repeat(65), "a:b", "{room}", null}) {
            assertThatThrownBy(() -> NodeRegistry.newNodeId(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static List<String> ids(ClusterTestNode node) {
        return node.registry.liveNodes().stream().map(NodeView::id).toList();
    }
}
