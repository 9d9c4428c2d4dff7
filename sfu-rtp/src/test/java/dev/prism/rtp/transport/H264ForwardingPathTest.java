package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.CaptureFile;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An H.264 simulcast track through the real engine (as {@link ForwardingPathTest} does for VP8): two encodings made of
 * payloads Chromium 156 sent (sfu-rtp's captured {@code chromium-156-h264-packets.txt}) go in as SRTP datagrams; the
 * subscriber, moved from layer 0 to layer 1, gets one continuous stream whose payloads are the publisher's bytes
 * unchanged, switched at layer 1's SPS/PPS packet; the producer learned each layer's size from the SPS.
 */
class H264ForwardingPathTest {
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5002);
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final long[] CAM = {0x2222_0000L, 0x2222_0001L};
    private static final int H264 = 108;
    private static final int BOB_PT = 96;
    private static final long BOB_CAM = 0xB0B0_0002L;
    private static final Map<String, byte[]> DUMP = CaptureFile.packets("/captures/chromium-156-h264-packets.txt");
    /** The key frame: SPS/PPS aggregate, then the IDR's fragments; a delta frame: a slice's fragments. */
    private static final byte[][] KEY = payloads("STAP-A 7,8 #1", "FU-A start 5 #1", "FU-A middle 5 #1",
            "FU-A end 5 marker #1");
    private static final byte[][] DELTA = payloads("FU-A start 1 #1", "FU-A middle 1 #1", "FU-A end 1 marker #1");
    private static final int ROUNDS = 12;
    private static final int UP_ROUND = 4;
    private static final int LAYER1_KEY_ROUND = 7;

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final int[] seq = {100, 30_000};
    private final List<byte[]> bobPayloads = new ArrayList<>();
    private final List<Integer> bobSeqs = new ArrayList<>();

    @Test
    void switchesLayersOnTheSpsPacketAndForwardsThePayloadUnchanged() {
        PooledByteBufAllocator pool = PooledBuffers.exactPool();
        long baseline = PooledBuffers.outstanding(pool);
        EmbeddedMedia media = new EmbeddedMedia(pool, SrtpImplementation.DEFAULT, clock, timers);
        RoomRouter room = new RoomRouter("room", media.engine());
        try {
            PublisherEndpoint publisher = new PublisherEndpoint(media.engine().counters(), room.rtcp(), (t, r) -> { });
            WebRtcTransport publisherTransport = media.createTransport("alice", publisher);
            publisher.bind(publisherTransport);
            Producer cam = room.addProducer("cam", "alice", video(), 0, 0, publisher);
            FakePeer alice = media.connectPeer(publisherTransport, ALICE, PROFILE, 1);
            SubscriberEndpoint bob = new SubscriberEndpoint((t, r) -> { }, media.engine().counters(), room.rtcp());
            bob.bind(media.createTransport("bob", bob));
            FakePeer bobPeer = media.connectPeer(bob.transport(), BOB, PROFILE, 2);
            Consumer bobCam = room.subscribe("cam", bob, BOB_CAM, BOB_PT, List.of());
            bobCam.setTargetLayer(0, 0, "test");
            media.drainOutbound();

            List<byte[]> expected = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                if (round == UP_ROUND) {
                    bobCam.setTargetLayer(1, 0, "test");
                }
                for (int layer : new int[] {1, 0}) { // layer 1's key frame first in its round: the switch is at once
                    boolean key = round == 0 || (layer == 1 && round == LAYER1_KEY_ROUND);
                    byte[][] frame = key ? KEY : DELTA;
                    int forwardedLayer = round < LAYER1_KEY_ROUND ? 0 : 1;
                    for (int i = 0; i < frame.length; i++) {
                        publish(media, alice, layer, 4500L * round, i == frame.length - 1, frame[i]);
                        if (layer == forwardedLayer) {
                            expected.add(frame[i]);
                        }
                    }
                }
                collect(media, bobPeer);
                clock.advanceMillis(50);
            }

            assertThat(bobPayloads).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(bobPayloads.get(i)).as("payload %d unchanged", i).isEqualTo(expected.get(i));
                assertThat(bobSeqs.get(i)).as("sequence continuous").isEqualTo((bobSeqs.get(0) + i) & 0xFFFF);
            }
            int switchAt = LAYER1_KEY_ROUND * DELTA.length + KEY.length - DELTA.length; // layer 0's packets before
            assertThat(bobPayloads.get(switchAt)).as("the switch lands on the SPS/PPS packet").isEqualTo(KEY[0]);
            assertThat(bobCam.layerSwitches()).isEqualTo(1);
            assertThat(cam.layer(0).width()).as("from the SPS (the capture's camera)").isEqualTo(640);
            assertThat(cam.layer(0).height()).isEqualTo(480);
        } finally {
            room.removeProducer("cam");
            media.close();
        }
        assertThat(PooledBuffers.outstanding(pool)).as("pooled buffers not returned").isEqualTo(baseline);
    }

    private void publish(EmbeddedMedia media, FakePeer alice, int layer, long timestamp, boolean marker,
                         byte[] payload) {
        ByteBuf plain = Unpooled.buffer(12 + payload.length);
        plain.writeByte(0x80).writeByte((marker ? 0x80 : 0) | H264).writeShort(seq[layer]++)
                .writeInt((int) timestamp).writeInt((int) CAM[layer]).writeBytes(payload);
        try {
            media.receive(alice.rtp(plain));
        } finally {
            plain.release();
        }
    }

    private void collect(EmbeddedMedia media, FakePeer bob) {
        RtpPacket view = new RtpPacket();
        for (DatagramPacket d : media.takeOutbound()) {
            try {
                if (!bob.isRecipientOf(d)) {
                    continue;
                }
                ByteBuf plain = bob.decrypt(d);
                try {
                    if (!FakePeer.isRtcp(plain) && view.wrap(plain) && view.ssrc() == BOB_CAM) {
                        assertThat(view.payloadType()).isEqualTo(BOB_PT);
                        byte[] payload = new byte[view.payloadLength()];
                        plain.getBytes(view.payloadOffset(), payload);
                        bobPayloads.add(payload);
                        bobSeqs.add(view.sequenceNumber());
                        view.clear();
                    }
                } finally {
                    plain.release();
                }
            } finally {
                d.release();
            }
        }
    }

    private static MediaDescription video() {
        List<RtcpFeedback> fb = List.of(new RtcpFeedback("nack", ""), new RtcpFeedback("nack", "pli"));
        return new MediaDescription("1", MediaKind.VIDEO, List.of(new RtpCodec(H264, "H264", 90000, 1,
                Map.of("packetization-mode", "1", "profile-level-id", "42e01f"), fb)), List.of(),
                List.of(new RtpEncoding(CAM[0], 0, "q"), new RtpEncoding(CAM[1], 0, "h")), "alice", "cam");
    }

    private static byte[][] payloads(String... labels) {
        byte[][] out = new byte[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            byte[] packet = DUMP.get("pub RTP H264 " + labels[i]);
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(Unpooled.wrappedBuffer(packet))).isTrue();
            out[i] = Arrays.copyOfRange(packet, p.payloadOffset(), p.payloadOffset() + p.payloadLength());
        }
        return out;
    }
}
