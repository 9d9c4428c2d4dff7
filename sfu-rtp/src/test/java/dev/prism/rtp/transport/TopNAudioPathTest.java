package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.AudioConsumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.PooledBuffers;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Top-N audio on the real forwarding path: a publisher's Opus packets carry RFC 6464 levels; the subscriber's
 * {@code TopNAudioGate} is deselected mid-word and selected again. The stream stops at the first quiet packet, the
 * withheld run leaves no gap in the subscriber's sequence numbers (nothing to NACK, nothing counted lost), the
 * timestamps move on by the pause, and the counters tell forwarded from withheld. Every pooled buffer comes back.
 */
class TopNAudioPathTest {
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5002);
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final long MIC = 0x1111_0000L;
    private static final long BOB_MIC = 0xB0B0_0001L;
    private static final int OPUS = 111;
    private static final int LEVEL_ID = 1;
    private static final long TICKS = 960; // 20 ms at 48 kHz

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);

    /** An Opus packet with the audio level element (id 1, one-byte form) and a 3-byte payload. */
    private static ByteBuf opus(int seq, long timestamp, int level) {
        ByteBuf b = Unpooled.buffer(24);
        b.writeByte(0x90).writeByte(OPUS).writeShort(seq).writeInt((int) timestamp).writeInt((int) MIC);
        b.writeShort(0xBEDE).writeShort(1);
        b.writeByte(LEVEL_ID << 4).writeByte(level).writeShort(0); // id 1 len 1, level; padding
        b.writeByte(0xFC).writeByte(seq).writeByte(0xFE);
        return b;
    }

    @Test
    void leavingStopsAtAQuietPacketAndResumingLeavesNoGap() {
        PooledByteBufAllocator pool = PooledBuffers.exactPool();
        long baseline = PooledBuffers.outstanding(pool);
        EmbeddedMedia media = new EmbeddedMedia(pool, SrtpImplementation.DEFAULT, clock, timers);
        RoomRouter room = new RoomRouter("room", media.engine());
        MediaCounters counters = media.engine().counters();
        try {
            PublisherEndpoint publisher = new PublisherEndpoint(counters, room.rtcp(), (t, r) -> { });
            WebRtcTransport publisherTransport = media.createTransport("alice", publisher);
            publisher.bind(publisherTransport);
            Producer mic = room.addProducer("mic", "alice", new MediaDescription("0", MediaKind.AUDIO,
                    List.of(new RtpCodec(OPUS, "opus", 48000, 2, Map.of(), List.of())),
                    List.of(new HeaderExtension(LEVEL_ID, HeaderExtension.AUDIO_LEVEL)),
                    List.of(new RtpEncoding(MIC, 0, null)), "alice", "mic"), MIC, 0, publisher);
            FakePeer alice = media.connectPeer(publisherTransport, ALICE, PROFILE, 1);
            SubscriberEndpoint bob = new SubscriberEndpoint((t, r) -> { }, counters, room.rtcp());
            bob.bind(media.createTransport("bob", bob));
            FakePeer bobPeer = media.connectPeer(bob.transport(), BOB, PROFILE, 2);
            AudioConsumer consumer = (AudioConsumer) room.subscribe("mic", bob, BOB_MIC, OPUS, List.of());
            media.drainOutbound();

            // Per 20 ms packet: its level (-dBov) and whether the room's ranking selects alice for bob at that moment.
            int[] levels =     {25, 25, 25, 25, 30, 127, 20, 20, 20, 20, 22, 22};
            boolean[] select = {true, true, true, false, false, false, false, false, false, true, true, true};
            List<int[]> got = new ArrayList<>(); // seq, timestamp (low 31 bits), input seq
            for (int i = 0; i < levels.length; i++) {
                consumer.topNGate().select(select[i], clock.nanos());
                ByteBuf plain = opus(5000 + i, 100_000 + TICKS * i, levels[i]);
                try {
                    media.receive(alice.rtp(plain));
                } finally {
                    plain.release();
                }
                RtpPacket view = new RtpPacket();
                for (DatagramPacket d : media.takeOutbound()) {
                    try {
                        if (bobPeer.isRecipientOf(d)) {
                            ByteBuf out = bobPeer.decrypt(d);
                            try {
                                if (!FakePeer.isRtcp(out) && view.wrap(out)) {
                                    got.add(new int[] {view.sequenceNumber(), (int) view.timestamp(), i});
                                    view.clear();
                                }
                            } finally {
                                out.release();
                            }
                        }
                    } finally {
                        d.release();
                    }
                }
                clock.advanceMillis(20);
            }

            assertThat(got).as("packets 0-4 (4: still speaking when deselected), then 9-11")
                    .extracting(r -> r[2]).containsExactly(0, 1, 2, 3, 4, 9, 10, 11);
            for (int k = 1; k < got.size(); k++) {
                assertThat(got.get(k)[0]).as("no gap in bob's sequence numbers")
                        .isEqualTo((got.get(k - 1)[0] + 1) & 0xFFFF);
            }
            long jump = Integer.toUnsignedLong(got.get(5)[1]) - Integer.toUnsignedLong(got.get(4)[1]);
            assertThat(jump).as("time moves on by the pause: packet 4 to packet 9").isEqualTo(5 * TICKS);
            assertThat(counters.drops(DropReason.AUDIO_TOP_N)).isEqualTo(4);
            assertThat(counters.audioForwardedPackets()).isEqualTo(8);
            assertThat(consumer.topNGate().withheld()).isEqualTo(4);
            assertThat(mic.audioLevel().lastLevel()).isEqualTo(22);
        } finally {
            media.close();
        }
        assertThat(PooledBuffers.outstanding(pool)).isEqualTo(baseline);
    }
}
