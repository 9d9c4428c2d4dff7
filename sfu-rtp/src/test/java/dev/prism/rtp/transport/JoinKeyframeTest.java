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
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.downlink.VideoConsumer;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.testkit.TestRtp;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A joining subscriber's first video (issue #14 item 6): its key frame is asked for at its first ICE check, not after
 * DTLS, and a key frame that arrives before its SRTP is up is not wasted: the latest key frame and what followed are
 * replayed from the producer's history the moment it connects, with no second request to the publisher. The real
 * engine on an {@link EmbeddedChannel} with a fake clock.
 */
class JoinKeyframeTest {
    private static final InetSocketAddress PUBLISHER = new InetSocketAddress("10.0.0.1", 5001);
    private static final InetSocketAddress JOINER = new InetSocketAddress("10.0.0.2", 5002);
    private static final long CAM_SSRC = 0x22220000L;

    private final RecordingEngine media = new RecordingEngine();
    private final FakeClock clock = media.clock;
    private final RoomRouter router = media.router;
    private final SrtpSession publisherSrtp = SrtpSession.create(PROFILE, keys(), false);
    private PublisherEndpoint publisher;
    private Producer camera;
    private int seq = 100;
    private long timestamp = 90_000;

    @BeforeEach
    void publisherInTheRoom() {
        publisher = media.publisher();
        media.connect(publisher.transport(), PUBLISHER);
        camera = router.addProducer("cam", "alice", new MediaDescription("1", MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of())), List.of(),
                List.of(new RtpEncoding(CAM_SSRC, 0, null)), "alice", "cam"), CAM_SSRC, 0, publisher);
    }

    @AfterEach
    void tearDown() {
        router.removeProducer("cam");
        publisherSrtp.close();
        media.close();
    }

    @Test
    void theFirstIceCheckAsksThePublisherForExactlyOneKeyframe() {
        SubscriberEndpoint joiner = subscriber("joiner");
        router.subscribe("cam", joiner, 0x6000, 96, List.of());
        media.clearWritten();
        assertThat(camera.totals().keyframeRequestsSent()).isZero();

        media.iceCheck(joiner.transport(), JOINER);
        assertThat(media.recipients()).as("the ICE answer, then the PLI").containsExactly(JOINER, PUBLISHER);
        assertThat(camera.totals().keyframeRequestsSent()).isEqualTo(1);

        media.iceCheck(joiner.transport(), JOINER); // the browser's next checks ask nothing more
        joiner.transport().dtlsConnected(PROFILE, keys(), true);
        media.drain();
        assertThat(camera.totals().keyframeRequestsSent()).as("connecting within the throttle interval is folded in")
            .isEqualTo(1);
        assertThat(media.recipients()).containsOnlyOnce(PUBLISHER);
    }

    @Test
    void aKeyframeThatArrivesBeforeDtlsIsReplayedWhenTheSubscriberConnects() {
        SubscriberEndpoint joiner = subscriber("joiner");
        VideoConsumer c = (VideoConsumer) router.subscribe("cam", joiner, 0x6000, 96, List.of());
        media.iceCheck(joiner.transport(), JOINER);
        publish(false); // a delta frame from before the key frame: never replayed
        publish(true);  // the publisher's answer to the PLI, while DTLS runs
        publish(false);
        publish(false);
        assertThat(c.packets()).as("nothing forwarded before SRTP is up").isZero();
        media.clearWritten();

        joiner.transport().dtlsConnected(PROFILE, keys(), true);
        assertThat(c.packets()).as("the key frame and the two frames after it").isEqualTo(3);
        assertThat(c.keyframeReplays()).isEqualTo(1);
        assertThat(c.waitingForKeyframe()).isFalse();
        assertThat(camera.totals().keyframeRequestsSent()).as("the ICE check's request only").isEqualTo(1);

        publish(false);
        assertThat(c.packets()).as("live packets follow the replayed ones").isEqualTo(4);
        clock.advanceMillis(1000);
        media.drain();
        assertThat(camera.totals().keyframeRequestsSent()).as("no deferred retry either").isEqualTo(1);
    }

    @Test
    void aKeyframeTooOldOrWithAHoleIsNotReplayedAndIsAskedForInstead() {
        SubscriberEndpoint joiner = subscriber("joiner");
        VideoConsumer c = (VideoConsumer) router.subscribe("cam", joiner, 0x6000, 96, List.of());
        publish(true);
        seq++; // one packet lost after the key frame and never recovered
        publish(false);
        clock.advanceMillis(600);
        media.iceCheck(joiner.transport(), JOINER);
        joiner.transport().dtlsConnected(PROFILE, keys(), true);
        assertThat(c.packets()).isZero();
        assertThat(c.keyframeReplays()).isZero();
        assertThat(c.waitingForKeyframe()).isTrue();

        publish(true);
        assertThat(c.packets()).as("the next key frame starts it").isEqualTo(1);
    }

    private void publish(boolean keyframe) {
        ByteBuf p = TestRtp.vp8(96, CAM_SSRC, seq++, timestamp, seq, keyframe, 0, 0, 300);
        timestamp += 3000;
        p.ensureWritable(SrtpSession.MAX_TRAILER);
        assertThat(publisherSrtp.protectRtp(p)).isEqualTo(SrtpStatus.OK);
        media.receive(new DatagramPacket(p, LOCAL, PUBLISHER));
        clock.advanceMillis(33);
    }

    private SubscriberEndpoint subscriber(String id) {
        SubscriberEndpoint s = media.subscriber(id);
        s.configureFeedback(3, true, false);
        return s;
    }
}
