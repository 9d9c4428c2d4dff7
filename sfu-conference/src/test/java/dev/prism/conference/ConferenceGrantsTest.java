package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
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
import dev.prism.rtp.alloc.QualityCap;
import dev.prism.rtp.transport.MediaEngineConfig;
import dev.prism.rtp.transport.MediaPlane;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grants changed live (the server API) and per-room participant limits, over a real media plane on loopback. */
class ConferenceGrantsTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final RemoteTransport BROWSER = new RemoteTransport(new IceParameters("brws", "browserpassword123456"),
            new DtlsFingerprint("sha-256", "AA:BB"), DtlsRole.ACTPASS);

    private MediaPlane media;
    private Conference conference;

    @BeforeEach
    void start() {
        media = MediaPlane.start(new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30),
                new FakeClock()), 1);
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

    private static final class Recorder implements ConferenceListener {
        final List<Object> events = new CopyOnWriteArrayList<>();

        @Override
        public void onJoined(ConferenceParticipant participant) {
        }

        @Override
        public void onRoomEvent(RoomEvent event) {
            events.add(event);
        }

        @Override
        public void onSubscriberOfferNeeded() {
            events.add("offerNeeded");
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

    private ConferenceParticipant join(String room, String identity, Recorder r) throws Exception {
        return conference.join(new JoinRequest(room, identity, identity, true, true), r).get(5, TimeUnit.SECONDS);
    }

    private static MediaDescription audio(String mid, long ssrc) {
        return new MediaDescription(mid, MediaKind.AUDIO, List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(),
                List.of())), List.of(), List.of(new RtpEncoding(ssrc, 0, null)), "stream", "track-" + mid);
    }

    private void publishAudio(ConferenceParticipant p) throws Exception {
        p.publish(Map.of(), l -> new PublishNegotiation.Negotiated<>("answer", BROWSER, List.of(audio("0", 4321))))
                .get(5, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Room room, java.util.function.Supplier<T> read) throws Exception {
        return CompletableFuture.supplyAsync(read, room.executor()).get(5, TimeUnit.SECONDS);
    }

    @Test
    void revokingPublishUnpublishesEveryTrackAndRefusesTheNextOffer() throws Exception {
        Recorder bobEvents = new Recorder();
        ConferenceParticipant alice = join("g1", "alice", new Recorder());
        ConferenceParticipant bob = join("g1", "bob", bobEvents);
        publishAudio(alice);
        Room room = conference.rooms().get("g1");
        String trackId = onLoop(room, () -> room.participant("alice").tracks().iterator().next().id());
        assertThat(onLoop(room, () -> bob.receives(trackId))).isTrue();

        assertThat(alice.updateGrants(false, null, null).get(5, TimeUnit.SECONDS)).isTrue();

        assertThat(bobEvents.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                RoomEvent.TrackUnpublished.class, u -> assertThat(u.track().id()).isEqualTo(trackId)));
        assertThat(onLoop(room, () -> bob.receives(trackId))).isFalse();
        assertThat(onLoop(room, () -> room.participant("alice").tracks())).isEmpty();
        assertThat(onLoop(room, () -> room.participant("alice").canPublish())).isFalse();
        assertThat(alice.canPublish()).isFalse();
        assertThatThrownBy(() -> publishAudio(alice)).cause().isInstanceOfSatisfying(ConferenceException.class,
                e -> assertThat(e.code()).isEqualTo("not_allowed"));

        assertThat(alice.updateGrants(true, null, false).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.canData()).isFalse();
        publishAudio(alice);
        assertThat(onLoop(room, () -> room.participant("alice").tracks())).hasSize(1);
    }

    @Test
    void revokingSubscribeDropsSubscriptionsAndGrantingItBackSubscribesAgain() throws Exception {
        Recorder bobEvents = new Recorder();
        ConferenceParticipant alice = join("g2", "alice", new Recorder());
        ConferenceParticipant bob = join("g2", "bob", bobEvents);
        publishAudio(alice);
        Room room = conference.rooms().get("g2");
        String trackId = onLoop(room, () -> room.participant("alice").tracks().iterator().next().id());

        bobEvents.events.clear();
        bob.updateGrants(null, false, null).get(5, TimeUnit.SECONDS);
        assertThat(onLoop(room, () -> bob.receives(trackId))).isFalse();
        assertThat(bobEvents.events).contains("offerNeeded");
        bob.updateGrants(null, true, null).get(5, TimeUnit.SECONDS);
        assertThat(onLoop(room, () -> bob.receives(trackId))).isTrue();

        bob.leave(LeaveReason.LEFT).get(5, TimeUnit.SECONDS);
        assertThat(bob.updateGrants(false, false, false).get(5, TimeUnit.SECONDS)).as("gone").isFalse();
    }

    @Test
    void aLiveGrantChangesOnlyPublishSubscribeAndDataNotTheTokensOtherGrants() throws Exception {
        conference.maxPublishersPerRoom(1);
        ParticipantGrants hiddenCapped = new ParticipantGrants(true, new QualityCap(360, 0), 0);
        ConferenceParticipant recorder = conference.join(new JoinRequest("g3", "rec", "rec", true, true, null,
                hiddenCapped), new Recorder()).get(5, TimeUnit.SECONDS);
        Room room = conference.rooms().get("g3");
        assertThat(recorder.canPublish()).as("a hidden participant never publishes").isFalse();

        assertThat(recorder.updateGrants(true, null, false).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.canPublish()).isFalse();
        assertThat(onLoop(room, () -> room.participant("rec").canPublish())).isFalse();
        assertThat(recorder.canData()).isFalse();
        assertThat(recorder.grants()).isEqualTo(hiddenCapped);
        assertThatThrownBy(() -> publishAudio(recorder)).cause().isInstanceOfSatisfying(ConferenceException.class,
                e -> assertThat(e.code()).isEqualTo("not_allowed"));

        ConferenceParticipant viewer = conference.join(new JoinRequest("g3", "viewer", "viewer", false, true),
                new Recorder()).get(5, TimeUnit.SECONDS);
        publishAudio(join("g3", "speaker", new Recorder()));
        viewer.updateGrants(true, null, null).get(5, TimeUnit.SECONDS);
        assertThat(viewer.canPublish()).isTrue();
        assertThatThrownBy(() -> publishAudio(viewer)).as("the room's publisher limit still holds").cause()
                .isInstanceOfSatisfying(ConferenceException.class,
                        e -> assertThat(e.code()).isEqualTo("publishers_full"));
    }

    @Test
    void aRoomsOwnLimitWinsOverTheNodes() throws Exception {
        conference.roomMaxParticipants(id -> id.equals("small") ? 1 : 0).maxParticipantsPerRoom(3);
        join("small", "a", new Recorder());
        assertThatThrownBy(() -> join("small", "b", new Recorder())).cause()
                .isInstanceOfSatisfying(ConferenceException.class, e -> assertThat(e.code()).isEqualTo("room_full"));
        join("big", "a", new Recorder());
        join("big", "b", new Recorder());
        join("big", "c", new Recorder());
        assertThatThrownBy(() -> join("big", "d", new Recorder())).cause()
                .isInstanceOfSatisfying(ConferenceException.class, e -> assertThat(e.code()).isEqualTo("room_full"));
    }
}
