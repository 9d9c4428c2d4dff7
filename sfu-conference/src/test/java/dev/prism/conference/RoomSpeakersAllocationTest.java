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
import dev.prism.rtp.router.downlink.AudioConsumer;
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

    private Conference conference;
    private RoomSpeakers speakers;
    /** Per producer (in publication order): its meter, and the index in {@link #IDS} of its publisher. */
    private AudioLevelMeter[] meters;
    private int[] publisherOf;
    /** The level each publisher sends now, by index in {@link #IDS}; a test may change it between ticks. */
    private final int[] levels = LEVELS.clone();
    private final Map<Integer, RtpPacket> packetOfLevel = new java.util.HashMap<>();
    private RtpPacket[] packetsNow;

    /** Four participants join a top-N room (N = 1) and publish audio; each subscribes to the others. */
    private void joinFour() throws Exception {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock, timers);
        MediaPlane plane = embedded.plane();
        conference = new Conference(plane, new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()),
                CODECS);
        for (int i = 0; i < IDS.length; i++) {
            ConferenceParticipant p = join(IDS[i], new Recording());
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
        speakers = conference.existingSpeakers(room);
        assertThat(speakers.topN()).isEqualTo(1);
        List<AudioLevelMeter> found = new ArrayList<>();
        List<Integer> publishers = new ArrayList<>();
        for (Producer p : conference.router(room).producers()) {
            found.add(p.audioLevel());
            publishers.add(List.of(IDS).indexOf(p.participantId()));
        }
        assertThat(found).hasSize(IDS.length).doesNotContainNull();
        meters = found.toArray(new AudioLevelMeter[0]);
        publisherOf = publishers.stream().mapToInt(Integer::intValue).toArray();
        packetsNow = new RtpPacket[meters.length];
        choosePackets();
    }

    private ConferenceParticipant join(String id, Recording listener) throws Exception {
        CompletableFuture<ConferenceParticipant> joined = conference.join(new JoinRequest("room", id, id, true, true,
                null, 1), listener);
        embedded.runPendingTasks();
        ConferenceParticipant p = joined.get(0, TimeUnit.SECONDS);
        participants.add(p);
        return p;
    }

    /** After a change of {@link #levels}: the packet each meter reads from the next tick on. */
    private void choosePackets() {
        for (int i = 0; i < meters.length; i++) {
            packetsNow[i] = packetOfLevel.computeIfAbsent(levels[publisherOf[i]], this::packet);
        }
    }

    /** One 100 ms tick: each meter reads five packets (20 ms Opus) of its publisher's level, then the room ticks. */
    private void tick() {
        for (int i = 0; i < meters.length; i++) {
            for (int k = 0; k < SpeakerDetector.EXPECTED_PACKETS; k++) {
                meters[i].onPacket(packetsNow[i], clock.nanos());
            }
        }
        clock.advanceMillis(SpeakerDetector.TICK_MILLIS);
        speakers.tick();
    }

    @Test
    void aSteadyStateTickAllocatesNothing() throws Exception {
        joinFour();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP_TICKS; i++) {
            tick();
        }
        long updatesBefore = speakers.updatesSent();
        long before = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED_TICKS; i++) {
            tick();
        }
        long bytes = mx.getThreadAllocatedBytes(thread) - before;

        assertThat(speakers.current().speakers()).extracting(SpeakerDetector.Speaker::participantId)
                .containsExactly("a", "b");
        assertThat(speakers.current().dominant()).isEqualTo("a");
        assertThat(speakers.updatesSent()).as("steady: no update sent while measuring").isEqualTo(updatesBefore);
        // JIT compilation may leave a few hundred bytes in the whole window; one object per tick would be >= 16.
        assertThat(bytes / (double) MEASURED_TICKS).as("bytes allocated per steady-state tick").isLessThan(1);
    }

    /** The tick keeps its participant list between ticks: a join and a leave must still reach it. */
    @Test
    void aLaterJoinIsToldAndGatedAndALeaverIsNotTold() throws Exception {
        joinFour();
        for (int i = 0; i < 30; i++) {
            tick();
        }
        assertThat(speakers.current().speakers()).extracting(SpeakerDetector.Speaker::participantId)
                .containsExactly("a", "b");
        Recording eHears = new Recording();
        ConferenceParticipant e = join("e", eHears);
        assertThat(eHears.heard).as("welcome: the current speakers").hasSize(1);
        ConferenceParticipant c = participants.get(2);
        Recording cHears = (Recording) c.listener();
        c.leave(LeaveReason.LEFT);
        embedded.runPendingTasks();
        int cHeardBefore = cHears.heard.size();

        levels[1] = 127; // b falls silent: after the hangover, an update without b
        choosePackets();
        for (int i = 0; i < 20; i++) {
            tick();
        }

        assertThat(eHears.heard).as("the joiner hears the change").hasSize(2);
        assertThat(eHears.heard.get(1).speakers()).extracting(SpeakerDetector.Speaker::participantId)
                .containsExactly("a");
        assertThat(cHears.heard).as("the leaver hears nothing more").hasSize(cHeardBefore);
        assertThat(forwarded(e)).as("e: top-1 is a").containsExactly("a");
    }

    private static List<String> forwarded(ConferenceParticipant p) {
        List<String> out = new ArrayList<>();
        for (SubscriberSlot s : p.subscriberSide().slots()) {
            if (s.active() && s.consumer instanceof AudioConsumer a && a.topNGate().selected()) {
                out.add(s.publisherId);
            }
        }
        return out;
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

    private static final class Recording implements ConferenceListener {
        final List<ActiveSpeakers> heard = new ArrayList<>();

        @Override
        public void onSpeakers(ActiveSpeakers speakers) {
            heard.add(speakers);
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
