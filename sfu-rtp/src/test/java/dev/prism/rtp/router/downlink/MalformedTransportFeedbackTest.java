package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.rtcp.ReceiverReport;
import dev.prism.rtp.rtcp.Remb;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that negotiated transport-cc but sends feedback Prism cannot parse: counted, and its downlink estimate
 * falls back to its REMB, else to the loss in its receiver reports, instead of sinking to the floor (as it did: no
 * usable feedback looked like no feedback, the send-side estimate halved every second down to 100 kbit/s and the
 * subscriber was pinned to the lowest layer). Real RTCP bytes through {@link SubscriberEndpoint#onRtcp}, fake clock.
 */
class MalformedTransportFeedbackTest {
    private static final long CONSUMER_SSRC = 1000;

    /**
     * RTPFB FMT 15 whose single packet chunk is a run of symbol 3 (reserved): well-framed RTCP, unreadable feedback.
     * <pre>
     * 8f cd 00 05   V=2, FMT=15, PT=205 (RTPFB), length 5 (24 bytes)
     * 00 00 00 01   sender SSRC
     * 00 00 03 e8   media SSRC (1000)
     * 00 10 00 0a   base sequence 16, packet status count 10
     * 00 00 01 00   reference time 1, feedback packet count 0
     * 60 0a 00 00   run-length chunk: symbol 3 (reserved), 10 packets; padding
     * </pre>
     */
    private static final byte[] MALFORMED_TCC = ByteBufUtil.decodeHexDump(
        "8fcd0005" + "00000001" + "000003e8" + "0010000a" + "00000100" + "600a0000");

    private final FakeClock clock = new FakeClock();
    private final MediaCounters counters = new MediaCounters();
    private final RtcpSender rtcp = new RtcpSender(UnpooledByteBufAllocator.DEFAULT, clock);
    private final SubscriberEndpoint subscriber = new SubscriberEndpoint((t, r) -> { }, counters, rtcp);
    private final DownlinkController downlink = subscriber.downlink();
    private final Producer mic = new Producer("mic", "pub", new MediaDescription("mic", MediaKind.AUDIO,
        List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())), List.of(), List.of(), "s", "mic"), 0, 0,
        null, rtcp, 500, counters, () -> 0);

    MalformedTransportFeedbackTest() {
        subscriber.addConsumer(Consumer.create("mic", mic, subscriber, CONSUMER_SSRC, 111, List.of(),
            UnpooledByteBufAllocator.DEFAULT, counters));
        subscriber.configureFeedback(3, true, true);
    }

    @AfterEach
    void tearDown() {
        mic.closeAll();
    }

    @Test
    void theMalformedFixtureIsWellFramedButDoesNotParse() {
        assertThat(TransportCcFeedback.reusable().readFrom(Unpooled.wrappedBuffer(MALFORMED_TCC), 0,
            MALFORMED_TCC.length)).isFalse();
    }

    @Test
    void malformedFeedbackWithRembMakesTheEstimateFollowTheRemb() {
        for (int tick = 0; tick < 50; tick++) { // 5 s: feedback every 100 ms, REMB every second
            receive(MALFORMED_TCC);
            if (tick % 10 == 0) {
                receive(remb(600_000));
            }
            step();
        }
        assertThat(downlink.estimateBps()).as("was pinned at the 100 kbit/s floor").isEqualTo(600_000);
        assertThat(downlink.estimateSource()).isEqualTo(DownlinkController.EstimateSource.MALFORMED_TRANSPORT_CC_REMB);
        assertThat(downlink.estimateSource().description()).isEqualTo("transport-cc malformed: using REMB");

        receive(remb(350_000));
        assertThat(downlink.estimateBps()).isEqualTo(350_000);
        assertThat(counters.drops(DropReason.TRANSPORT_CC_MALFORMED)).isEqualTo(50);
        assertThat(counters.drops(DropReason.RTCP_MALFORMED)).isZero();
        assertThat(downlink.malformedFeedback()).isEqualTo(50);
        assertThat(downlink.fallbacks()).isEqualTo(1);
        assertThat(downlink.lastAllocation()).as("the fallback reallocated").isNotNull();
    }

    @Test
    void malformedFeedbackWithOnlyReceiverReportsIsLossBased() {
        for (int tick = 0; tick < 50; tick++) { // 5 s of clean receiver reports, one a second
            receive(MALFORMED_TCC);
            if (tick % 10 == 9) {
                receive(receiverReport(0));
            }
            step();
        }
        long grown = downlink.estimateBps();
        assertThat(grown).as("grows from the 1 Mbit/s start without loss (was pinned at the floor)")
            .isGreaterThan(1_300_000);
        assertThat(downlink.estimateSource()).isEqualTo(DownlinkController.EstimateSource.MALFORMED_TRANSPORT_CC_LOSS);
        assertThat(downlink.estimateSource().description()).isEqualTo("transport-cc malformed: using receiver-report loss");

        receive(MALFORMED_TCC);
        receive(receiverReport(64)); // 25% lost
        assertThat(downlink.estimateBps()).isEqualTo((long) (grown * (1 - 0.5 * 0.25)));
    }

    @Test
    void wellFormedFeedbackAgainEndsTheFallback() {
        for (int i = 0; i < DownlinkController.MALFORMED_BEFORE_FALLBACK; i++) {
            receive(MALFORMED_TCC);
            step();
        }
        assertThat(downlink.estimateSource()).isEqualTo(DownlinkController.EstimateSource.MALFORMED_TRANSPORT_CC_LOSS);
        for (int i = 0; i < DownlinkController.RECOVER_AFTER_VALID; i++) {
            TransportCcFeedback.Builder b = new TransportCcFeedback.Builder(1, CONSUMER_SSRC, i);
            b.add(i, clock.nanos() / 1000);
            receive(b.build());
            step();
        }
        assertThat(downlink.estimateSource()).isEqualTo(DownlinkController.EstimateSource.TRANSPORT_CC);
    }

    @Test
    void aFewMalformedMessagesAmongGoodOnesChangeNothing() {
        for (int i = 0; i < 20; i++) {
            receive(i % 2 == 0 ? MALFORMED_TCC : bytes(new TransportCcFeedback.Builder(1, CONSUMER_SSRC, i)));
            step();
        }
        assertThat(downlink.estimateSource()).isEqualTo(DownlinkController.EstimateSource.TRANSPORT_CC);
        assertThat(downlink.fallbacks()).isZero();
        assertThat(counters.drops(DropReason.TRANSPORT_CC_MALFORMED)).isEqualTo(10);
    }

    private byte[] bytes(TransportCcFeedback.Builder b) {
        b.add(7, clock.nanos() / 1000);
        return toBytes(b.build());
    }

    /** 100 ms of media to the subscriber (numbered for transport-cc, as the forwarder does), then the BWE tick. */
    private void step() {
        for (int i = 0; i < 10; i++) {
            downlink.onPacketSent(1_200);
            clock.advanceMillis(SubscriberEndpoint.BWE_TICK_MILLIS / 10);
        }
        subscriber.bweTick();
    }

    private void receive(byte[] compound) {
        ByteBuf buf = Unpooled.wrappedBuffer(compound);
        try {
            subscriber.onRtcp(null, buf);
        } finally {
            buf.release();
        }
    }

    private void receive(dev.prism.rtp.rtcp.RtcpMessage message) {
        receive(toBytes(message));
    }

    private static byte[] toBytes(dev.prism.rtp.rtcp.RtcpMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            message.write(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] remb(long bps) {
        return toBytes(Remb.of(1, bps, List.of(CONSUMER_SSRC)));
    }

    private static byte[] receiverReport(int fractionLost) {
        return toBytes(new ReceiverReport(1, List.of(new ReportBlock(CONSUMER_SSRC, fractionLost, 0, 100, 0, 0, 0))));
    }
}
