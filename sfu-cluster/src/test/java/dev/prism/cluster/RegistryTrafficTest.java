package dev.prism.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import dev.prism.cluster.testkit.RedisServerExtension;
import dev.prism.core.clock.MonoClock;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Prints the registry's own Redis traffic per node (a figure for docs/CLUSTER.md, not an assertion). */
class RegistryTrafficTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void measuresTheCommandsPerSecondOfAnIdleNodeInAThreeNodeCluster() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<ClusterTestNode> nodes = new ArrayList<>();
        try {
            PeriodicScheduler timers = PeriodicScheduler.vertx(vertx);
            for (int i = 0; i < 3; i++) {
                nodes.add(new ClusterTestNode(vertx, REDIS.server().url(), "n" + i, timers, MonoClock.SYSTEM, i)
                        .started());
            }
            Deadline.await(Duration.ofSeconds(5), "every node sees three",
                    () -> nodes.stream().allMatch(n -> n.registry.liveNodes().size() == 3));
            long[] before = nodes.stream().mapToLong(n -> n.redis.commandsSent()).toArray();
            long serverBefore = processed();
            long redisCpuBefore = redisCpuMillis();
            long jvmCpuBefore = jvmCpuNanos();
            long start = System.nanoTime();
            Deadline.await(Duration.ofSeconds(10), "5 s of heartbeats and reports",
                    () -> System.nanoTime() - start >= 5_000_000_000L);
            double seconds = (System.nanoTime() - start) / 1e9;
            long serverAfter = processed();
            double redisCpu = (redisCpuMillis() - redisCpuBefore) / (seconds * 10.0);
            double jvmCpu = (jvmCpuNanos() - jvmCpuBefore) / (seconds * 1e7);
            StringBuilder perNode = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                double rate = (nodes.get(i).redis.commandsSent() - before[i]) / seconds;
                perNode.append(String.format(" %.1f", rate));
                assertThat(rate).isPositive();
            }
            System.out.printf("registry traffic, 3 idle nodes: commands/s per node (client count):%s; "
                    + "Redis processed %.1f commands/s in all (INFO stats, includes this measurement's 2); "
                    + "CPU: redis-server %.2f %% of a core, this JVM (3 nodes + the test's polling) %.2f %%%n",
                    perNode, (serverAfter - serverBefore) / seconds, redisCpu, jvmCpu);
        } finally {
            for (ClusterTestNode node : nodes) {
                node.close();
            }
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }

    /** redis-server's user + system CPU, milliseconds (/proc clock ticks of 10 ms). */
    private static long redisCpuMillis() throws Exception {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + REDIS.server().pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long processed() throws Exception {
        String info = (String) REDIS.server().call("INFO", "stats");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no total_commands_processed in INFO stats");
    }
}
