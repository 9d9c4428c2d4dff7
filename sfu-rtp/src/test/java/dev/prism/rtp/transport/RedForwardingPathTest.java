package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.CaptureFile;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.AudioConsumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Opus RED end to end on the real engine (SRTP in and out, as {@link ForwardingPathTest}): Chromium 156's captured RED
 * packets (PT 63 carrying Opus PT 111) from a publisher that negotiated RED, to three subscribers: bob kept RED in his
 * answer and receives the packets as they are; carol did not and receives plain Opus, the primary block only, on PT
 * 111; erin kept RED but numbers Opus 109, so the blocks' payload type is rewritten inside the RED headers. Plus a
 * padded RED packet (padding goes with the strip), a malformed one (dropped for carol only, counted) and a plain Opus
 * packet (passes for all). What leaves is decrypted with each subscriber's keys: the strip happened before SRTP.
 */
class RedForwardingPathTest {
    private static final String DUMP = "/captures/chromium-156-red-packets.txt";
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5002);
    private static final InetSocketAddress CAROL = new InetSocketAddress("10.0.0.3", 5003);
    private static final InetSocketAddress ERIN = new InetSocketAddress("10.0.0.5", 5005);
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final long MIC = 0xa50b0784L; // the captured packets' SSRC
    private static final int OPUS = 111;
    private static final int RED = 63;
    private static final int ERIN_OPUS = 109;
    private static final int HEADER = 28; // captured packets: 12 + 16 bytes of extensions

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final Map<InetSocketAddress, List<Received>> received = new HashMap<>();

    private record Received(int payloadType, int seq, boolean padding, byte[] payload) {
    }

    @Test
    void redGoesAsIsToRedSubscribersAndAsItsOpusPrimaryToTheOthers() {
        Map<String, byte[]> dump = CaptureFile.packets(DUMP);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(dump.get("pub RTP red #" + i));
        }
        byte[] third = sent.get(2);
        sent.add(padded(withSeq(third, 0x313e), 4));                                      // #4: RED with 4 bytes of padding
        sent.add(withPayload(withSeq(third, 0x313f), "ef0f03ff6f0102"));                 // #5: block longer than the payload
        sent.add(withPayload(withSeq(third, 0x3140), "780102030405").clone());           // #6: plain Opus...
        sent.get(5)[1] = (byte) OPUS;                                                     //     ...on PT 111

        PooledByteBufAllocator pool = PooledBuffers.exactPool();
        long baseline = PooledBuffers.outstanding(pool);
        EmbeddedMedia media = new EmbeddedMedia(pool, SrtpImplementation.DEFAULT, clock, timers);
        RoomRouter room = new RoomRouter("room", media.engine());
        MediaCounters counters = media.engine().counters();
        try {
            PublisherEndpoint publisher = new PublisherEndpoint(counters, room.rtcp(), (t, r) -> { });
            WebRtcTransport publisherTransport = media.createTransport("alice", publisher);
            publisher.bind(publisherTransport);
            room.addProducer("mic", "alice", redAudio(), MIC, 0, publisher);
            FakePeer alice = media.connectPeer(publisherTransport, ALICE, PROFILE, 1);
            List<FakePeer> peers = new ArrayList<>();
            AudioConsumer bob = subscribe(media, room, "bob", BOB, 2, OPUS, peers);
            AudioConsumer carol = subscribe(media, room, "carol", CAROL, 3, OPUS, peers);
            AudioConsumer erin = subscribe(media, room, "erin", ERIN, 5, ERIN_OPUS, peers);
            bob.setRedPayloadType(RED);
            erin.setRedPayloadType(RED);
            media.drainOutbound();
            long unusableBefore = counters.drops(DropReason.RED_UNUSABLE);

            for (byte[] p : sent) {
                ByteBuf plain = Unpooled.wrappedBuffer(p.clone());
                try {
                    media.receive(alice.rtp(plain));
                } finally {
                    plain.release();
                }
                collect(media, peers);
                clock.advanceMillis(20);
            }

            // bob: every packet as it came (payload type 63, blocks untouched), padding kept.
            List<Received> b = received.get(BOB);
            assertThat(b).extracting(Received::payloadType).containsExactly(RED, RED, RED, RED, RED, OPUS);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(b.get(i).payload()).as("bob #%d", i + 1).isEqualTo(payload(sent.get(i)));
            }
            assertThat(b.get(3).padding()).isTrue();

            // carol: the Opus primary block of each RED packet on PT 111; the malformed one dropped and counted.
            List<Received> c = received.get(CAROL);
            assertThat(c).extracting(Received::payloadType).containsExactly(OPUS, OPUS, OPUS, OPUS, OPUS);
            assertThat(c.get(0).payload()).isEqualTo(Arrays.copyOfRange(sent.get(0), HEADER + 1, sent.get(0).length));
            assertThat(c.get(0).payload()).hasSize(88);
            assertThat(c.get(1).payload()).hasSize(81)
                    .isEqualTo(Arrays.copyOfRange(sent.get(1), HEADER + 5 + 88, sent.get(1).length));
            assertThat(c.get(2).payload()).hasSize(64)
                    .isEqualTo(Arrays.copyOfRange(sent.get(2), HEADER + 5 + 81, sent.get(2).length));
            assertThat(c.get(3).payload()).as("padded: same primary, padding gone").isEqualTo(c.get(2).payload());
            assertThat(c.get(3).padding()).isFalse();
            assertThat(c.get(4).payload()).isEqualTo(HexFormat.of().parseHex("780102030405"));
            assertThat(c.get(3).seq() + 2).as("the malformed packet's number is skipped, not reused")
                    .isEqualTo(c.get(4).seq());
            assertThat(carol.redStripped()).isEqualTo(4);
            assertThat(bob.redForwarded()).isEqualTo(5);
            assertThat(counters.drops(DropReason.RED_UNUSABLE) - unusableBefore).isEqualTo(1);

            // erin: RED, with the Opus blocks renumbered 111 -> 109 in the headers; the data untouched.
            List<Received> e = received.get(ERIN);
            assertThat(e).extracting(Received::payloadType).containsExactly(RED, RED, RED, RED, RED, ERIN_OPUS);
            byte[] second = payload(sent.get(1)).clone();
            second[0] = (byte) (0x80 | ERIN_OPUS);
            second[4] = (byte) ERIN_OPUS;
            assertThat(e.get(1).payload()).isEqualTo(second);
        } finally {
            room.removeProducer("mic");
            media.close();
        }
        assertThat(PooledBuffers.outstanding(pool)).as("pooled buffers not returned").isEqualTo(baseline);
    }

    private static AudioConsumer subscribe(EmbeddedMedia media, RoomRouter room, String id, InetSocketAddress address,
                                           int seed, int opusPt, List<FakePeer> peers) {
        SubscriberEndpoint s = new SubscriberEndpoint((t, r) -> { }, media.engine().counters(), room.rtcp());
        s.bind(media.createTransport(id, s));
        peers.add(media.connectPeer(s.transport(), address, PROFILE, seed));
        return (AudioConsumer) room.subscribe("mic", s, 0xB0B0_0000L + seed, opusPt, List.of());
    }

    private void collect(EmbeddedMedia media, List<FakePeer> peers) {
        RtpPacket view = new RtpPacket();
        for (DatagramPacket d : media.takeOutbound()) {
            try {
                for (FakePeer peer : peers) {
                    if (!peer.isRecipientOf(d)) {
                        continue;
                    }
                    ByteBuf plain = peer.decrypt(d);
                    try {
                        if (!FakePeer.isRtcp(plain)) {
                            assertThat(view.wrap(plain)).isTrue();
                            byte[] payload = new byte[view.payloadLength()];
                            plain.getBytes(view.payloadOffset(), payload);
                            boolean padding = (plain.getByte(plain.readerIndex()) & 0x20) != 0;
                            received.computeIfAbsent(peer.address(), k -> new ArrayList<>())
                                    .add(new Received(view.payloadType(), view.sequenceNumber(), padding, payload));
                            view.clear();
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

    private static byte[] payload(byte[] packet) {
        int pad = (packet[0] & 0x20) != 0 ? packet[packet.length - 1] & 0xFF : 0;
        return Arrays.copyOfRange(packet, HEADER, packet.length - pad);
    }

    private static byte[] withSeq(byte[] packet, int seq) {
        byte[] p = packet.clone();
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        int ts = (int) (((p[4] & 0xFFL) << 24 | (p[5] & 0xFF) << 16 | (p[6] & 0xFF) << 8 | (p[7] & 0xFF))
                + 960L * (seq - 0x313d));
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        return p;
    }

    private static byte[] padded(byte[] packet, int n) {
        byte[] p = Arrays.copyOf(packet, packet.length + n);
        p[0] |= 0x20;
        p[p.length - 1] = (byte) n;
        return p;
    }

    private static byte[] withPayload(byte[] packet, String hex) {
        byte[] payload = HexFormat.of().parseHex(hex);
        byte[] p = Arrays.copyOf(packet, HEADER + payload.length);
        System.arraycopy(payload, 0, p, HEADER, payload.length);
        return p;
    }

    private static MediaDescription redAudio() {
        return new MediaDescription("0", MediaKind.AUDIO,
                List.of(new RtpCodec(OPUS, "opus", 48000, 2, Map.of(), List.of()),
                        new RtpCodec(RED, "red", 48000, 2, Map.of("111/111", ""), List.of())),
                List.of(), List.of(new RtpEncoding(MIC, 0, null)), "alice", "mic");
    }
}
