package dev.prism.cluster.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsPausesRestartsAndKillsARealRedisServer() throws Exception {
        long pid;
        try (RedisServer redis = RedisServer.start()) {
            pid = redis.pid();
            assertThat(pid).isPositive();
            assertThat(redis.call("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.call("GET", "k")).isEqualTo("v");

            redis.pause();
            assertThat(redis.ping(Duration.ofMillis(200))).as("a stopped server answers nothing").isFalse();
            redis.resume();
            assertThat(redis.ping(Duration.ofSeconds(2))).isTrue();

            redis.restart();
            assertThat(redis.call("GET", "k")).as("no persistence: a restart starts empty").isNull();
            assertThat(redis.pid()).isNotEqualTo(pid);
            pid = redis.pid();
        }
        long stopped = pid;
        Deadline.await(Duration.ofSeconds(5), "redis-server " + stopped + " gone",
                () -> ProcessHandle.of(stopped).map(h -> !h.isAlive()).orElse(true));
    }
}
