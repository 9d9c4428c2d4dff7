package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A publisher that announces simulcast by rid (no SSRCs in its SDP, as Chrome does) or a stream only by its mid: the
 * publisher endpoint binds each new SSRC to the layer its mid / rid / repaired-rid header extensions name, once.
 */
class SsrcLearningTest {
    private static final int MID = 1;
    private static final int RID = 10;
    private static final int RRID = 11;

    private final FakeClock clock = new FakeClock();
    private final MediaCounters counters = new MediaCounters();
    private final RtcpSender rtcp = new RtcpSender(UnpooledByteBufAllocator.DEFAULT, clock);
    private final PublisherEndpoint publisher = new PublisherEndpoint(counters, rtcp, (t, reason) -> { });
    private final RtpPacket view = new RtpPacket();
    private Producer camera;
    private Producer plain;

    private static MediaDescription video(String mid, List<RtpEncoding> encodings) {
        return new MediaDescription(mid, MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of()),
                        new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of())),
                List.of(new HeaderExtension(MID, HeaderExtension.SDES_MID),
                        new HeaderExtension(RID, HeaderExtension.SDES_RID),
                        new HeaderExtension(RRID, HeaderExtension.SDES_REPAIRED_RID)),
                encodings, "stream", "track-" + mid);
    }

    private void publish() {
        camera = new Producer("cam", "pub", video("1", List.of(new RtpEncoding(0, 0, "q"),
                new RtpEncoding(0, 0, "h"), new RtpEncoding(0, 0, "f"))), 0, 0, null, rtcp, 500, counters, () -> 0);
        plain = new Producer("plain", "pub", video("2", List.of()), 0, 0, null, rtcp, 500, counters, () -> 0);
        publisher.addProducer(camera);
        publisher.addProducer(plain);
    }

    @AfterEach
    void tearDown() {
        camera.closeAll();
        plain.closeAll();
    }

    /**
     * A VP8 packet with a two-word one-byte extension block: mid, then rid (or repaired rid for RTX); {@code rid} null
     * for none. RTX packets (PT 97) carry a two-byte OSN.
     */
    private void receive(long ssrc, int seq, int pt, String mid, int ridId, String rid) {
        StringBuilder ext = new StringBuilder();
        ext.append(String.format("%02x %02x ", MID << 4, (int) mid.charAt(0)));      // id=1 L=1: mid
        int used = 2;
        if (rid != null) {
            ext.append(String.format("%02x %02x ", ridId << 4, (int) rid.charAt(0))); // id L=1: rid
            used += 2;
        }
        for (; used < 8; used++) {
            ext.append("00 ");
        }
        String hex = String.format("90 %02x %04x 00000000 %08x be de 00 02 %s %s 90 10 00 9d 01 2a", pt, seq, ssrc,
                ext, pt == 97 ? "00 01" : "");
        ByteBuf buf = Hex.buf(hex);
        try {
            assertThat(view.wrap(buf)).isTrue();
            publisher.onRtp(null, view);
        } finally {
            view.clear();
            buf.release();
        }
    }

    @Test
    void eachSsrcIsBoundToTheLayerItsRidNames() {
        publish();
        receive(0xA0, 1, 96, "1", RID, "h");
        receive(0xB0, 1, 96, "1", RID, "q");
        receive(0xC0, 1, 96, "1", RID, "f");
        assertThat(camera.layer(0).ssrc()).isEqualTo(0xB0);
        assertThat(camera.layer(1).ssrc()).isEqualTo(0xA0);
        assertThat(camera.layer(2).ssrc()).isEqualTo(0xC0);
        assertThat(camera.layer(1).packets()).isEqualTo(1);

        // Later packets need no extensions (browsers stop sending them once acknowledged): the SSRC is known.
        receive(0xA0, 2, 96, "1", RID, null);
        assertThat(camera.layer(1).packets()).isEqualTo(2);
        assertThat(counters.drops(DropReason.RTP_UNKNOWN_SSRC)).isZero();
    }

    @Test
    void rtxIsBoundByItsRepairedRidAndPayloadType() {
        publish();
        receive(0xA0, 1, 96, "1", RID, "h");
        receive(0xA1, 7, 97, "1", RRID, "h");
        assertThat(camera.layer(1).rtxSsrc()).isEqualTo(0xA1);
        assertThat(camera.layer(1).ssrc()).as("not taken for the media stream").isEqualTo(0xA0);
    }

    @Test
    void aStreamNamedOnlyByItsMidIsBoundToTheOnlyLayer() {
        publish();
        receive(0xD0, 1, 96, "2", RID, null);
        assertThat(plain.layer(0).ssrc()).isEqualTo(0xD0);
        assertThat(plain.ssrc()).isEqualTo(0xD0);
    }

    @Test
    void aBoundLayerIsNotMovedAndUnknownNamesAreDropped() {
        publish();
        receive(0xA0, 1, 96, "1", RID, "h");
        receive(0xA9, 1, 96, "1", RID, "h");            // another SSRC claims the same layer
        assertThat(camera.layer(1).ssrc()).isEqualTo(0xA0);
        receive(0xE0, 1, 96, "9", RID, "h");            // no such mid
        receive(0xE1, 1, 96, "1", RID, "x");            // no such rid
        receive(0xE2, 1, 96, "1", RID, null);           // simulcast track: the mid alone names no layer
        assertThat(counters.drops(DropReason.RTP_UNKNOWN_SSRC)).isEqualTo(4);
        assertThat(camera.totals().packets()).isEqualTo(1);
    }
}
