package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One subscriber's downlink applied to its consumers: the estimate shared by the allocator sets each consumer's layer
 * target (audio and single-encoding video served first, whole), preferences are honoured, and every packet gets the
 * next transport-wide sequence number once transport-cc is negotiated. Layer rates come from producers' measurements
 * over a fake clock.
 */
class DownlinkControllerTest {
    private final FakeClock clock = new FakeClock();
    private final MediaCounters counters = new MediaCounters();
    private final RtcpSender rtcp = new RtcpSender(UnpooledByteBufAllocator.DEFAULT, clock);
    private final SubscriberEndpoint subscriber = new SubscriberEndpoint((t, r) -> { }, counters, rtcp);
    private final DownlinkController downlink = subscriber.downlink();
    private final List<Producer> producers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        producers.forEach(Producer::closeAll);
    }

    private Producer producer(String id, MediaKind kind, int layers) {
        List<RtpEncoding> encodings = new ArrayList<>();
        for (int i = 0; layers > 1 && i < layers; i++) {
            encodings.add(new RtpEncoding(0, 0, "r" + i));
        }
        RtpCodec codec = kind == MediaKind.AUDIO ? new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())
                : new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of());
        Producer p = new Producer(id, "pub", new MediaDescription(id, kind, List.of(codec), List.of(), encodings, "s",
                id), 0, 0, null, rtcp, 500, counters, () -> 0);
        producers.add(p);
        return p;
    }

    private Consumer consume(Producer p) {
        Consumer c = Consumer.create(p.trackId(), p, subscriber, 1000 + producers.indexOf(p), 96, List.of(),
                UnpooledByteBufAllocator.DEFAULT, counters);
        subscriber.addConsumer(c);
        return c;
    }

    /**
     * One second of traffic: for each producer, spatial layer s at {@code kbps[s]} kbit/s in 15 frames (temporal layer
     * 0 only, so each layer's whole rate is its base). The producers' windows then report these rates.
     */
    private void traffic(Producer p, int... kbps) {
        for (int frame = 0; frame < 15; frame++) {
            for (int s = 0; s < kbps.length; s++) {
                p.layerStats().onPacket(s, 0, kbps[s] * 1000 / 8 / 15, true);
            }
        }
    }

    private void second(Runnable traffic) {
        for (int i = 0; i < 10; i++) {
            traffic.run();
            clock.advanceMillis(100);
        }
    }

    @Test
    void theEstimateIsSharedAudioFirstThenTheCameraAsHighAsItFits() {
        Producer mic = producer("mic", MediaKind.AUDIO, 1);
        Producer cam = producer("cam", MediaKind.VIDEO, 3);
        Consumer audio = consume(mic);
        Consumer video = consume(cam);
        second(() -> {
            traffic(cam, 15, 30, 70);          // per 100 ms: 150k, 300k, 700k in a second
            traffic(mic, 6);
        });
        downlink.configure(true, false);       // start estimate 1 Mbit/s
        downlink.allocate(subscriber.consumers());
        // 60k audio, then 700k x 1.15 = 805k for the top layer fits in the rest.
        assertThat(video.targetLayerName()).isEqualTo("s2t0");
        assertThat(video.layerReason()).isEqualTo("optimal");
        assertThat(audio.targetLayerName()).as("audio has no layers").isNull();
        assertThat(downlink.lastAllocation().allocatedBps()).isBetween(700_000L, 800_000L);

        video.setPreferences(new Preferences(0, 3, true));
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).isEqualTo("paused");
        assertThat(video.layerReason()).isEqualTo("paused_by_subscriber");
    }

    @Test
    void aCameraThatDoesNotFitAtItsLowestLayerIsPausedButAudioFlows() {
        Producer mic = producer("mic", MediaKind.AUDIO, 1);
        Producer cam = producer("cam", MediaKind.VIDEO, 3);
        consume(mic);
        Consumer video = consume(cam);
        second(() -> {
            traffic(cam, 80, 150, 300);        // 800k at the lowest layer: more than a 100k floor can carry
            traffic(mic, 6);
        });
        downlink.configure(false, true);      // REMB only
        downlink.onRemb(100_000);
        downlink.allocate(subscriber.consumers());
        assertThat(downlink.mode()).isEqualTo(DownlinkController.Mode.REMB);
        assertThat(downlink.estimateBps()).isEqualTo(100_000);
        assertThat(video.targetLayerName()).isEqualTo("paused");
        assertThat(video.layerReason()).isEqualTo("paused_no_bandwidth");
    }

    @Test
    void aSingleEncodingIsServedWholeWhateverTheEstimate() {
        Producer cam = producer("cam", MediaKind.VIDEO, 1);
        Producer screen = producer("screen", MediaKind.VIDEO, 3);
        Consumer video = consume(cam);
        Consumer share = consume(screen);
        share.setPriority(Priority.SCREEN_SHARE);
        second(() -> {
            traffic(cam, 250);                 // 2.5 Mbit/s, one encoding
            traffic(screen, 10, 40);
        });
        downlink.configure(true, false);
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).isEqualTo("s0t3");
        assertThat(video.layerReason()).isEqualTo("single_layer");
        assertThat(share.targetLayerName()).as("what is left after it").isEqualTo("paused");
        video.setPreferences(new Preferences(0, 3, true));
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).as("the subscriber may still pause it").isEqualTo("paused");
        assertThat(share.targetLayerName()).isEqualTo("s1t0");
    }

    @Test
    void withoutFeedbackThereIsNoLimit() {
        Producer cam = producer("cam", MediaKind.VIDEO, 3);
        Consumer video = consume(cam);
        second(() -> traffic(cam, 15, 30, 70));
        assertThat(downlink.mode()).isEqualTo(DownlinkController.Mode.NONE);
        assertThat(downlink.numbersPackets()).isFalse();
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).isEqualTo("s2t0");
        assertThat(downlink.estimateBps()).isEqualTo(DownlinkController.UNLIMITED_BPS);
        video.setPreferences(new Preferences(200, 3, false)); // a thumbnail: heights unknown yet, so no limit applies
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).isEqualTo("s2t0");
    }

    @Test
    void transportWideNumbersFollowEachOtherAndWrap() {
        downlink.configure(false, true);
        assertThat(downlink.numbersPackets()).isFalse();
        downlink.configure(true, false);                       // an upgrade to transport-cc takes effect
        assertThat(downlink.numbersPackets()).isTrue();
        for (int i = 0; i < 65535; i++) {
            downlink.onPacketSent(100);
        }
        assertThat(downlink.onPacketSent(100)).isEqualTo(65535);
        assertThat(downlink.onPacketSent(100)).isZero();
        downlink.configure(false, true);                       // never back down
        assertThat(downlink.mode()).isEqualTo(DownlinkController.Mode.TRANSPORT_CC);
        assertThat(downlink.sendSideEstimator().packetsSent()).isEqualTo(65537);
    }

    @Test
    void theEstimateMovingByMoreThanATenthCallsForAnAllocationAtOnce() {
        downlink.configure(false, true);
        downlink.onRemb(1_000_000);
        downlink.allocate(subscriber.consumers());
        assertThat(downlink.onRemb(1_050_000)).isFalse();
        assertThat(downlink.onRemb(850_000)).isTrue();
        assertThat(downlink.onTick()).as("steady: not yet the 500 ms round").isTrue(); // moved since the last round
        downlink.allocate(subscriber.consumers());
        assertThat(downlink.onTick()).isFalse();
        clock.advanceMillis(DownlinkController.ALLOCATION_INTERVAL_MILLIS);
        assertThat(downlink.onTick()).isTrue();
    }
    @Test
    void aPathMoveAfterAnOutageMeasuresTheNewPathAfreshInsteadOfKeepingTheCollapsedEstimate() {
        Producer cam = producer("cam", MediaKind.VIDEO, 3);
        Consumer video = consume(cam);
        second(() -> traffic(cam, 15, 30, 70)); // 150k, 300k, 700k
        downlink.configure(true, false);        // start estimate 1 Mbit/s
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).isEqualTo("s2t0");

        // The subscriber's network changes: packets go out into the dead path, no feedback comes back for 4 s, and the
        // feedback timeouts halve the estimate once a second (1000, 500, 250, 125 kbit/s) down to the floor.
        for (int tick = 0; tick < 40; tick++) {
            traffic(cam, 15, 30, 70);
            downlink.onPacketSent(1200);
            clock.advanceMillis(SubscriberEndpoint.BWE_TICK_MILLIS);
            if (downlink.onTick()) {
                downlink.allocate(subscriber.consumers());
            }
        }
        assertThat(downlink.estimateBps()).isEqualTo(DownlinkController.ESTIMATOR.minBps());
        assertThat(video.targetLayerName()).isNotEqualTo("s2t0");

        // ICE found the new path: measured as a new connection's, and the downgrade's 3 s upgrade hold is forgotten.
        downlink.onPathMoved(subscriber.consumers());
        assertThat(downlink.estimateBps()).isEqualTo(DownlinkController.ESTIMATOR.startBps());
        downlink.allocate(subscriber.consumers());
        assertThat(video.targetLayerName()).isEqualTo("s2t0");
        assertThat(downlink.pathMoves()).isEqualTo(1);
    }

    @Test
    void copiesOfARetransmissionFollowTheLossKind() {
        // loss kind                                   key-frame packet  -> copies
        Object[][] rows = {
                {dev.prism.rtp.bwe.LossClassifier.LossKind.NONE, false, 1},
                {dev.prism.rtp.bwe.LossClassifier.LossKind.NONE, true, 2},       // a key frame is worth a copy
                {dev.prism.rtp.bwe.LossClassifier.LossKind.RANDOM, false, 2},    // random loss hits copies alike
                {dev.prism.rtp.bwe.LossClassifier.LossKind.RANDOM, true, 2},
                {dev.prism.rtp.bwe.LossClassifier.LossKind.CONGESTION, false, 1},
                {dev.prism.rtp.bwe.LossClassifier.LossKind.CONGESTION, true, 1}, // no extra load on a full path
        };
        for (Object[] r : rows) {
            assertThat(DownlinkController.repairCopies((dev.prism.rtp.bwe.LossClassifier.LossKind) r[0],
                    (boolean) r[1])).as("%s key %s", r[0], r[1]).isEqualTo(r[2]);
        }
        assertThat(new DownlinkController(new FakeClock()).repairCopies(true))
                .as("no transport-cc estimator: unknown loss counts as congestion").isEqualTo(1);
    }
}
