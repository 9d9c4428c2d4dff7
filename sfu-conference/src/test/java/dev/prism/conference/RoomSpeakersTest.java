package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room's speaker loop under a fake clock: alice's Opus packets (with RFC 6464 levels) go through the real
 * engine, the 100 ms tick reads them, and bob hears {@code onSpeakers}: within 500 ms of alice starting to speak, at
 * most once per 300 ms, only on change, and again when she stops.
 */
class RoomSpeakersTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final long MIC = 0xA11CE;

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final List<long[]> heardAt = new ArrayList<>(); // clock millis, speaker count
    private final List<ActiveSpeakers> heard = new ArrayList<>();
    private EmbeddedMedia embedded;
    private Conference conference;
    private ConferenceParticipant alice;
    private ConferenceParticipant bob;

    @BeforeEach
    void join() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock, timers);
        MediaPlane plane = embedded.plane();
        conference = new Conference(plane, new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()),
                CODECS);
        CompletableFuture<ConferenceParticipant> a = conference.join(new JoinRequest("room", "alice", "Alice", true,
                true), new Listener(null));
        CompletableFuture<ConferenceParticipant> b = conference.join(new JoinRequest("room", "bob", "Bob", true,
                true), new Listener(this));
        embedded.runPendingTasks();
        alice = a.get(0, TimeUnit.SECONDS);
        bob = b.get(0, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        alice.leave(LeaveReason.LEFT);
        bob.leave(LeaveReason.LEFT);
        embedded.runPendingTasks();
        embedded.close();
    }

    private static ByteBuf opus(int seq, int level) {
        ByteBuf b = Unpooled.buffer(24);
        b.writeByte(0x90).writeByte(111).writeShort(seq).writeInt(seq * 960).writeInt((int) MIC);
        b.writeShort(0xBEDE).writeShort(1).writeByte(0x10).writeByte(level).writeShort(0);
        b.writeByte(0xFC).writeByte(1).writeByte(2);
        return b;
    }

    @Test
    void bobHearsAliceSpeakWithinHalfASecondThrottledAndOnlyOnChange() {
        Room room = conference.rooms().get("room");
        RoomRouter router = conference.router(room);
        PublisherEndpoint publisher = new PublisherEndpoint(embedded.engine().counters(), router.rtcp(), (t, r) -> { });
        WebRtcTransport transport = embedded.createTransport("alice-pub", publisher);
        publisher.bind(transport);
        router.addProducer("alice-mic", "alice", new MediaDescription("0", MediaKind.AUDIO,
                List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())),
                List.of(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL)), List.of(new RtpEncoding(MIC, 0, null)),
                "alice", "mic"), MIC, 0, publisher);
        FakePeer peer = embedded.connectPeer(transport, new InetSocketAddress("10.0.0.1", 5000),
                SrtpProfile.AEAD_AES_128_GCM, 1);
        long start = clock.nanos() / 1_000_000;
        int seq = 0;
        // 1 s of silence packets, 2 s of speech at -25 dBov, then 2 s of DTX (nothing sent).
        for (int ms = 0; ms < 5000; ms += 20) {
            if (ms < 3000) {
                ByteBuf plain = opus(seq++, ms < 1000 ? 127 : 25);
                try {
                    embedded.receive(peer.rtp(plain));
                } finally {
                    plain.release();
                }
            }
            timers.advanceMillis(20);
            embedded.drainOutbound();
        }
        assertThat(heard).as("alice starts, alice stops").hasSize(2);
        assertThat(heard.get(0).speakers()).extracting(SpeakerDetector.Speaker::participantId)
                .containsExactly("alice");
        assertThat(heard.get(0).dominant()).isEqualTo("alice");
        long latency = heardAt.get(0)[0] - start - 1000;
        assertThat(latency).as("speaker update after speech starts (ms)").isBetween(0L, 500L);
        assertThat(heard.get(1).speakers()).isEmpty();
        assertThat(heard.get(1).dominant()).as("the last speaker stays dominant").isEqualTo("alice");
        assertThat(heardAt.get(1)[0] - start).as("after the 600 ms hangover following the DTX gap").isBetween(3600L,
                4000L);
        assertThat(conference.existingSpeakers(room).updatesSent()).isEqualTo(2);
    }

    @Test
    void topNPlacesLeaveOutTheSubscribersOwnStream() {
        // Ranks in the room, 0 = loudest; n = 2.
        assertThat(RoomSpeakers.amongTopN(0, 5, 2)).isTrue();
        assertThat(RoomSpeakers.amongTopN(1, 5, 2)).isTrue();
        assertThat(RoomSpeakers.amongTopN(2, 5, 2)).isFalse();
        assertThat(RoomSpeakers.amongTopN(2, 0, 2)).as("own stream is loudest: 3rd is its 2nd").isTrue();
        assertThat(RoomSpeakers.amongTopN(3, 0, 2)).isFalse();
        assertThat(RoomSpeakers.amongTopN(2, Integer.MAX_VALUE, 2)).as("a subscriber that publishes no audio")
                .isFalse();
    }

    private static final class Listener implements ConferenceListener {
        private final RoomSpeakersTest test;

        Listener(RoomSpeakersTest test) {
            this.test = test;
        }

        @Override
        public void onSpeakers(ActiveSpeakers speakers) {
            if (test != null) {
                test.heard.add(speakers);
                test.heardAt.add(new long[] {test.clock.nanos() / 1_000_000, speakers.speakers().size()});
            }
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
