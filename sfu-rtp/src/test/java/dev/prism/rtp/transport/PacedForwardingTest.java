package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.PooledBuffers;
import dev.prism.rtp.testkit.TestRtp;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pacer on the real engine: a 30-packet key frame to a subscriber whose estimate is 300 kbit/s leaves spread over
 * time by the loop's pacing timer (with it off, all at once), and a transport that closes with packets still queued
 * returns every pooled buffer. Timers are {@link ManualTimers} on a {@link FakeClock}.
 */
class PacedForwardingTest {
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5002);
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final long CAM = 0x2222_0000L;
    private static final int VP8 = 96;
    private static final int FRAME_PACKETS = 30;
    private static final int PAYLOAD = 1100;

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);

    /** Packets bob received, by the millisecond they left (the clock when the engine wrote them). */
    private final List<Long> bobTimes = new ArrayList<>();

    @Test
    void aKeyFrameAt300kbpsIsSpreadByThePacerAndLeavesAtOnceWithoutIt() {
        // pacer on: the 40 ms bucket at 750 kbit/s (3,750 B: 3 packets of ~1,150 B, the 4th overdraws it) at once,
        // the rest one per ~12-13 ms over the following ~330 ms.
        run(true, false);
        assertThat(bobTimes).hasSize(FRAME_PACKETS);
        assertThat(bobTimes.stream().filter(t -> t == 0).count()).as("at once").isEqualTo(4);
        long last = bobTimes.get(FRAME_PACKETS - 1);
        assertThat(last).as("spread at the pacing rate: 26 x 1,150 B at 93,750 B/s").isBetween(280L, 360L);

        bobTimes.clear();
        run(false, false);
        assertThat(bobTimes).as("pacer off: the whole frame in one burst").hasSize(FRAME_PACKETS)
                .containsOnly(0L);
    }

    @Test
    void aTransportClosedWithPacketsQueuedReturnsEveryBuffer() {
        run(true, true);
        assertThat(bobTimes).as("only the bucket's packets left before the close").hasSize(4);
    }

    private void run(boolean pacer, boolean closeEarly) {
        PooledByteBufAllocator pool = PooledBuffers.exactPool();
        long baseline = PooledBuffers.outstanding(pool);
        EmbeddedMedia media = new EmbeddedMedia(pool, SrtpImplementation.DEFAULT, clock, timers, pacer);
        RoomRouter room = new RoomRouter("room", media.engine());
        MediaCounters counters = media.engine().counters();
        try {
            PublisherEndpoint publisher = new PublisherEndpoint(counters, room.rtcp(), (t, r) -> { });
            WebRtcTransport publisherTransport = media.createTransport("alice", publisher);
            publisher.bind(publisherTransport);
            room.addProducer("cam", "alice", video(), CAM, 0, publisher);
            FakePeer alice = media.connectPeer(publisherTransport, ALICE, PROFILE, 1);
            SubscriberEndpoint bob = new SubscriberEndpoint((t, r) -> { }, counters, room.rtcp());
            bob.bind(media.createTransport("bob", bob));
            FakePeer bobPeer = media.connectPeer(bob.transport(), BOB, PROFILE, 2);
            bob.configureFeedback(5, true, true);
            bob.downlink().onRemb(300_000); // caps the send-side estimate: a 300 kbit/s path
            bob.reallocate();
            assertThat(bob.downlink().estimateBps()).isEqualTo(300_000);
            room.subscribe("cam", bob, 0xB0B0_0002L, VP8, List.of());
            media.drainOutbound();

            long start = clock.nanos();
            for (int i = 0; i < FRAME_PACKETS; i++) {
                ByteBuf plain = TestRtp.vp8(VP8, CAM, 100 + i, 9000, 1, true, 0, 0, PAYLOAD);
                try {
                    media.receive(alice.rtp(plain));
                } finally {
                    plain.release();
                }
            }
            collect(media, bobPeer, start);
            if (closeEarly) {
                bob.transport().close("test: closed with packets queued");
                return;
            }
            for (int ms = 0; ms < 1000 && bobTimes.size() < FRAME_PACKETS; ms++) {
                timers.advanceMillis(1);
                collect(media, bobPeer, start);
            }
        } finally {
            room.removeProducer("cam");
            media.close();
            assertThat(PooledBuffers.outstanding(pool)).as("pooled buffers not returned").isEqualTo(baseline);
        }
    }

    /** Bob's RTP datagrams written so far, by when (ms since {@code start}); everything else is dropped. */
    private void collect(EmbeddedMedia media, FakePeer bob, long start) {
        for (DatagramPacket d : media.takeOutbound()) {
            try {
                if (bob.isRecipientOf(d)) {
                    ByteBuf plain = bob.decrypt(d);
                    try {
                        if (!FakePeer.isRtcp(plain) && plain.readableBytes() > PAYLOAD) {
                            bobTimes.add((clock.nanos() - start) / 1_000_000);
                        }
                    } finally {
                        plain.release();
                    }
                }
            } finally {
                d.release();
            }
        }
    }

    private static MediaDescription video() {
        List<RtcpFeedback> fb = List.of(new RtcpFeedback("nack", ""), new RtcpFeedback("nack", "pli"));
        return new MediaDescription("1", MediaKind.VIDEO, List.of(new RtpCodec(VP8, "VP8", 90000, 1, Map.of(), fb)),
                List.of(), List.of(new RtpEncoding(CAM, 0, null)), "alice", "cam");
    }
}
