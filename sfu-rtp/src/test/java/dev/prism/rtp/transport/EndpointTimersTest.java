package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.testkit.FakePeer;
import dev.prism.rtp.testkit.TestRtp;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's periodic work runs on the engine's {@link dev.prism.core.clock.Timers}: under a {@link FakeClock}
 * with {@link ManualTimers}, a publisher gets its transport-cc feedback every 50 ms, its receiver report every second,
 * and loses its transport when ICE consent expires, each exactly when the test moves the clock there and never
 * otherwise (before the seam, these timers ran on the embedded channel's loop by the wall clock).
 */
class EndpointTimersTest {
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5001);
    private static final long MIC_SSRC = 0x1111_0000L;
    private static final int OPUS = 111;
    private static final int TRANSPORT_CC_ID = 3;
    private static final int RTPFB = 205;
    private static final int RR = 201;

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final EmbeddedMedia media = new EmbeddedMedia(UnpooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT,
        clock, timers);
    private final RoomRouter room = new RoomRouter("room", media.engine());
    private final List<String> closed = new ArrayList<>();

    @AfterEach
    void tearDown() {
        room.removeProducer("mic");
        media.close();
    }

    @Test
    void publisherFeedbackAndReportsRunWhenTheFakeClockReachesThem() {
        PublisherEndpoint publisher = new PublisherEndpoint(media.engine().counters(), room.rtcp(),
            (t, reason) -> closed.add(reason));
        WebRtcTransport transport = media.createTransport("pub", publisher);
        publisher.bind(transport);
        room.addProducer("mic", "alice", audioWithTransportCc(), MIC_SSRC, 0, publisher);
        FakePeer alice = media.connectPeer(transport, ALICE, SrtpProfile.AEAD_AES_128_GCM, 1);
        assertThat(timers.pending()).as("consent check, publisher's reports, tick and feedback").isEqualTo(4);

        for (int seq = 0; seq < 5; seq++) {
            ByteBuf plain = TestRtp.audio(OPUS, MIC_SSRC, seq, seq * 960L, TRANSPORT_CC_ID, seq, 40);
            media.receive(alice.rtp(plain));
            plain.release();
        }
        assertThat(rtcpTypesTo(alice)).as("nothing before the clock moves").isEmpty();

        timers.advanceMillis(49);
        assertThat(rtcpTypesTo(alice)).as("49 ms: no feedback yet").isEmpty();
        timers.advanceMillis(1);
        assertThat(rtcpTypesTo(alice)).as("50 ms: the transport-cc feedback of the five packets")
            .containsExactly(RTPFB);

        timers.advanceMillis(949);
        assertThat(rtcpTypesTo(alice)).as("nothing new arrived: no feedback, no report before 1 s").isEmpty();
        timers.advanceMillis(1);
        assertThat(rtcpTypesTo(alice)).as("1 s: the receiver report").containsExactly(RR);
        assertThat(transport.isConnected()).isTrue();

        // No STUN from the peer since the ICE check at 0 s: consent (30 s) expires at the first check after it.
        timers.advanceMillis(29_000);
        assertThat(transport.isConnected()).as("30 s").isTrue();
        timers.advanceMillis(1_000);
        assertThat(closed).containsExactly("ice consent expired");
        media.takeOutbound().forEach(DatagramPacket::release);
        int pendingAfterClose = timers.pending();
        assertThat(pendingAfterClose).as("the publisher's timers are cancelled; the engine's consent check stays")
            .isEqualTo(1);
    }

    /** The first RTCP packet type of every datagram the engine wrote to {@code peer} since the last call. */
    private List<Integer> rtcpTypesTo(FakePeer peer) {
        List<Integer> types = new ArrayList<>();
        for (DatagramPacket d : media.takeOutbound()) {
            try {
                assertThat(peer.isRecipientOf(d)).isTrue();
                ByteBuf plain = peer.decrypt(d);
                assertThat(FakePeer.isRtcp(plain)).isTrue();
                types.add((int) plain.getUnsignedByte(1));
                plain.release();
            } finally {
                d.release();
            }
        }
        return types;
    }

    private static MediaDescription audioWithTransportCc() {
        RtpCodec opus = new RtpCodec(OPUS, "opus", 48000, 2, Map.of(),
            List.of(new RtcpFeedback("transport-cc", "")));
        return new MediaDescription("0", MediaKind.AUDIO, List.of(opus),
            List.of(new HeaderExtension(TRANSPORT_CC_ID, HeaderExtension.TRANSPORT_CC)),
            List.of(new RtpEncoding(MIC_SSRC, 0, null)), "alice", "mic");
    }
}
