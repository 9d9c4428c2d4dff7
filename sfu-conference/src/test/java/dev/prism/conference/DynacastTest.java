package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dynacast end to end inside the conference, under a fake clock: a publisher of a q/h/f simulcast track hears which
 * rids its subscribers need, on change only, after the hold, and again after its signaling resumed.
 */
class DynacastTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final RemoteTransport BROWSER = new RemoteTransport(new IceParameters("brws", "browserpassword123456"),
            new DtlsFingerprint("sha-256", "AA:BB"), DtlsRole.ACTPASS);

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private EmbeddedMedia embedded;
    private Conference conference;
    private final Layers aliceHears = new Layers();
    private ConferenceParticipant alice;
    private String trackId;

    @BeforeEach
    void publish() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock, timers);
        MediaPlane plane = embedded.plane();
        conference = new Conference(plane, new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()),
                CODECS);
        alice = join("alice", aliceHears);
        MediaDescription video = new MediaDescription("0", MediaKind.VIDEO, List.of(new RtpCodec(96, "VP8", 90000, 1,
                Map.of(), List.of())), List.of(), List.of(new RtpEncoding(0, 0, "q"), new RtpEncoding(0, 0, "h"),
                new RtpEncoding(0, 0, "f")), "stream", "cam");
        CompletableFuture<String> answer = alice.publish(Map.of(), l -> new PublishNegotiation.Negotiated<>("sdp",
                BROWSER, List.of(video)));
        embedded.runPendingTasks();
        answer.get(0, TimeUnit.SECONDS);
        trackId = alice.room().participant("alice").tracks().iterator().next().id();
    }

    @AfterEach
    void close() {
        for (String id : List.of("alice", "bob")) {
            ConferenceParticipant p = conference.participant("room", id);
            if (p != null) {
                p.leave(LeaveReason.LEFT);
            }
        }
        embedded.runPendingTasks();
        embedded.close();
    }

    private ConferenceParticipant join(String identity, ConferenceListener listener) throws Exception {
        CompletableFuture<ConferenceParticipant> joined = conference.join(new JoinRequest("room", identity, identity,
                true, true), listener);
        embedded.runPendingTasks();
        return joined.get(0, TimeUnit.SECONDS);
    }

    private void prefer(ConferenceParticipant p, TrackPreferences prefs) throws Exception {
        CompletableFuture<TrackPreferences> f = p.setTrackPreferences(trackId, prefs);
        embedded.runPendingTasks();
        f.get(0, TimeUnit.SECONDS);
    }

    private void advance(long millis) {
        timers.advance(Duration.ofMillis(millis));
        embedded.runPendingTasks();
    }

    @Test
    void aSubscriberThatPausesLeavesOnlyTheLowestLayerAfterTheHoldAndGetsEverythingBackAtOnce() throws Exception {
        ConferenceParticipant bob = join("bob", new Layers());
        advance(5_000);
        assertThat(aliceHears.messages).as("bob wants everything (no limit): nothing to say").isEmpty();

        prefer(bob, new TrackPreferences(0, TrackPreferences.DEFAULT_MAX_TEMPORAL, true));
        advance(2_750);
        assertThat(aliceHears.messages).as("held").isEmpty();
        advance(500);
        assertThat(aliceHears.messages).containsExactly(trackId + "=[q]");

        prefer(bob, new TrackPreferences(0, TrackPreferences.DEFAULT_MAX_TEMPORAL, false));
        advance(250);
        assertThat(aliceHears.messages).as("back within one tick").containsExactly(trackId + "=[q]",
                trackId + "=[q, h, f]");
        advance(10_000);
        assertThat(aliceHears.messages).as("only on change").hasSize(2);
    }

    @Test
    void withNobodySubscribedOnlyTheLowestStaysAndTheFirstSubscriberTurnsTheRestOn() throws Exception {
        advance(3_250);
        assertThat(aliceHears.messages).containsExactly(trackId + "=[q]");

        join("bob", new Layers());
        advance(250);
        assertThat(aliceHears.messages).as("250 ms after the last message: waits for the interval").hasSize(1);
        advance(250);
        assertThat(aliceHears.messages).containsExactly(trackId + "=[q]", trackId + "=[q, h, f]");
    }

    @Test
    void theLastAnnouncementIsSentAgainAfterThePublishersSignalingResumed() throws Exception {
        advance(3_250);
        assertThat(aliceHears.messages).containsExactly(trackId + "=[q]");
        alice.signalingState(true, 0);
        alice.signalingState(false, 1);
        advance(250);
        assertThat(aliceHears.messages).containsExactly(trackId + "=[q]", trackId + "=[q]");
    }

    @Test
    void aTrackTheSubscriberPausedIsNotRepaired() throws Exception {
        ConferenceParticipant bob = join("bob", new Layers());
        prefer(bob, new TrackPreferences(0, TrackPreferences.DEFAULT_MAX_TEMPORAL, true));
        CompletableFuture<RepairOutcome> repaired = bob.repair(trackId, "no_media");
        embedded.runPendingTasks();
        assertThat(repaired.get(0, TimeUnit.SECONDS).action()).as("nothing is expected of a paused track")
                .isEqualTo("paused");
    }

    @Test
    void theTickStopsWhenThePublisherLeaves() throws Exception {
        alice.leave(LeaveReason.LEFT);
        embedded.runPendingTasks();
        advance(10_000);
        assertThat(aliceHears.messages).isEmpty();
    }

    /** Records what the conference tells a publisher about its layers. */
    private static final class Layers implements ConferenceListener {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onPublisherLayers(String trackId, List<String> activeRids) {
            messages.add(trackId + "=" + activeRids);
        }

        @Override
        public void onJoined(ConferenceParticipant participant) {
        }

        @Override
        public void onRoomEvent(RoomEvent event) {
        }

        @Override
        public void onSubscriberOfferNeeded() {
        }

        @Override
        public void onSubscriberRenewed() {
        }

        @Override
        public void onMediaClosed(String code, String message) {
        }

        @Override
        public void onReplaced() {
        }

        @Override
        public void onRemoved(LeaveReason reason) {
        }
    }
}
