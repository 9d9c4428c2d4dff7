package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.inspect.ActionOutcome;
import dev.prism.core.inspect.ConnectionPath;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.rtp.transport.MediaEngineConfig;
import dev.prism.rtp.transport.MediaPlane;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conference over a real media plane (one engine on loopback): join, replace, capacity, publish, removal. */
class ConferenceTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final RemoteTransport BROWSER = new RemoteTransport(new IceParameters("brws", "browserpassword123456"),
            new DtlsFingerprint("sha-256", "AA:BB"), DtlsRole.ACTPASS);

    private MediaPlane media;
    private Conference conference;
    private EventLoop loop;

    @BeforeEach
    void start() {
        media = MediaPlane.start(new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30),
                new FakeClock()), 1);
        loop = media.eventLoops().get(0);
        conference = new Conference(media, new InMemoryRoomRegistry(id -> media.placeRoom().eventLoop(), List.of()),
                CODECS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Room r : conference.rooms().rooms()) {
            for (String id : r.participants().stream().map(p -> p.id()).toList()) {
                ConferenceParticipant p = conference.participant(r.id(), id);
                if (p != null) {
                    p.leave(LeaveReason.LEFT).get(5, TimeUnit.SECONDS);
                }
            }
        }
        media.close();
    }

    /** Records what the conference told one participant, and whether every call came on the room's loop. */
    private final class Recorder implements ConferenceListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<RoomEvent> roomEvents = new CopyOnWriteArrayList<>();
        volatile boolean offLoop;

        private void record(String e) {
            offLoop |= !loop.inEventLoop();
            events.add(e);
        }

        @Override
        public void onJoined(ConferenceParticipant participant) {
            record("joined subscriptions=" + participant.subscriptions().size());
        }

        @Override
        public void onRoomEvent(RoomEvent event) {
            roomEvents.add(event);
            record(event.getClass().getSimpleName());
        }

        @Override
        public void onSubscriberOfferNeeded() {
            record("offerNeeded");
        }

        @Override
        public void onSubscriberRenewed() {
            record("renewed");
        }

        @Override
        public void onMediaClosed(String code, String message) {
            record("mediaClosed " + code);
        }

        @Override
        public void onReplaced() {
            record("replaced");
        }

        @Override
        public void onRemoved(LeaveReason reason) {
            record("removed " + reason.wireName());
        }
    }

    private ConferenceParticipant join(String room, String identity, Recorder r) throws Exception {
        return conference.join(new JoinRequest(room, identity, identity, true, true), r).get(5, TimeUnit.SECONDS);
    }

    private static MediaDescription audio(String mid, long ssrc) {
        return new MediaDescription(mid, MediaKind.AUDIO, List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(),
                List.of())), List.of(), List.of(new RtpEncoding(ssrc, 0, null)), "stream", "track-" + mid);
    }

    @Test
    void aJoinFromAnotherThreadCompletesOnTheRoomLoopAfterOnJoined() throws Exception {
        Recorder r = new Recorder();
        CountDownLatch hold = new CountDownLatch(1);
        conference.roomExecutor("r1").execute(() -> {
            try {
                hold.await(5, TimeUnit.SECONDS); // keeps the join queued until the callback below is attached
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicReference<Boolean> completedOnLoop = new AtomicReference<>();
        CompletableFuture<ConferenceParticipant> f = conference.join(new JoinRequest("r1", "alice", "Alice", true,
                true), r);
        CompletableFuture<ConferenceParticipant> seen = f.whenComplete((p, e) -> completedOnLoop.set(loop.inEventLoop()));
        hold.countDown();
        ConferenceParticipant alice = seen.get(5, TimeUnit.SECONDS);

        assertThat(completedOnLoop.get()).isTrue();
        assertThat(r.offLoop).isFalse();
        assertThat(r.events).containsExactly("joined subscriptions=0", "offerNeeded");
        assertThat(alice.isOpen()).isTrue();
        assertThat(conference.participant("r1", "alice")).isSameAs(alice);
        assertThat(alice.nextSubscriberOffer().get(5, TimeUnit.SECONDS)).as("nothing subscribed: no connection")
                .isNull();
    }

    @Test
    void theFirstJoinChoosesTheRoomsVideoCodecAndLaterJoinsFollowIt() throws Exception {
        ConferenceParticipant alice = conference.join(new JoinRequest("codec-1", "alice", "Alice", true, true,
                VideoCodec.H264), new Recorder()).get(5, TimeUnit.SECONDS);
        ConferenceParticipant bob = conference.join(new JoinRequest("codec-1", "bob", "Bob", true, true,
                VideoCodec.VP8), new Recorder()).get(5, TimeUnit.SECONDS);
        ConferenceParticipant carol = join("codec-1", "carol", new Recorder()); // asks for nothing
        // Read after the joins completed on the room's loop (the futures order it).
        assertThat(List.of(alice.room().videoCodec(), bob.room().videoCodec(), carol.room().videoCodec()))
                .containsOnly(VideoCodec.H264);
        assertThat(join("codec-2", "dave", new Recorder()).room().videoCodec()).as("the node's default")
                .isEqualTo(VideoCodec.VP8);
    }

    @Test
    void aCodecTheNodeDoesNotAllowGetsTheDefault() throws Exception {
        conference.videoCodecs(VideoCodec.VP8, java.util.Set.of(VideoCodec.VP8));
        ConferenceParticipant alice = conference.join(new JoinRequest("codec-3", "alice", "Alice", true, true,
                VideoCodec.H264), new Recorder()).get(5, TimeUnit.SECONDS);
        assertThat(alice.room().videoCodec()).isEqualTo(VideoCodec.VP8);
    }

    @Test
    void theSameIdentityReplacesItsPreviousSessionAndTheCapacityCountsItOnce() throws Exception {
        conference.maxParticipantsPerRoom(2);
        Recorder first = new Recorder();
        Recorder bob = new Recorder();
        ConferenceParticipant alice1 = join("r2", "alice", first);
        join("r2", "bob", bob);

        assertThatThrownBy(() -> join("r2", "carol", new Recorder())).cause()
                .isInstanceOfSatisfying(ConferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo("room_full");
                    assertThat(e.getMessage()).isEqualTo("the room is full (2 participants)");
                    assertThat(e.logDetail()).isEqualTo("room holds 2 participants");
                });

        Recorder second = new Recorder();
        ConferenceParticipant alice2 = join("r2", "alice", second); // a reload: admitted although the room is full
        assertThat(first.events).endsWith("replaced");
        assertThat(alice1.isOpen()).isFalse();
        assertThat(alice2.isOpen()).isTrue();
        assertThat(conference.participant("r2", "alice")).isSameAs(alice2);
        assertThat(conference.rooms().get("r2").participants()).hasSize(2);
        assertThat(bob.roomEvents).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                RoomEvent.ParticipantLeft.class, l -> assertThat(l.reason()).isEqualTo(LeaveReason.REPLACED)));
        assertThat(first.offLoop || second.offLoop || bob.offLoop).isFalse();
    }

    @Test
    void publishCreatesProducersBeforeOthersSubscribeAndTheyGetALineToOffer() throws Exception {
        Recorder bobEvents = new Recorder();
        ConferenceParticipant bob = join("r3", "bob", bobEvents);
        ConferenceParticipant alice = join("r3", "alice", new Recorder());
        AtomicReference<LocalTransport> local = new AtomicReference<>();

        String answer = alice.publish(Map.of(), l -> {
            local.set(l);
            return new PublishNegotiation.Negotiated<>("answer-sdp", BROWSER, List.of(audio("0", 1234)));
        }).get(5, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo("answer-sdp");
        assertThat(local.get().ice().ufrag()).isNotBlank();
        assertThat(local.get().candidates()).isNotEmpty();
        Room room = conference.rooms().get("r3");
        String trackId = CompletableFuture.supplyAsync(() -> room.participant("alice").tracks().iterator().next().id(),
                room.executor()).get(5, TimeUnit.SECONDS);
        assertThat(bobEvents.events).containsSubsequence("TrackPublished", "offerNeeded");

        SubscriberOffer offer = bob.nextSubscriberOffer().get(5, TimeUnit.SECONDS);
        assertThat(offer.lines()).singleElement().satisfies(l -> {
            assertThat(l.active()).isTrue();
            assertThat(l.trackId()).isEqualTo(trackId);
            assertThat(l.publisherId()).isEqualTo("alice");
            assertThat(l.kind()).isEqualTo(MediaKind.AUDIO);
        });
        Map<Object, Long> counters = CompletableFuture.supplyAsync(() -> conference.reader().byteCounters(room),
                room.executor()).get(5, TimeUnit.SECONDS);
        assertThat(counters).as("alice's producer and bob's consumer").hasSize(2);
        List<ParticipantMediaStats> stats = conference.mediaStats("r3").get(5, TimeUnit.SECONDS);
        assertThat(stats).filteredOn(s -> s.participantId().equals("alice")).singleElement()
                .satisfies(s -> assertThat(s.published()).singleElement()
                        .satisfies(p -> assertThat(p.trackId()).isEqualTo(trackId)));
        assertThat(conference.dropConsumerForTesting("r3", "bob", trackId).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(conference.dropConsumerForTesting("r3", "bob", trackId).get(5, TimeUnit.SECONDS))
                .as("already stopped").isFalse();
    }

    @Test
    void aRefusedNegotiationPublishesNothing() throws Exception {
        ConferenceParticipant alice = join("r4", "alice", new Recorder());
        Exception refusal = new Exception("bad offer");
        CompletableFuture<String> f = alice.publish(Map.of(), l -> {
            throw refusal;
        });
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(refusal);
        assertThat(conference.mediaStats("r4").get(5, TimeUnit.SECONDS)).singleElement()
                .satisfies(s -> assertThat(s.published()).isEmpty());

        ConferenceParticipant viewer = conference.join(new JoinRequest("r4", "viewer", "Viewer", false, true),
                new Recorder()).get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> viewer.publish(Map.of(), l -> null).get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(ConferenceException.class, e -> assertThat(e.code()).isEqualTo("not_allowed"));
    }

    @Test
    void anOperatorRemovalIsAnEventToTheParticipantsOwnerAndTheRoom() throws Exception {
        Recorder aliceEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        ConferenceParticipant alice = join("r5", "alice", aliceEvents);
        join("r5", "bob", bobEvents);

        ActionOutcome outcome = conference.removeParticipant("r5", "alice").get(5, TimeUnit.SECONDS);

        assertThat(outcome.isDone()).isTrue();
        assertThat(outcome.message()).isEqualTo("participant 'alice' removed from room 'r5'");
        assertThat(aliceEvents.events).endsWith("removed removed");
        assertThat(aliceEvents.offLoop).isFalse();
        assertThat(alice.isOpen()).isFalse();
        assertThat(bobEvents.roomEvents).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                RoomEvent.ParticipantLeft.class, l -> {
                    assertThat(l.participantId()).isEqualTo("alice");
                    assertThat(l.reason()).isEqualTo(LeaveReason.REMOVED);
                }));
        assertThat(conference.removeParticipant("r5", "alice").get(5, TimeUnit.SECONDS).isDone()).isFalse();
        assertThat(conference.removeParticipant("nowhere", "alice").get(5, TimeUnit.SECONDS).message())
                .isEqualTo("no room 'nowhere'");

        assertThat(conference.closeRoom("r5").get(5, TimeUnit.SECONDS).message())
                .isEqualTo("room 'r5' closed; 1 participants removed");
        assertThat(bobEvents.events).endsWith("removed room_closed");
        assertThat(conference.participantCount()).isZero();
    }

    @Test
    void requestsAboutTracksThatAreNotThereAreRefusedWithProtocolCodes() throws Exception {
        ConferenceParticipant alice = join("r6", "alice", new Recorder());
        assertThatThrownBy(() -> alice.setMuted("nope", true).get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(ConferenceException.class, e -> assertThat(e.code()).isEqualTo("unknown_track"));
        assertThatThrownBy(() -> alice.setTrackPreferences("nope", new TrackPreferences(180, 3, false))
                .get(5, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ConferenceException.class,
                        e -> assertThat(e.code()).isEqualTo("unknown_track"));
        assertThatThrownBy(() -> alice.restartSubscriberIce().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(ConferenceException.class, e -> assertThat(e.code()).isEqualTo("bad_request"));
        RepairOutcome repair = alice.repair("gone", "no_media").get(5, TimeUnit.SECONDS);
        assertThat(repair).isEqualTo(new RepairOutcome("state", RepairOutcome.FollowUp.SEND_STATE));
        assertThat(alice.stats().get(5, TimeUnit.SECONDS).repairs()).singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo("state"));
    }

    /**
     * The client's report of a connection's selected pair rides along with Prism's view of that transport: Prism's
     * protocol stays (its transport knows what it uses), the client's candidate and relay are shown, and the family
     * is the client's only while Prism has no remote address. A later report replaces the earlier one.
     */
    @Test
    void theClientsReportOfItsSelectedPairShowsBesidePrismsViewOfTheTransport() throws Exception {
        ConferenceParticipant alice = join("r7", "alice", new Recorder());
        alice.publish(Map.of(), l -> new PublishNegotiation.Negotiated<>("answer-sdp", BROWSER,
                List.of(audio("0", 1234)))).get(5, TimeUnit.SECONDS);
        assertThat(publisherOf("r7", "alice").clientPath()).as("nothing reported yet").isNull();
        assertThat(publisherOf("r7", "alice").candidate()).isEqualTo("unknown");

        ConnectionPath claim = new ConnectionPath("tcp", "relay", "tls", "ipv6");
        alice.reportConnectionPath(ConnectionRole.PUBLISHER, claim).get(5, TimeUnit.SECONDS);
        ParticipantSnapshot.TransportSnapshot pub = publisherOf("r7", "alice");
        assertThat(pub.clientPath()).isEqualTo(claim);
        assertThat(pub.candidate()).isEqualTo("relay_tls");
        assertThat(pub.protocol()).as("Prism's view wins").isEqualTo("udp");
        assertThat(pub.clientDisagrees()).isTrue();
        assertThat(pub.family()).as("no remote address yet: the client's").isEqualTo("ipv6");

        alice.reportConnectionPath(ConnectionRole.PUBLISHER, new ConnectionPath("udp", "host", null, "ipv4"))
                .get(5, TimeUnit.SECONDS);
        assertThat(publisherOf("r7", "alice").candidate()).isEqualTo("host");
        assertThat(publisherOf("r7", "alice").clientDisagrees()).isFalse();
        alice.reportConnectionPath(ConnectionRole.SUBSCRIBER, claim).get(5, TimeUnit.SECONDS);
        assertThat(publisherOf("r7", "alice").candidate()).as("the other connection's report").isEqualTo("host");
    }

    private ParticipantSnapshot.TransportSnapshot publisherOf(String roomId, String identity) throws Exception {
        Room room = conference.rooms().get(roomId);
        RoomSnapshot snapshot = CompletableFuture.supplyAsync(() -> conference.reader().snapshot(room, key -> null, 0),
                room.executor()).get(5, TimeUnit.SECONDS);
        return snapshot.participants().stream().filter(p -> p.id().equals(identity)).findFirst().orElseThrow()
                .publisher();
    }
}
