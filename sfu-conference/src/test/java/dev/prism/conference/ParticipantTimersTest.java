package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.testkit.TestConference.QuietListener;
import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.clock.Timers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
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
 * {@link ConferenceParticipant#schedule} (signaling's detach timer) goes through the media engine's timers, so under
 * a fake clock it fires when the test advances time, not by the wall clock. A conference over the test kit's
 * {@link EmbeddedMedia} with {@link ManualTimers}.
 */
class ParticipantTimersTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private EmbeddedMedia embedded;
    private ConferenceParticipant participant;

    @BeforeEach
    void join() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock, timers);
        MediaPlane plane = embedded.plane();
        Conference conference = new Conference(plane,
                new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()), CODECS);
        CompletableFuture<ConferenceParticipant> joined = conference.join(new JoinRequest("room", "alice", "Alice",
                true, true), new QuietListener());
        embedded.runPendingTasks();
        participant = joined.get(0, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        participant.leave(LeaveReason.LEFT);
        embedded.runPendingTasks();
        embedded.close();
    }

    @Test
    void aScheduledTaskRunsWhenTheFakeClockReachesItsDelay() {
        AtomicInteger runs = new AtomicInteger();
        participant.schedule(runs::incrementAndGet, 20, TimeUnit.SECONDS);

        timers.advance(Duration.ofMillis(19_999));
        assertThat(runs).hasValue(0);
        timers.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
        timers.advance(Duration.ofSeconds(60));
        assertThat(runs).as("once").hasValue(1);
    }

    @Test
    void aCancelledTaskNeverRuns() {
        AtomicInteger runs = new AtomicInteger();
        Timers.Handle handle = participant.schedule(runs::incrementAndGet, 20, TimeUnit.SECONDS);
        timers.advance(Duration.ofSeconds(10));
        handle.cancel();
        timers.advance(Duration.ofSeconds(60));
        assertThat(runs).hasValue(0);
    }
}
