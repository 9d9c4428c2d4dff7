package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.rtp.testutil.FuzzBuffers;

/**
 * Fuzz target (docs/FUZZING.md): an RTP payload (the bytes after the RTP header) to {@link RedPayload#wrap}. It
 * answers false, or a view whose block headers, redundant blocks and primary block lie inside the payload, one after
 * the other, ending at its end; it never reads past the payload. Seeds: RedPayloadFuzzTestInputs/ (the RED payloads
 * of the Chromium 156 capture's packets).
 */
class RedPayloadFuzzTest {

    @FuzzTest
    void payload(byte[] input) {
        FuzzBuffers.borrow(input, buf -> {
            int at = buf.readerIndex();
            int len = buf.readableBytes();
            RedPayload red = new RedPayload();
            if (!red.wrap(buf, at, len)) {
                assertThat(red.primaryOffset()).isEqualTo(-1);
                return;
            }
            int next = at + red.headerLength();
            for (int i = 0; i < red.redundantBlocks(); i++) {
                assertThat(red.redundantOffset(i)).isEqualTo(next);
                assertThat(red.redundantPayloadType(i)).isBetween(0, 127);
                assertThat(red.redundantTimestampOffset(i)).isBetween(0, 0x3FFF);
                next += red.redundantLength(i);
            }
            assertThat(red.primaryOffset()).isEqualTo(next);
            assertThat(red.primaryLength()).isNotNegative();
            assertThat(red.primaryOffset() + red.primaryLength()).isEqualTo(at + len);
            assertThat(red.primaryPayloadType()).isBetween(0, 127);
        });
    }
}
