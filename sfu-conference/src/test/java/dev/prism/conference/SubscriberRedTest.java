package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.prism.rtp.router.downlink.AudioConsumer;
import dev.prism.rtp.transport.MediaEngineConfig;
import dev.prism.rtp.transport.MediaPlane;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opus RED through the conference: the RED payload type a subscriber's answer keeps on an audio line reaches that
 * line's consumer (RED forwarded as is), and an answer without it sets it back (RED stripped to Opus).
 */
class SubscriberRedTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final RemoteTransport BROWSER = new RemoteTransport(new IceParameters("brws", "browserpassword123456"),
            new DtlsFingerprint("sha-256", "AA:BB"), DtlsRole.ACTIVE);
    private static final RtpCodec OPUS = new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of());
    private static final RtpCodec RED = new RtpCodec(63, "red", 48000, 2, Map.of("111/111", ""), List.of());

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

    @Test
    void theAnswersRedReachesTheAudioConsumer() throws Exception {
        ConferenceParticipant bob = join("bob");
        ConferenceParticipant alice = join("alice");
        alice.publish(Map.of(), l -> new PublishNegotiation.Negotiated<>("answer-sdp", BROWSER,
                List.of(new MediaDescription("0", MediaKind.AUDIO, List.of(OPUS, RED), List.of(),
                        List.of(new RtpEncoding(1234, 0, null)), "alice", "mic")))).get(5, TimeUnit.SECONDS);
        SubscriberOffer offer = bob.nextSubscriberOffer().get(5, TimeUnit.SECONDS);
        SubscriberLine line = offer.lines().get(0);
        AudioConsumer consumer = audioConsumer();
        assertThat(consumer.redPayloadType()).as("before any answer: stripped").isEqualTo(-1);

        bob.applySubscriberAnswer(BROWSER, Map.of(line.mid(), answered(line, OPUS, RED))).get(5, TimeUnit.SECONDS);
        assertThat(consumer.redPayloadType()).as("the answer kept RED on 63").isEqualTo(63);

        bob.applySubscriberAnswer(BROWSER, Map.of(line.mid(), answered(line, OPUS))).get(5, TimeUnit.SECONDS);
        assertThat(consumer.redPayloadType()).as("a later answer without RED").isEqualTo(-1);
    }

    private static MediaDescription answered(SubscriberLine line, RtpCodec... codecs) {
        return new MediaDescription(line.mid(), MediaKind.AUDIO, List.of(codecs), List.of(),
                List.of(new RtpEncoding(line.ssrc(), 0, null)), "alice", "mic");
    }

    private AudioConsumer audioConsumer() throws Exception {
        Room room = conference.rooms().get("red");
        Map<Object, Long> objects = CompletableFuture.supplyAsync(() -> conference.reader().byteCounters(room),
                room.executor()).get(5, TimeUnit.SECONDS);
        return objects.keySet().stream().filter(AudioConsumer.class::isInstance).map(AudioConsumer.class::cast)
                .findFirst().orElseThrow();
    }

    private ConferenceParticipant join(String identity) throws Exception {
        return conference.join(new JoinRequest("red", identity, identity, true, true), new ConferenceListener() {
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
        }).get(5, TimeUnit.SECONDS);
    }
}
