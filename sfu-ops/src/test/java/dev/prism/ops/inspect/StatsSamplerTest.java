package dev.prism.ops.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.Conference;
import dev.prism.conference.ConferenceParticipant;
import dev.prism.conference.testkit.TestConference;
import dev.prism.core.clock.FakeClock;
import dev.prism.core.inspect.ParticipantHistory;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.room.Room;
import dev.prism.rtp.transport.EmbeddedMedia;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The once-a-second room sample: each participant's history point, the gauges' counts and the listeners' figures are
 * those of the room's snapshot, and no snapshot is built for them (the read model is built when the admin API or a
 * listener asks; a sample allocates only the history points). A conference over the test kit's
 * {@link EmbeddedMedia} with a fake clock; the test runs the room's loop.
 */
class StatsSamplerTest {
    private final TestConference fixture = new TestConference();
    private final FakeClock clock = fixture.clock;
    private final EmbeddedMedia embedded = fixture.embedded;
    private final Conference conference = fixture.conference;
    private StatsSampler sampler;
    private ConferenceParticipant alice;
    private Room room;

    @BeforeEach
    void start() throws Exception {
        alice = fixture.join("alice");
        ConferenceParticipant bob = fixture.join("bob");
        fixture.join("carol");
        fixture.publishTwoAudioTracks(alice);
        bob.nextSubscriberOffer();
        embedded.runPendingTasks();
        room = conference.rooms().get("r");
        sampler = new StatsSampler(conference, clock, Duration.ofSeconds(1), 10, List.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void historyCountsAndListenersSeeTheSnapshotsFigures() {
        List<String> heard = new ArrayList<>();
        sampler.addListener((tracks, up, down, estimate, subscribes) -> heard.add(tracks + " " + up + " " + down + " "
                + estimate + " " + subscribes));
        for (int i = 0; i < 3; i++) {
            clock.advanceMillis(1000);
            sampler.sampleNow();
            embedded.runPendingTasks(); // the room's sample runs on its loop
        }
        RoomSnapshot snapshot = conference.reader().snapshot(room, sampler.statsOf(room), clock.wallMillis());
        List<String> expected = new ArrayList<>();
        for (ParticipantSnapshot p : snapshot.participants()) {
            List<ParticipantHistory.Point> h = sampler.statsOf(room).history(p.id());
            assertThat(h).as(p.id()).hasSize(3);
            assertThat(h.get(2)).isEqualTo(new ParticipantHistory.Point(clock.wallMillis(), p.link().uplinkBps(),
                    p.link().downlinkBps(), p.link().bandwidthEstimateBps(), p.link().lossFraction()));
            expected.add(p.tracks().size() + " " + nan(p.link().uplinkBps()) + " " + nan(p.link().downlinkBps()) + " "
                    + nan(p.link().bandwidthEstimateBps()) + " " + (p.subscriber() != null));
        }
        assertThat(heard.subList(heard.size() - 3, heard.size())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(sampler.participants()).isEqualTo(3);
        assertThat(sampler.tracks()).isEqualTo(snapshot.trackCount()).isEqualTo(2);
        int[] tally = ConnectionTally.count(snapshot);
        for (String t : ConnectionTally.TRANSPORTS) {
            for (String f : ConnectionTally.FAMILIES) {
                for (String c : ConnectionTally.CANDIDATES) {
                    assertThat(sampler.connections(t, f, c)).isEqualTo(tally[ConnectionTally.index(t, f, c)]);
                }
            }
        }

        fixture.leave(alice);
        embedded.runPendingTasks();
        clock.advanceMillis(1000);
        sampler.sampleNow();
        embedded.runPendingTasks();
        assertThat(sampler.statsOf(room).history("alice")).as("left: forgotten").isNull();
        assertThat(sampler.participants()).isEqualTo(2);
        assertThat(sampler.tracks()).isZero();
    }

    /** Before: every sample built the room's snapshot (records per participant, track, consumer and stream). */
    @Test
    void aSampleBuildsNoSnapshot() {
        sampler.addListener((tracks, up, down, estimate, subscribes) -> { });
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 5_000; i++) {
            clock.advanceMillis(1000);
            sampler.sampleRoom(room);
        }
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000; i++) {
            clock.advanceMillis(1000);
            sampler.sampleRoom(room);
        }
        double perSample = (mx.getThreadAllocatedBytes(id) - before) / 1_000.0;
        for (int i = 0; i < 5_000; i++) {
            conference.reader().snapshot(room, sampler.statsOf(room), 0);
        }
        before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000; i++) {
            conference.reader().snapshot(room, sampler.statsOf(room), 0);
        }
        double perSnapshot = (mx.getThreadAllocatedBytes(id) - before) / 1_000.0;
        assertThat(perSample).as("bytes per sample of 3 participants (a snapshot: %.0f B)", perSnapshot)
                .isLessThan(perSnapshot / 4);
        // What is left (~2 KB here): the history points and their boxed figures, the conference's participant key
        // per lookup, iterators over the room's collections, the byte counters' consumer lists.
        assertThat(perSample).as("the history points, lookups, iterators").isLessThan(4096);
    }

    private static String nan(Double v) {
        return String.valueOf(v == null ? Double.NaN : v);
    }
}
