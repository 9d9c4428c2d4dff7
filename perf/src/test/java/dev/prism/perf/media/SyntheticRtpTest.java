package dev.prism.perf.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Synthetic packets must be what Prism's own parsers accept: valid RTP, one-byte extensions, VP8 key frames. */
class SyntheticRtpTest {
    private static final SyntheticRtp.ExtensionIds IDS = new SyntheticRtp.ExtensionIds(2, 3, 1);

    @Test
    void headerWithAllExtensionsMatchesTheBytes() {
        ByteBuf b = Unpooled.buffer();
        int n = SyntheticRtp.writeHeader(b, 111, true, 0x1234, 0xAABBCCDDL, 0x01020304L, IDS, 0x0506, 0);
        assertThat(n).isEqualTo(28);
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo(
                "90ef1234" + "aabbccdd" + "01020304"   // V=2 X=1, M=1 PT=111, seq; ts; ssrc
                + "bede0003"                            // one-byte extensions, 3 words
                + "22000000"                            // id 2 abs-send-time (3 bytes) at time 0
                + "310506"                              // id 3 transport-wide seq 0x0506
                + "10" + "9e"                           // id 1 audio level: V=1, 30 dBov
                + "000000");                            // padding to the word
        b.release();
    }

    @Test
    void vp8KeyFrameStartIsRecognisedAndTheProbeSurvives() {
        ByteBuf key = packet(true, true, 500);
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(key)).isTrue();
        assertThat(p.findExtension(3)).isNotNegative();
        assertThat(p.payloadLength()).isEqualTo(500);
        assertThat(Vp8Payload.isKeyframeStart(key, p.payloadOffset(), p.payloadLength())).isTrue();
        int end = p.payloadOffset() + p.payloadLength();
        assertThat(SyntheticRtp.probeSendNanos(key, p.payloadOffset(), end)).isEqualTo(123_456_789L);
        assertThat(SyntheticRtp.probeStreamIndex(key, p.payloadOffset(), end)).isEqualTo(7);
        key.release();
    }

    @Test
    void deltaFramesAndContinuationPacketsAreNotKeyFrameStarts() {
        for (boolean[] row : new boolean[][] {{true, false}, {false, true}, {false, false}}) {
            ByteBuf b = packet(row[0], row[1], 300);
            RtpPacket p = new RtpPacket();
            assertThat(p.wrap(b)).isTrue();
            assertThat(Vp8Payload.isKeyframeStart(b, p.payloadOffset(), p.payloadLength()))
                    .as("start=%s key=%s", row[0], row[1]).isFalse();
            b.release();
        }
    }

    @Test
    void payloadWithoutProbeReadsAsNone() {
        ByteBuf b = Unpooled.buffer().writeZero(40);
        assertThat(SyntheticRtp.probeSendNanos(b, 0, 40)).isEqualTo(Long.MIN_VALUE);
        assertThat(SyntheticRtp.probeSendNanos(b, 30, 40)).isEqualTo(Long.MIN_VALUE); // shorter than a probe
        assertThat(SyntheticRtp.probeStreamIndex(b, 0, 40)).isEqualTo(-1);
        b.release();
    }

    @Test
    void tooShortPayloadsAndBadIdsAreRefused() {
        ByteBuf b = Unpooled.buffer();
        assertThatThrownBy(() -> SyntheticRtp.writeVp8Payload(b, 10, true, true, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyntheticRtp.writeOpusPayload(b, 16, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticRtp.ExtensionIds(15, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        b.release();
    }

    private static ByteBuf packet(boolean frameStart, boolean key, int payload) {
        ByteBuf b = Unpooled.buffer();
        SyntheticRtp.writeHeader(b, 96, false, 1, 90_000, 42, IDS, 9, 1_000_000_000L);
        SyntheticRtp.writeVp8Payload(b, payload, frameStart, key, 77, 7, 123_456_789L);
        return b;
    }
}
