package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forwarding path end to end on the real engine (test kit's {@link EmbeddedMedia}): a publisher's SRTP datagrams
 * go in at the socket handler (demux, address lookup, unprotect, parse, producer), and what comes out of the engine is
 * decrypted with each subscriber's own keys. Audio, and simulcast video whose subscriber switches layers on a key
 * frame; one subscriber never connects and receives nothing. Every pooled buffer is back in the pool at the end. The
 * engine's timers are {@link ManualTimers} that this test never runs (it moves the clock itself), so no report,
 * allocation or deferred keyframe request interferes.
 */
class ForwardingPathTest {
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5002);
    private static final InetSocketAddress CAROL = new InetSocketAddress("10.0.0.3", 5003);
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final long MIC = 0x1111_0000L;
    private static final long[] CAM = {0x2222_0000L, 0x2222_0001L, 0x2222_0002L}; // q, h, f
    private static final int OPUS = 111;
    private static final int VP8 = 96;
    private static final int BOB_VP8 = 100; // bob's m-line numbers VP8 differently: the payload type is rewritten
    private static final long BOB_MIC = 0xB0B0_0001L;
    private static final long BOB_CAM = 0xB0B0_0002L;
    private static final long CAROL_CAM = 0xCA20_0002L;
    private static final int PAYLOAD = 120;
    private static final int ROUNDS = 20;
    /** The round whose frame is the first key frame on the top layer after bob asked for it. */
    private static final int SWITCH_ROUND = 15;
    /** One audio packet and one video frame per layer every 50 ms: 2400 ticks at 48 kHz, 4500 at 90 kHz. */
    private static final int ROUND_MILLIS = 50;
    private static final long AUDIO_TICKS = 2400;
    private static final long VIDEO_TICKS = 4500;

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    /** Every datagram the engine wrote, decrypted, by recipient and SSRC (RTP only). */
    private final Map<InetSocketAddress, Map<Long, List<Received>>> received = new HashMap<>();
    private final List<InetSocketAddress> recipients = new ArrayList<>();

    /** What a subscriber got: the header fields after rewriting, and the bytes after the rewritten ones. */
    private record Received(int payloadType, int seq, long timestamp, byte[] payload) {
    }

    @Test
    void audioAndSimulcastVideoReachTheConnectedSubscribersRewrittenAndNoBufferIsLeft() {
        PooledByteBufAllocator pool = PooledBuffers.exactPool();
        long baseline = PooledBuffers.outstanding(pool);
        EmbeddedMedia media = new EmbeddedMedia(pool, SrtpImplementation.DEFAULT, clock, timers);
        RoomRouter room = new RoomRouter("room", media.engine());
        MediaCounters counters = media.engine().counters();
        try {
            PublisherEndpoint publisher = new PublisherEndpoint(counters, room.rtcp(), (t, r) -> { });
            WebRtcTransport publisherTransport = media.createTransport("alice", publisher);
            publisher.bind(publisherTransport);
            room.addProducer("mic", "alice", audio(), MIC, 0, publisher);
            room.addProducer("cam", "alice", simulcastVideo(), 0, 0, publisher);
            FakePeer alice = media.connectPeer(publisherTransport, ALICE, PROFILE, 1);

            SubscriberEndpoint bob = subscriber(media, room, "bob");
            FakePeer bobPeer = media.connectPeer(bob.transport(), BOB, PROFILE, 2);
            SubscriberEndpoint carol = subscriber(media, room, "carol");
            FakePeer carolPeer = media.connectPeer(carol.transport(), CAROL, PROFILE, 3);
            SubscriberEndpoint dave = subscriber(media, room, "dave"); // never answers: no ICE, no DTLS

            assertThat(room.subscribe("mic", bob, BOB_MIC, OPUS, List.of())).isNotNull();
            Consumer bobCam = room.subscribe("cam", bob, BOB_CAM, BOB_VP8, List.of());
            Consumer carolCam = room.subscribe("cam", carol, CAROL_CAM, VP8, List.of());
            room.subscribe("mic", dave, 0xDA7E_0001L, OPUS, List.of());
            room.subscribe("cam", dave, 0xDA7E_0002L, VP8, List.of());
            bobCam.setTargetLayer(0, 0, "test");
            carolCam.setTargetLayer(2, 0, "test");
            media.drainOutbound(); // the keyframe requests the new consumers sent the publisher
            long forwardedBefore = counters.rtpForwarded();
            long refusedBefore = counters.drops(DropReason.SEND_NOT_CONNECTED);

            for (int round = 0; round < ROUNDS; round++) {
                if (round == 10) {
                    bobCam.setTargetLayer(2, 0, "test"); // up: bob stays on q until f has a key frame
                }
                publish(media, alice, TestRtp.audio(OPUS, MIC, 1000 + round, AUDIO_TICKS * round, 0, 0, PAYLOAD));
                // Key frames on every layer at first, then on the top layer (first) at the switch round.
                boolean[] key = {round == 0, round == 0, round == 0 || round == SWITCH_ROUND};
                for (int s : new int[] {2, 0, 1}) {
                    publish(media, alice, TestRtp.vp8(VP8, CAM[s], layerSeq(s, round), VIDEO_TICKS * round, round,
                        key[s], 0, 0, PAYLOAD));
                }
                collect(media, List.of(bobPeer, carolPeer));
                clock.advanceMillis(ROUND_MILLIS); // the clock only: no timer runs (see the class comment)
            }

            assertThat(recipients).as("nothing to the subscriber that never connected (it has no address)")
                .contains(BOB, CAROL).isSubsetOf(BOB, CAROL, ALICE);
            List<Received> bobAudio = received.get(BOB).get(BOB_MIC);
            assertThat(bobAudio).hasSize(ROUNDS);
            for (int i = 0; i < ROUNDS; i++) {
                Received r = bobAudio.get(i);
                assertThat(r.payloadType()).isEqualTo(OPUS);
                assertThat(r.seq()).as("audio seq continuous").isEqualTo((bobAudio.get(0).seq() + i) & 0xFFFF);
                assertThat(r.timestamp()).isEqualTo((bobAudio.get(0).timestamp() + AUDIO_TICKS * i) & 0xFFFF_FFFFL);
                assertThat(r.payload()).as("audio payload intact").isEqualTo(filler(1000 + i, PAYLOAD));
            }

            List<Received> bobVideo = received.get(BOB).get(BOB_CAM);
            assertThat(bobVideo).as("q for rounds 0-14, f from the key frame of round 15 on").hasSize(ROUNDS);
            for (int i = 0; i < ROUNDS; i++) {
                Received r = bobVideo.get(i);
                int layer = i < SWITCH_ROUND ? 0 : 2;
                assertThat(r.payloadType()).isEqualTo(BOB_VP8);
                assertThat(r.seq()).as("video seq continuous across the switch")
                    .isEqualTo((bobVideo.get(0).seq() + i) & 0xFFFF);
                assertThat(r.payload()).as("round %d from layer %d, frame bytes intact", i, layer)
                    .isEqualTo(vp8FrameBytes(layerSeq(layer, i), i == 0 || i == SWITCH_ROUND));
                if (i > 0) {
                    assertThat((r.timestamp() - bobVideo.get(i - 1).timestamp()) & 0xFFFF_FFFFL)
                        .as("timestamp moves on by the frame interval, across the switch too (by the time passed)")
                        .isEqualTo(VIDEO_TICKS);
                }
            }
            assertThat(bobCam.layerSwitches()).isEqualTo(1);
            assertThat(counters.layerSwitches()).isEqualTo(1);

            List<Received> carolVideo = received.get(CAROL).get(CAROL_CAM);
            assertThat(carolVideo).as("f only").hasSize(ROUNDS);
            for (int i = 0; i < ROUNDS; i++) {
                assertThat(carolVideo.get(i).payload()).isEqualTo(vp8FrameBytes(layerSeq(2, i), i == 0
                    || i == SWITCH_ROUND));
            }
            assertThat(received.get(CAROL)).as("carol subscribed to video only").containsOnlyKeys(CAROL_CAM);

            assertThat(counters.rtpForwarded() - forwardedBefore).as("bob audio + video, carol video")
                .isEqualTo(3L * ROUNDS);
            assertThat(counters.drops(DropReason.SEND_NOT_CONNECTED) - refusedBefore)
                .as("dave: every audio packet and every packet of every layer refused, counted")
                .isEqualTo(4L * ROUNDS);
        } finally {
            room.removeProducer("mic");
            room.removeProducer("cam"); // releases the packet history
            media.close();
        }
        assertThat(PooledBuffers.outstanding(pool)).as("pooled buffers not returned").isEqualTo(baseline);
    }

    private static SubscriberEndpoint subscriber(EmbeddedMedia media, RoomRouter room, String id) {
        SubscriberEndpoint s = new SubscriberEndpoint((t, r) -> { }, media.engine().counters(), room.rtcp());
        s.bind(media.createTransport(id, s));
        return s;
    }

    private static void publish(EmbeddedMedia media, FakePeer alice, ByteBuf plain) {
        try {
            media.receive(alice.rtp(plain));
        } finally {
            plain.release();
        }
    }

    /**
     * Takes what the engine wrote: RTP to a subscriber is decrypted with that subscriber's keys and recorded; RTCP
     * (keyframe requests to the publisher) is only counted as a recipient.
     */
    private void collect(EmbeddedMedia media, List<FakePeer> subscribers) {
        RtpPacket view = new RtpPacket();
        for (DatagramPacket d : media.takeOutbound()) {
            try {
                recipients.add(d.recipient());
                for (FakePeer peer : subscribers) {
                    if (peer.isRecipientOf(d)) {
                        ByteBuf plain = peer.decrypt(d);
                        try {
                            if (!FakePeer.isRtcp(plain)) {
                                assertThat(view.wrap(plain)).isTrue();
                                boolean video = view.ssrc() != BOB_MIC;
                                int skip = video ? TestRtp.VP8_DESCRIPTOR_LENGTH : 0;
                                byte[] payload = new byte[view.payloadLength() - skip];
                                plain.getBytes(view.payloadOffset() + skip, payload);
                                received.computeIfAbsent(peer.address(), k -> new HashMap<>())
                                    .computeIfAbsent(view.ssrc(), k -> new ArrayList<>())
                                    .add(new Received(view.payloadType(), view.sequenceNumber(), view.timestamp(),
                                        payload));
                                view.clear();
                            }
                        } finally {
                            plain.release();
                        }
                    }
                }
            } finally {
                d.release();
            }
        }
    }

    private static int layerSeq(int layer, int round) {
        return layer * 10_000 + round;
    }

    private static byte[] filler(int seq, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = TestRtp.filler(seq, i);
        }
        return b;
    }

    /** The VP8 bytes after the payload descriptor (which Prism rewrites): frame header byte, then the filler. */
    private static byte[] vp8FrameBytes(int seq, boolean keyframe) {
        byte[] f = filler(seq, PAYLOAD - TestRtp.VP8_DESCRIPTOR_LENGTH - 1);
        byte[] b = new byte[f.length + 1];
        b[0] = (byte) (keyframe ? 0x10 : 0x11);
        System.arraycopy(f, 0, b, 1, f.length);
        return b;
    }

    private static MediaDescription audio() {
        return new MediaDescription("0", MediaKind.AUDIO,
            List.of(new RtpCodec(OPUS, "opus", 48000, 2, Map.of(), List.of())), List.of(),
            List.of(new RtpEncoding(MIC, 0, null)), "alice", "mic");
    }

    private static MediaDescription simulcastVideo() {
        List<RtcpFeedback> fb = List.of(new RtcpFeedback("nack", ""), new RtcpFeedback("nack", "pli"));
        return new MediaDescription("1", MediaKind.VIDEO, List.of(new RtpCodec(VP8, "VP8", 90000, 1, Map.of(), fb)),
            List.of(), List.of(new RtpEncoding(CAM[0], 0, "q"), new RtpEncoding(CAM[1], 0, "h"),
                new RtpEncoding(CAM[2], 0, "f")), "alice", "cam");
    }
}
