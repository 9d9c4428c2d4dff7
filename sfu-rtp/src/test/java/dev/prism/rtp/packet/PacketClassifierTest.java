package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PacketClassifierTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, hex, expected
                Arguments.of("empty", "", PacketClassifier.UNKNOWN),
                Arguments.of("STUN binding request", "0001 0000 2112a442 000000000000000000000000",
                        PacketClassifier.STUN),
                Arguments.of("STUN too short", "0001 0000 2112a442", PacketClassifier.UNKNOWN),
                Arguments.of("DTLS handshake record", "16 fefd 0000 000000000000 0010", PacketClassifier.DTLS),
                Arguments.of("DTLS alert (21)", "15 fefd 0000 000000000000 0002", PacketClassifier.DTLS),
                Arguments.of("DTLS too short", "16 fefd 0000", PacketClassifier.UNKNOWN),
                Arguments.of("first byte 63 is still DTLS", "3f 00000000000000000000000000", PacketClassifier.DTLS),
                Arguments.of("ZRTP range 16..19", "10 00000000000000000000000000000000000000",
                        PacketClassifier.UNKNOWN),
                Arguments.of("TURN channel 64..79", "40 00000000000000000000000000000000000000",
                        PacketClassifier.UNKNOWN),
                Arguments.of("RTP PT 96", "80 60 0001 00000000 00000001", PacketClassifier.RTP),
                Arguments.of("RTP PT 96 marker", "80 e0 0001 00000000 00000001", PacketClassifier.RTP),
                Arguments.of("RTP PT 111 with X", "90 6f 0001 00000000 00000001", PacketClassifier.RTP),
                Arguments.of("RTP PT 0 (PCMU)", "80 00 0001 00000000 00000001", PacketClassifier.RTP),
                Arguments.of("RTP PT 63 (below RTCP range)", "80 3f 0001 00000000 00000001", PacketClassifier.RTP),
                Arguments.of("RTP PT 96 too short", "80 60 0001 00000000", PacketClassifier.UNKNOWN),
                Arguments.of("RTCP SR 200", "80 c8 0006 00000001", PacketClassifier.RTCP),
                Arguments.of("RTCP RR 201", "81 c9 0001 00000001", PacketClassifier.RTCP),
                Arguments.of("RTCP PT 192 (lowest, FIR of RFC 2032)", "80 c0 0001 00000001", PacketClassifier.RTCP),
                Arguments.of("RTCP PT 223 (highest)", "80 df 0001 00000001", PacketClassifier.RTCP),
                Arguments.of("PT 224 is RTP again (byte 0xe0 = marker + 96)", "80 e0 0001 00000000 00000001",
                        PacketClassifier.RTP),
                Arguments.of("RTCP too short", "80 c9 0001", PacketClassifier.UNKNOWN),
                Arguments.of("first byte 192 is beyond RTP", "c0 60 0001 00000000 00000001", PacketClassifier.UNKNOWN),
                Arguments.of("first byte 127", "7f 60 0001 00000000 00000001", PacketClassifier.UNKNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifies(String name, String hex, int expected) {
        ByteBuf buf = Hex.buf(hex);
        try {
            int r = buf.readerIndex();
            int w = buf.writerIndex();
            assertThat(PacketClassifier.classify(buf)).as(PacketClassifier.name(expected)).isEqualTo(expected);
            assertThat(buf.readerIndex()).isEqualTo(r);
            assertThat(buf.writerIndex()).isEqualTo(w);
        } finally {
            buf.release();
        }
    }

    @Test
    void readsFromReaderIndexOfDirectBuffer() {
        ByteBuf buf = Hex.directBufAt(5, "80 c9 0001 00000001");
        try {
            assertThat(PacketClassifier.classify(buf)).isEqualTo(PacketClassifier.RTCP);
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyBuffer() {
        assertThat(PacketClassifier.classify(Unpooled.EMPTY_BUFFER)).isEqualTo(PacketClassifier.UNKNOWN);
    }
}
