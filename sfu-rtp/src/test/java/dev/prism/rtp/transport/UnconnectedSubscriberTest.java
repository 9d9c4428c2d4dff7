package dev.prism.rtp.transport;

import static dev.prism.rtp.transport.RecordingEngine.LOCAL;
import static dev.prism.rtp.transport.RecordingEngine.PROFILE;
import static dev.prism.rtp.transport.RecordingEngine.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber connection that never connected (its offer never answered, or ICE done but no DTLS) receives nothing:
 * no media, no RTCP, no probes, and its subscriptions ask the publisher for no keyframes; a connected subscriber in
 * the same room gets everything. The real engine on an {@link EmbeddedChannel}, so every datagram it writes is seen.
 */
class UnconnectedSubscriberTest {
    private static final InetSocketAddress PUBLISHER = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress CONNECTED = new InetSocketAddress("10.0.0.2", 5002);
    private static final InetSocketAddress ICE_ONLY = new InetSocketAddress("10.0.0.3", 5003);
    private static final long MIC_SSRC = 0x11110000L;

    private final RecordingEngine media = new RecordingEngine();
    private final FakeClock clock = media.clock;
    private final MediaEngine engine = media.engine;
    private final RoomRouter router = media.router;

    @AfterEach
    void tearDown() {
        media.close();
    }

    @Test
    void onlyTheConnectedSubscriberReceivesMediaAndReports() {
        PublisherEndpoint publisher = media.publisher();
        media.connect(publisher.transport(), PUBLISHER);
        router.addProducer("mic", "alice", new MediaDescription("0", MediaKind.AUDIO,
                List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(MIC_SSRC, 0, null)), "alice", "mic"), MIC_SSRC, 0, publisher);

        SubscriberEndpoint connected = media.subscriber("connected");
        media.connect(connected.transport(), CONNECTED);
        SubscriberEndpoint neverAnswered = media.subscriber("never-answered"); // no remote SDP, no ICE, no DTLS
        SubscriberEndpoint iceOnly = media.subscriber("ice-only"); // answered, ICE done, DTLS never finished
        media.iceCheck(iceOnly.transport(), ICE_ONLY);
        int ssrc = 0x5000;
        for (SubscriberEndpoint s : List.of(connected, neverAnswered, iceOnly)) {
            s.configureFeedback(3, true, true);
            assertThat(router.subscribe("mic", s, ssrc++, 111, List.of())).isNotNull();
        }
        media.clearWritten();
        long sendsRefused = engine.counters().drops(DropReason.SEND_NOT_CONNECTED);

        SrtpSession publisherSrtp = SrtpSession.create(PROFILE, keys(), false);
        try {
            for (int seq = 0; seq < 50; seq++) {
                ByteBuf p = Unpooled.buffer(12 + 80 + SrtpSession.MAX_TRAILER);
                p.writeByte(0x80).writeByte(111).writeShort(seq).writeInt(seq * 960).writeInt((int) MIC_SSRC);
                p.writeZero(80);
                assertThat(publisherSrtp.protectRtp(p)).isEqualTo(SrtpStatus.OK);
                media.receive(new DatagramPacket(p, LOCAL, PUBLISHER));
                clock.advanceMillis(20);
            }
        } finally {
            publisherSrtp.close();
        }
        // Timers the unconnected subscribers might run: allocation (and probes), sender reports, keyframe requests.
        for (SubscriberEndpoint s : List.of(neverAnswered, iceOnly)) {
            s.reallocate();
            s.consumers().forEach(Consumer::restart);
        }
        media.drain();

        assertThat(media.recipients()).as("datagrams went to the connected subscriber only").containsOnly(CONNECTED);
        assertThat(media.written).hasSize(50);
        assertThat(engine.counters().rtpForwarded()).isEqualTo(50);
        assertThat(engine.counters().drops(DropReason.SEND_NOT_CONNECTED) - sendsRefused)
            .as("one refused send per packet per unconnected subscriber, counted").isEqualTo(100);
        assertThat(neverAnswered.downlink().probesStarted()).isZero();
        assertThat(iceOnly.downlink().probesStarted()).isZero();
        assertThat(iceOnly.transport().state()).isEqualTo(WebRtcTransport.State.CHECKING);
    }

    @Test
    void noProbeStartsBeforeTheSubscriberConnectsAndOneMayAfter() {
        PublisherEndpoint publisher = media.publisher();
        Producer camera = router.addProducer("cam", "alice", new MediaDescription("1", MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(0, 0, "q"), new RtpEncoding(0, 0, "h"), new RtpEncoding(0, 0, "f")),
                "alice", "cam"), 0, 0, publisher);
        SubscriberEndpoint subscriber = media.subscriber("sub");
        subscriber.configureFeedback(3, true, false);
        assertThat(router.subscribe("cam", subscriber, 0x6000, 96, List.of())).isNotNull();
        // Layers of 150 / 500 / 2500 kbit/s: more than the 1 Mbit/s start estimate, so a probe is wanted.
        for (int tick = 0; tick < 20; tick++) {
            for (int s = 0; s < 3; s++) {
                camera.layerStats().onPacket(s, 0, new int[] {150, 500, 2500}[s] * 1000 / 8 / 10, true);
            }
            clock.advanceMillis(100);
        }

        subscriber.reallocate();
        assertThat(subscriber.downlink().probesStarted()).as("not connected").isZero();
        assertThat(subscriber.downlink().isProbing()).isFalse();

        media.connect(subscriber.transport(), CONNECTED);
        subscriber.reallocate();
        assertThat(subscriber.downlink().probesStarted()).as("connected: the same allocation probes").isEqualTo(1);
        router.removeProducer("cam");
    }

    @Test
    void anUnconnectedSubscriberAsksThePublisherForNoKeyframe() {
        PublisherEndpoint publisher = media.publisher();
        media.connect(publisher.transport(), PUBLISHER);
        router.addProducer("cam", "alice", new MediaDescription("1", MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(0x22220000L, 0, null)), "alice", "cam"), 0x22220000L, 0, publisher);
        SubscriberEndpoint subscriber = media.subscriber("sub");
        Consumer c = router.subscribe("cam", subscriber, 0x6000, 96, List.of());
        media.clearWritten();

        c.restart(); // what media repair or a re-subscription does
        c.requestKeyframe();
        media.drain();
        assertThat(media.written).as("no PLI on behalf of a subscriber that cannot receive the keyframe").isEmpty();

        media.connect(subscriber.transport(), CONNECTED);
        media.drain();
        assertThat(media.recipients()).as("connecting asks for the keyframe (after the ICE answer)")
            .containsExactly(CONNECTED, PUBLISHER);
        router.removeProducer("cam");
    }
}
