package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.rtp.testutil.FuzzBuffers;

/**
 * Fuzz target (docs/FUZZING.md): any datagram the demux may call RTP. {@link PacketClassifier#classify} and
 * {@link RtpPacket#wrap} never throw; a wrapped view's header, CSRC list, extension lookup (every id, both forms),
 * payload and padding stay inside the packet. Seeds: RtpFuzzTestInputs/ (the Chromium 156 capture's RTP packets).
 */
class RtpFuzzTest {
    private final RtpPacket packet = new RtpPacket();

    @FuzzTest
    void wrap(byte[] input) {
        FuzzBuffers.borrow(input, buf -> {
            assertThat(PacketClassifier.name(PacketClassifier.classify(buf))).isNotNull();
            if (!packet.wrap(buf)) {
                assertThat(packet.isWrapped()).isFalse();
                return;
            }
            int start = buf.readerIndex();
            int end = buf.writerIndex();
            assertThat(packet.version()).isEqualTo(2);
            packet.marker();
            packet.payloadType();
            packet.sequenceNumber();
            packet.timestamp();
            packet.ssrc();
            for (int i = 0; i < packet.csrcCount(); i++) {
                packet.csrc(i);
            }
            assertThat(packet.headerLength()).isBetween(12, end - start);
            if (packet.hasExtension()) {
                packet.extensionProfile();
                assertThat(packet.extensionDataLength()).isBetween(0, end - start);
            }
            for (int id = 0; id <= 256; id++) {
                int found = packet.findExtension(id);
                if (found >= 0) {
                    int at = RtpPacket.extensionOffset(found);
                    int len = RtpPacket.extensionLength(found);
                    assertThat(at).isBetween(start + 12, end);
                    assertThat(at + len).isLessThanOrEqualTo(start + packet.headerLength());
                }
            }
            assertThat(packet.payloadOffset()).isEqualTo(start + packet.headerLength());
            assertThat(packet.payloadLength()).isBetween(0, end - start);
            assertThat(packet.payloadOffset() + packet.payloadLength() + packet.paddingLength())
                    .isEqualTo(end);
            assertThat(packet.toString()).isNotNull();
            packet.clear();
        });
    }
}
