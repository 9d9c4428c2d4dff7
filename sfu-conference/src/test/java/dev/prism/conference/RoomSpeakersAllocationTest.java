package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.uplink.AudioLevelMeter;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The room's speaker tick allocates nothing in a steady state: four participants publish audio in a top-N room (N = 1),
 * a and b speak at constant levels (so the speaker list, the dominant speaker and the top-N selection stay the same),
 * and every participant subscribes to the others' audio. The tick runs every 100 ms in every room, so its garbage
 * adds up across a node (it was ~10 % of the load run's allocation samples).
 */
class RoomSpeakersAllocationTest {
    private static final SubscriberCodecPlan CODECS = new SubscriberCodecPlan(111, 96, 97, 1, 2);
    private static final String[] IDS = {"a", "b", "c", "d"};
    /** a speaks loudest, b at -35 dBov, c and d are silent. */
    private static final int[] LEVELS = {20, 35, 127, 127};
    private static final int WARM_UP_TICKS = 20_000;
    private static final int MEASURED_TICKS = 5_000;

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final List<ConferenceParticipant> participants = new ArrayList<>();
    private final List<ByteBuf> buffers = new ArrayList<>();
    private EmbeddedMedia embedded;

    @AfterEach
    void close() {
        buffers.forEach(ByteBuf::release);
        participants.forEach(p -> p.leave(LeaveReason.LEFT));
        embedded.runPendingTasks();
        embedded.close();
    }

    @Test
    void aSteadyStateTickAllocatesNothing() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock, timers);
        MediaPlane plane = embedded.plane();
        Conference conference = new Conference(plane,
                new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()), CODECS);
        for (int i = 0; i < IDS.length; i++) {
            CompletableFuture<ConferenceParticipant> joined = conference.join(new JoinRequest("room", IDS[i], IDS[i],
                    true, true, null, 1), new Quiet());
            embedded.runPendingTasks();
            ConferenceParticipant p = joined.get(0, TimeUnit.SECONDS);
            participants.add(p);
            MediaDescription mic = new MediaDescription("0", MediaKind.AUDIO,
                    List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())),
                    List.of(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL)),
                    List.of(new RtpEncoding(0x1000 + i, 0, null)), IDS[i], "mic");
            String ufrag = "u" + i;
            CompletableFuture<String> published = p.publish(Map.of("0", TrackSource.MICROPHONE),
                    local -> new PublishNegotiation.Negotiated<>("answer", new RemoteTransport(
                            new IceParameters(ufrag, "remotePassword0123456789"),
                            new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE), List.of(mic)));
            embedded.runPendingTasks();
            assertThat(published.get(0, TimeUnit.SECONDS)).isEqualTo("answer");
        }
        Room room = conference.rooms().get("room");
        RoomSpeakers speakers = conference.existingSpeakers(room);
        assertThat(speakers.topN()).isEqualTo(1);
        // Each producer's meter and the packet (with its level) it reads five times per tick, as 20 ms Opus would.
        List<AudioLevelMeter> meters = new ArrayList<>();
        List<RtpPacket> packets = new ArrayList<>();
        for (Producer p : conference.router(room).producers()) {
            meters.add(p.audioLevel());
            packets.add(packet(LEVELS[List.of(IDS).indexOf(p.participantId())]));
        }
        assertThat(meters).hasSize(IDS.length).doesNotContainNull();
        AudioLevelMeter[] meterArray = meters.toArray(new AudioLevelMeter[0]);
        RtpPacket[] packetArray = packets.toArray(new RtpPacket[0]);
        Runnable tick = () -> {
            for (int i = 0; i < meterArray.length; i++) {
                for (int k = 0; k < SpeakerDetector.EXPECTED_PACKETS; k++) {
                    meterArray[i].onPacket(packetArray[i], clock.nanos());
                }
            }
            clock.advanceMillis(SpeakerDetector.TICK_MILLIS);
            speakers.tick();
        };

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP_TICKS; i++) {
            tick.run();
        }
        long updatesBefore = speakers.updatesSent();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED_TICKS; i++) {
            tick.run();
        }
        long bytes = mx.getThreadAllocatedBytes(thread) - before;

        assertThat(speakers.current().speakers()).extracting(SpeakerDetector.Speaker::participantId)
                .containsExactly("a", "b");
        assertThat(speakers.current().dominant()).isEqualTo("a");
        assertThat(speakers.updatesSent()).as("steady: no update sent while measuring").isEqualTo(updatesBefore);
        // JIT compilation may leave a few hundred bytes in the whole window; one object per tick would be >= 16.
        assertThat(bytes / (double) MEASURED_TICKS).as("bytes allocated per steady-state tick").isLessThan(1);
    }

    private RtpPacket packet(int level) {
        ByteBuf b = Unpooled.buffer(24);
        b.writeByte(0x90).writeByte(111).writeShort(1).writeInt(960).writeInt(0x1000);
        b.writeShort(0xBEDE).writeShort(1).writeByte(0x10).writeByte(level).writeShort(0);
        b.writeByte(0xFC).writeByte(1).writeByte(2);
        buffers.add(b);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(b)).isTrue();
        return p;
    }

    private static final class Quiet implements ConferenceListener {
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
