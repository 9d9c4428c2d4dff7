package dev.prism.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.Conference;
import dev.prism.conference.ConferenceParticipant;
import dev.prism.conference.JoinRequest;
import dev.prism.conference.SubscriberCodecPlan;
import dev.prism.conference.testkit.TestConference.QuietListener;
import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.ops.inspect.StatsSampler;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's metrics over a conference alone (no signaling): room and participant gauges and join counts read
 * through the conference and the sampler, and another module's meters bound as a {@code MeterBinder} with a hook
 * that runs before each scrape (what the launcher does with signaling's). A conference over the test kit's
 * {@link EmbeddedMedia}, its room hops run by the test.
 */
class PrismMetricsTest {
    private final FakeClock clock = new FakeClock();
    private EmbeddedMedia embedded;
    private PrismMetrics metrics;
    private Conference conference;
    private ConferenceParticipant alice;

    @BeforeEach
    void join() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock,
                new ManualTimers(clock));
        MediaPlane plane = embedded.plane();
        metrics = new PrismMetrics();
        conference = new Conference(plane, new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(),
                List.of(metrics.roomEvents())), new SubscriberCodecPlan(111, 96, 97, 1, 2));
        CompletableFuture<ConferenceParticipant> joined = conference.join(new JoinRequest("room", "alice", "Alice",
                true, true), new QuietListener());
        embedded.runPendingTasks();
        alice = joined.get(0, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        alice.leave(LeaveReason.LEFT);
        embedded.runPendingTasks();
        metrics.close();
        embedded.close();
    }

    @Test
    void roomsParticipantsAndJoinsAreReadThroughTheConference() {
        StatsSampler sampler = new StatsSampler(conference, clock, Duration.ofSeconds(1), 10, List.of());
        metrics.bindNode(conference, sampler, List.of());
        sampler.sampleNow();
        embedded.runPendingTasks(); // the room's sample runs on its loop

        String scrape = metrics.scrape();
        assertThat(scrape).contains("prism_rooms 1.0", "prism_participants 1.0", "prism_tracks 0.0",
                "prism_participants_joined_total 1.0", "prism_participants_left_total{reason=\"left\"} 0.0",
                "prism_media_connections{candidate=\"relay_tls\",family=\"ipv4\",transport=\"udp\"} 0.0",
                "prism_rtp_audio_forwarded_packets_total 0.0", "prism_media_drops_total{reason=\"audio_top_n\"} 0.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("prism_media_connections{"))).as("every combination")
                .hasSize(2 * 2 * 7);
    }

    @Test
    void anotherModulesMetersAreBoundAndRefreshedBeforeEachScrape() {
        AtomicInteger refreshes = new AtomicInteger();
        metrics.bind(registry -> Counter.builder("prism.elsewhere").description("a binder's counter")
                .register(registry).increment(3));
        metrics.beforeScrape(refreshes::incrementAndGet);

        assertThat(metrics.scrape()).contains("# HELP prism_elsewhere_total a binder's counter",
                "prism_elsewhere_total 3.0");
        metrics.scrape();
        assertThat(refreshes).hasValue(2);
    }
}
