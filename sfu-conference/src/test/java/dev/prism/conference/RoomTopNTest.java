package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.testkit.TestConference.QuietListener;
import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.downlink.AudioConsumer;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Top-N audio through the conference: four participants publish audio with RFC 6464 levels in a room whose first
 * join's claim set N = 1; after the room's ticks each subscriber's gates forward only the loudest of the others.
 */
class RoomTopNTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final String[] IDS = {"a", "b", "c", "d"};
    /** a speaks loudest, b at -35 dBov, c and d are silent. */
    private static final int[] LEVELS = {20, 35, 127, 127};

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final List<ConferenceParticipant> participants = new ArrayList<>();
    private EmbeddedMedia embedded;

    @AfterEach
    void close() {
        participants.forEach(p -> p.leave(LeaveReason.LEFT));
        embedded.runPendingTasks();
        embedded.close();
    }

    private static ByteBuf opus(long ssrc, int seq, int level) {
        ByteBuf b = Unpooled.buffer(24);
        b.writeByte(0x90).writeByte(111).writeShort(seq).writeInt(seq * 960).writeInt((int) ssrc);
        b.writeShort(0xBEDE).writeShort(1).writeByte(0x10).writeByte(level).writeShort(0);
        b.writeByte(0xFC).writeByte(1).writeByte(2);
        return b;
    }

    @Test
    void eachSubscriberGetsOnlyTheLoudestOfTheOthers() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock, timers);
        MediaPlane plane = embedded.plane();
        Conference conference = new Conference(plane,
                new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()), CODECS);
        List<FakePeer> peers = new ArrayList<>();
        for (int i = 0; i < IDS.length; i++) {
            CompletableFuture<ConferenceParticipant> joined = conference.join(new JoinRequest("room", IDS[i], IDS[i],
                    true, true, null, i == 0 ? 1 : 5), new QuietListener()); // only the first join's claim counts
            embedded.runPendingTasks();
            ConferenceParticipant p = joined.get(0, TimeUnit.SECONDS);
            participants.add(p);
            long ssrc = 0x1000 + i;
            MediaDescription mic = new MediaDescription("0", MediaKind.AUDIO,
                    List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())),
                    List.of(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL)), List.of(new RtpEncoding(ssrc, 0, null)),
                    IDS[i], "mic");
            String ufrag = "u" + i;
            CompletableFuture<String> published = p.publish(Map.of("0", TrackSource.MICROPHONE),
                    local -> new PublishNegotiation.Negotiated<>("answer", new RemoteTransport(
                            new IceParameters(ufrag, "remotePassword0123456789"),
                            new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE), List.of(mic)));
            embedded.runPendingTasks();
            assertThat(published.get(0, TimeUnit.SECONDS)).isEqualTo("answer");
            peers.add(embedded.connectPeer(p.publisherTransport(), new InetSocketAddress("10.0.0." + (i + 1), 5000),
                    SrtpProfile.AEAD_AES_128_GCM, i + 1));
        }
        for (int seq = 0; seq < 50; seq++) { // 1 s of 20 ms packets
            for (int i = 0; i < IDS.length; i++) {
                ByteBuf plain = opus(0x1000 + i, seq, LEVELS[i]);
                try {
                    embedded.receive(peers.get(i).rtp(plain));
                } finally {
                    plain.release();
                }
            }
            timers.advanceMillis(20);
            embedded.drainOutbound();
        }
        assertThat(conference.existingSpeakers(conference.rooms().get("room")).topN()).isEqualTo(1);
        assertThat(forwarded(participants.get(3))).as("d: only a").containsExactly("a");
        assertThat(forwarded(participants.get(2))).as("c: only a").containsExactly("a");
        assertThat(forwarded(participants.get(0))).as("a: its own stream takes no place, b is next").containsExactly("b");
        assertThat(selection(participants.get(1))).as("b: a; c and d withheld (silent: stopped at once)")
                .isEqualTo(Map.of("a", true, "c", false, "d", false));
    }

    /** The publishers whose audio this participant's gates forward now. */
    private static List<String> forwarded(ConferenceParticipant p) {
        return selection(p).entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    private static Map<String, Boolean> selection(ConferenceParticipant p) {
        Map<String, Boolean> out = new TreeMap<>();
        for (SubscriberSlot s : p.subscriberSide().slots()) {
            if (s.active() && s.consumer instanceof AudioConsumer a) {
                out.put(s.publisherId, a.topNGate().selected());
            }
        }
        return out;
    }
}
