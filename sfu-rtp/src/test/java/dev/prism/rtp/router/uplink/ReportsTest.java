package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.rtcp.NtpClock;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The publisher side of RTCP with a fake clock: sender reports map the publisher's clock onto Prism's so that audio and
 * video keep their relative timing whatever the network jitter of the reports themselves (lip sync), and receiver
 * report blocks carry loss and LSR/DLSR.
 */
class ReportsTest {
    private static final long MS = 1_000_000L;
    private final FakeClock clock = new FakeClock();
    private final RtcpSender rtcp = new RtcpSender(UnpooledByteBufAllocator.DEFAULT, clock);
    private final MediaCounters counters = new MediaCounters();
    private final PublisherEndpoint publisher = new PublisherEndpoint(counters, rtcp, (t, reason) -> { });

    private Producer producer(MediaKind kind, long ssrc, String codec, int clockRate) {
        MediaDescription d = new MediaDescription("0", kind,
                List.of(new RtpCodec(kind == MediaKind.AUDIO ? 111 : 96, codec, clockRate, 1, Map.of(), List.of())),
                List.of(), List.of(new RtpEncoding(ssrc, 0, null)), "s", "t");
        Producer p = new Producer(kind + "-track", "pub", d, ssrc, 0, null, rtcp,
                500, counters, () -> 0);
        publisher.addProducer(p);
        return p;
    }

    private void senderReport(long ssrc, long ntp, long rtp) {
        ByteBuf buf = Unpooled.buffer();
        new SenderReport(ssrc, ntp, rtp, 10, 1000, List.of()).write(buf);
        try {
            publisher.onRtcp(null, buf);
        } finally {
            buf.release();
        }
    }

    /** 64-bit NTP for a number of seconds (with a fraction) since 1900. */
    private static long ntp(double seconds) {
        long whole = (long) seconds;
        return whole << 32 | (long) ((seconds - whole) * 4294967296.0);
    }

    @Test
    void audioAndVideoStayInSyncWhateverTheJitterOfTheirReports() {
        Producer audio = producer(MediaKind.AUDIO, 0xA, "opus", 48000);
        Producer video = producer(MediaKind.VIDEO, 0xB, "VP8", 90000);
        double base = 3_900_000_000.0;
        // The publisher stamps both from one clock: video RTP 900000 at NTP base+0.0, audio RTP 480000 at base+0.5.
        // The video report takes 1 ms to arrive; the audio report 21 ms (20 ms of jitter).
        clock.advanceMillis(1);
        senderReport(0xB, ntp(base), 900_000);
        clock.advanceMillis(520);
        senderReport(0xA, ntp(base + 0.5), 480_000);
        clock.advanceMillis(2000);
        long now = clock.nanos();
        // Which publisher instant does each stream's extrapolated RTP timestamp stand for now?
        double videoAt = base + (video.rtpTimestampAt(now) - 900_000) / 90000.0;
        double audioAt = base + 0.5 + (audio.rtpTimestampAt(now) - 480_000) / 48000.0;
        assertThat(Math.abs(videoAt - audioAt)).as("A/V offset in seconds").isLessThan(0.0001);
    }

    @Test
    void aPublisherClockJumpReanchorsTheMapping() {
        Producer video = producer(MediaKind.VIDEO, 0xB, "VP8", 90000);
        senderReport(0xB, ntp(3_900_000_000.0), 0);
        clock.advanceMillis(1000);
        senderReport(0xB, ntp(3_900_100_000.0), 90_000); // the publisher's wall clock jumped 100,000 s
        assertThat(video.rtpTimestampAt(clock.nanos())).isEqualTo(90_000);
    }

    @Test
    void receiverReportBlocksCarryLossAndTheLastSenderReport() {
        Producer audio = producer(MediaKind.AUDIO, 0xA, "opus", 48000);
        assertThat(audio.reportBlock(clock.nanos())).as("nothing received yet").isNull();
        RtpPacket view = new RtpPacket();
        for (int seq = 100; seq < 120; seq++) {
            if (seq == 105 || seq == 106) {
                continue; // lost
            }
            ByteBuf p = Unpooled.buffer(16).writeByte(0x80).writeByte(111).writeShort(seq).writeInt(seq * 960)
                    .writeInt(0xA).writeInt(0);
            try {
                assertThat(view.wrap(p)).isTrue();
                audio.onRtp(view);
            } finally {
                p.release();
            }
            clock.advanceMillis(20);
        }
        long srNtp = ntp(3_900_000_000.25);
        senderReport(0xA, srNtp, 19 * 960);
        clock.advanceMillis(250);
        ReportBlock b = audio.reportBlock(clock.nanos());
        assertThat(b.ssrc()).isEqualTo(0xA);
        assertThat(b.cumulativeLost()).isEqualTo(2);
        assertThat(b.fractionLost()).isEqualTo(2 * 256 / 20);
        assertThat(b.extendedHighestSeq()).isEqualTo(119);
        assertThat(b.lastSr()).isEqualTo(NtpClock.compact(srNtp));
        assertThat(b.delaySinceLastSr()).as("250 ms in 1/65536 s").isEqualTo(250 * 65536 / 1000);
        assertThat(audio.reportBlock(clock.nanos()).fractionLost()).as("a new interval").isZero();
    }
}
