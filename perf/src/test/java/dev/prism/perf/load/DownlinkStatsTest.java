package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Every packet Prism can send a subscriber, sorted; hex in RTP header order. */
class DownlinkStatsTest {
    private static final long VIDEO = 0x11111111L;
    private static final long VIDEO_RTX = 0x22222222L;
    private static final long AUDIO = 0x44444444L;

    /** The publisher's probe: "PRBE", stream index 0, send time 0x1000 ns. */
    private static final String PROBE = "50524245" + "00000000" + "0000000000001000";

    private record Row(String what, String hex, int expected) {
    }

    private static final Row[] ROWS = {
        // V=2, PT 96, seq 1, ts 0, SSRC video | one payload byte, then the probe
        new Row("media", "80600001" + "00000000" + "11111111" + "10" + PROBE, DownlinkStats.MEDIA),
        // audio, PT 111, seq 7
        new Row("audio media", "806f0007" + "00000000" + "44444444" + "fc" + PROBE, DownlinkStats.MEDIA),
        // PT 97 on the RTX SSRC | OSN 0x0002 | the original payload with its probe
        new Row("retransmission", "80610005" + "00000000" + "22222222" + "0002" + "10" + PROBE,
                DownlinkStats.RETRANSMISSION),
        // Prism's probe padding: V=2 P X, PT 97, RTX SSRC | BEDE, 1 word: id 3 len 1 tw-seq 0x0009, pad | 4 padding
        new Row("probe padding", "b0610006" + "00000000" + "22222222" + "bede0001" + "31000900" + "00000004",
                DownlinkStats.PADDING),
        // padding-only on the media SSRC (libwebrtc does that without RTX): 3 bytes of padding
        new Row("padding on media SSRC", "a0600002" + "00000000" + "11111111" + "000003", DownlinkStats.PADDING),
        // an SSRC no offer announced
        new Row("unknown SSRC", "80600001" + "00000000" + "33333333" + "10" + PROBE, DownlinkStats.UNKNOWN_SSRC),
        // media SSRC, but the payload has no probe
        new Row("no probe", "80600003" + "00000000" + "11111111" + "10111213", DownlinkStats.UNRECOGNISED),
        // RTX SSRC, one payload byte: too short for the OSN
        new Row("RTX too short", "80610007" + "00000000" + "22222222" + "02", DownlinkStats.UNRECOGNISED),
        // RTX SSRC, OSN then a payload without the probe
        new Row("RTX without probe", "80610008" + "00000000" + "22222222" + "0001" + "10111213",
                DownlinkStats.UNRECOGNISED),
        // RTX SSRC, OSN and nothing else (the probe must follow it)
        new Row("RTX with only the OSN", "80610009" + "00000000" + "22222222" + "0001",
                DownlinkStats.UNRECOGNISED),
    };

    @Test
    void sortsEveryKindOfPacket() {
        for (Row row : ROWS) {
            DownlinkStats d = announced();
            assertThat(sort(d, row.hex())).as(row.what()).isEqualTo(row.expected());
            assertThat(d.count(row.expected())).as(row.what()).isEqualTo(1);
            assertThat(d.allSinceMark()).isEqualTo(1);
        }
    }

    @Test
    void mediaReportsItsKindAndSendTime() {
        DownlinkStats d = announced();
        sort(d, ROWS[1].hex());
        assertThat(d.lastKind()).isEqualTo(MediaKind.AUDIO);
        assertThat(d.lastSendNanos()).isEqualTo(0x1000);
    }

    @Test
    void retransmissionsRepairOnTheirMediaStream() {
        DownlinkStats d = announced();
        d.mark();
        sort(d, "80600001" + "00000000" + "11111111" + "10" + PROBE);         // media seq 1
        sort(d, "a0600002" + "00000000" + "11111111" + "000003");              // padding takes seq 2
        sort(d, "80600004" + "00000000" + "11111111" + "10" + PROBE);         // media seq 4: 3 missing
        sort(d, "80610005" + "00000000" + "22222222" + "0003" + "10" + PROBE); // RTX of 3: repaired
        sort(d, "80610006" + "00000000" + "22222222" + "0001" + "10" + PROBE); // RTX of 1: a probe copy
        assertThat(d.sinceMark(DownlinkStats.MEDIA)).isEqualTo(2);
        assertThat(d.sinceMark(DownlinkStats.RETRANSMISSION)).isEqualTo(2);
        assertThat(d.sinceMark(DownlinkStats.PADDING)).isEqualTo(1);
        assertThat(d.unknownSinceMark()).isZero();
        assertThat(d.streamsSinceMark(StreamStats.REPAIRED)).isEqualTo(1);
        assertThat(d.streamsSinceMark(StreamStats.DISTINCT)).isEqualTo(4);
        assertThat(d.mediaStreams().get(VIDEO).lost()).isZero();
        d.mark();
        assertThat(d.allSinceMark()).isZero();
    }

    @Test
    void announcingAgainKeepsTheStatisticsAndAnRtxSsrcNeverShadowsMedia() {
        DownlinkStats d = announced();
        sort(d, ROWS[0].hex());
        StreamStats video = d.mediaStreams().get(VIDEO);
        d.announce(VIDEO, VIDEO_RTX, MediaKind.VIDEO);
        d.announce(0, 0, MediaKind.VIDEO); // an inactive line's SSRC: nothing
        d.announce(0x55555555L, AUDIO, MediaKind.VIDEO); // claims the audio SSRC as its RTX: ignored
        assertThat(d.mediaStreams().get(VIDEO)).isSameAs(video);
        assertThat(video.received()).isEqualTo(1);
        assertThat(d.streams()).hasSize(3);
        assertThat(sort(d, ROWS[1].hex())).isEqualTo(DownlinkStats.MEDIA);
    }

    private static DownlinkStats announced() {
        DownlinkStats d = new DownlinkStats();
        d.announce(VIDEO, VIDEO_RTX, MediaKind.VIDEO);
        d.announce(AUDIO, 0, MediaKind.AUDIO);
        return d;
    }

    private static int sort(DownlinkStats d, String hex) {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(b)).as(hex).isTrue();
            return d.onRtp(p);
        } finally {
            b.release();
        }
    }
}
