package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.rtp.testutil.FuzzBuffers;

/**
 * Fuzz target (docs/FUZZING.md): a VP8 RTP payload (the bytes after the RTP header). Every reader of
 * {@link Vp8Payload} answers {@link Vp8Payload#ABSENT}/false for a descriptor that does not fit and never reads past
 * the payload; field offsets it returns lie inside the descriptor. Seeds: Vp8PayloadFuzzTestInputs/ (payloads of the
 * Chromium 156 capture's VP8 packets: key frame starts, delta starts, continuations).
 */
class Vp8PayloadFuzzTest {

    @FuzzTest
    void descriptor(byte[] input) {
        FuzzBuffers.borrow(input, buf -> {
            int at = buf.readerIndex();
            int len = buf.readableBytes();
            int size = Vp8Payload.descriptorLength(buf, at, len);
            assertThat(size).isIn(-1, 1, 2, 3, 4, 5, 6);
            assertThat(size).isLessThanOrEqualTo(len);
            for (int offset : new int[] {Vp8Payload.pictureIdOffset(buf, at, len),
                    Vp8Payload.tl0PicIdxOffset(buf, at, len), Vp8Payload.tidKeyIdxOffset(buf, at, len)}) {
                if (offset != Vp8Payload.ABSENT) {
                    assertThat(offset).isBetween(at + 2, at + size - 1);
                }
            }
            Vp8Payload.pictureIdBits(buf, at, len);
            Vp8Payload.pictureId(buf, at, len);
            Vp8Payload.tl0PicIdx(buf, at, len);
            assertThat(Vp8Payload.temporalId(buf, at, len)).isBetween(-1, 3);
            Vp8Payload.layerSync(buf, at, len);
            Vp8Payload.keyIdx(buf, at, len);
            boolean start = Vp8Payload.isFrameStart(buf, at, len);
            if (Vp8Payload.isKeyframeStart(buf, at, len)) {
                assertThat(start).isTrue();
                Vp8Payload.keyframeWidth(buf, at, len);
                Vp8Payload.keyframeHeight(buf, at, len);
            }
        });
    }
}
