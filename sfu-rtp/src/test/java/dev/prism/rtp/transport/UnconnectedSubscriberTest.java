package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
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
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress PUBLISHER = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress CONNECTED = new InetSocketAddress("10.0.0.2", 5002);
    private static final InetSocketAddress ICE_ONLY = new InetSocketAddress("10.0.0.3", 5003);
    private static final long MIC_SSRC = 0x11110000L;
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

    private final FakeClock clock = new FakeClock();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final MediaEngine engine = new MediaEngine(new MediaEngineConfig(LOCAL.getHostString(), LOCAL.getPort(),
        LOCAL.getHostString(), Duration.ofSeconds(30), clock), channel, UnpooledByteBufAllocator.DEFAULT);
    private final RoomRouter router = new RoomRouter("room", engine);
    private final List<Object> written = new ArrayList<>();
    private int remotes;

    @AfterEach
    void tearDown() {
        drain();
        written.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
        engine.outboundPool().close();
        engine.handshakeExecutor().close();
    }

    @Test
    void onlyTheConnectedSubscriberReceivesMediaAndReports() {
        PublisherEndpoint publisher = new PublisherEndpoint(engine.counters(), router.rtcp(), (t, r) -> { });
        publisher.bind(engine.createTransport("pub", publisher));
        connect(publisher.transport(), PUBLISHER);
        router.addProducer("mic", "alice", new MediaDescription("0", MediaKind.AUDIO,
                List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(MIC_SSRC, 0, null)), "alice", "mic"), MIC_SSRC, 0, publisher);

        SubscriberEndpoint connected = subscriber("connected");
        connect(connected.transport(), CONNECTED);
        SubscriberEndpoint neverAnswered = subscriber("never-answered"); // no remote SDP, no ICE, no DTLS
        SubscriberEndpoint iceOnly = subscriber("ice-only"); // answered, ICE done, DTLS never finished
        iceCheck(iceOnly.transport(), ICE_ONLY);
        for (SubscriberEndpoint s : List.of(connected, neverAnswered, iceOnly)) {
            s.configureFeedback(3, true, true);
            assertThat(router.subscribe("mic", s, 0x5000 + remotes++, 111, List.of())).isNotNull();
        }
        drain();
        written.forEach(ReferenceCountUtil::release);
        written.clear();
        long sendsRefused = engine.counters().drops(DropReason.SEND_NOT_CONNECTED);

        SrtpSession publisherSrtp = SrtpSession.create(PROFILE, keys(), false);
        try {
            for (int seq = 0; seq < 50; seq++) {
                ByteBuf p = Unpooled.buffer(12 + 80 + SrtpSession.MAX_TRAILER);
                p.writeByte(0x80).writeByte(111).writeShort(seq).writeInt(seq * 960).writeInt((int) MIC_SSRC);
                p.writeZero(80);
                assertThat(publisherSrtp.protectRtp(p)).isEqualTo(SrtpStatus.OK);
                receive(new DatagramPacket(p, LOCAL, PUBLISHER));
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
        drain();

        assertThat(recipients()).as("datagrams went to the connected subscriber only").containsOnly(CONNECTED);
        assertThat(written).hasSize(50);
        assertThat(engine.counters().rtpForwarded()).isEqualTo(50);
        assertThat(engine.counters().drops(DropReason.SEND_NOT_CONNECTED) - sendsRefused)
            .as("one refused send per packet per unconnected subscriber, counted").isEqualTo(100);
        assertThat(neverAnswered.downlink().probesStarted()).isZero();
        assertThat(iceOnly.downlink().probesStarted()).isZero();
        assertThat(iceOnly.transport().state()).isEqualTo(WebRtcTransport.State.CHECKING);
    }

    @Test
    void noProbeStartsBeforeTheSubscriberConnectsAndOneMayAfter() {
        PublisherEndpoint publisher = new PublisherEndpoint(engine.counters(), router.rtcp(), (t, r) -> { });
        publisher.bind(engine.createTransport("pub", publisher));
        Producer camera = router.addProducer("cam", "alice", new MediaDescription("1", MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(0, 0, "q"), new RtpEncoding(0, 0, "h"), new RtpEncoding(0, 0, "f")),
                "alice", "cam"), 0, 0, publisher);
        SubscriberEndpoint subscriber = subscriber("sub");
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

        connect(subscriber.transport(), CONNECTED);
        subscriber.reallocate();
        assertThat(subscriber.downlink().probesStarted()).as("connected: the same allocation probes").isEqualTo(1);
        router.removeProducer("cam");
    }

    @Test
    void anUnconnectedSubscriberAsksThePublisherForNoKeyframe() {
        PublisherEndpoint publisher = new PublisherEndpoint(engine.counters(), router.rtcp(), (t, r) -> { });
        publisher.bind(engine.createTransport("pub", publisher));
        connect(publisher.transport(), PUBLISHER);
        router.addProducer("cam", "alice", new MediaDescription("1", MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(0x22220000L, 0, null)), "alice", "cam"), 0x22220000L, 0, publisher);
        SubscriberEndpoint subscriber = subscriber("sub");
        Consumer c = router.subscribe("cam", subscriber, 0x6000, 96, List.of());
        drain();
        written.forEach(ReferenceCountUtil::release);
        written.clear();

        c.restart(); // what media repair or a re-subscription does
        c.requestKeyframe();
        drain();
        assertThat(written).as("no PLI on behalf of a subscriber that cannot receive the keyframe").isEmpty();

        connect(subscriber.transport(), CONNECTED);
        drain();
        assertThat(recipients()).as("connecting asks for the keyframe (after the ICE answer)")
            .containsExactly(CONNECTED, PUBLISHER);
        router.removeProducer("cam");
    }

    private SubscriberEndpoint subscriber(String id) {
        SubscriberEndpoint s = new SubscriberEndpoint((t, r) -> { }, engine.counters(), router.rtcp());
        s.bind(engine.createTransport(id, s));
        return s;
    }

    /** A real ICE check through the pipeline, then SRTP keys as a finished DTLS handshake would install them. */
    private void connect(WebRtcTransport t, InetSocketAddress remote) {
        iceCheck(t, remote);
        t.dtlsConnected(PROFILE, keys(), true);
        assertThat(t.isConnected()).isTrue();
    }

    private void iceCheck(WebRtcTransport t, InetSocketAddress remote) {
        String remoteUfrag = "rem" + remotes++;
        t.setRemoteParameters(new IceParameters(remoteUfrag, "remotePassword0123456789"),
            new DtlsFingerprint("sha-256", "00"), DtlsRole.ACTIVE);
        byte[] txid = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        txid[0] = (byte) remotes;
        ByteBuf check = StunMessageWriter.start(UnpooledByteBufAllocator.DEFAULT, StunMessage.BINDING_REQUEST, txid)
            .username(t.localIceParameters().ufrag() + ":" + remoteUfrag)
            .priority(1853824767L)
            .iceControlling(remotes)
            .useCandidate()
            .finish(StunIntegrity.forPassword(t.localIceParameters().pwd()), true);
        receive(new DatagramPacket(check, LOCAL, remote));
        assertThat(t.remoteAddress()).isEqualTo(remote);
    }

    private void receive(DatagramPacket datagram) {
        channel.pipeline().fireChannelRead(datagram);
        channel.pipeline().fireChannelReadComplete();
    }

    private void drain() {
        channel.flush();
        Object m;
        while ((m = channel.readOutbound()) != null) {
            written.add(m);
        }
    }

    private List<InetSocketAddress> recipients() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Object m : written) {
            out.add(((DatagramPacket) m).recipient());
        }
        return out;
    }

    private static SrtpKeyingMaterial keys() {
        byte[] material = new byte[PROFILE.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (7 * i + 3);
        }
        return SrtpKeyingMaterial.fromExporterOutput(PROFILE, material);
    }
}
