package dev.prism.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** parse -> write gives the same bytes, for every message class; and the compound parser dispatches to it. */
class RtcpRoundTripTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("SR", RtcpSamples.SR, SenderReport.class, (Parsers.Parser) SenderReport::parse),
                Arguments.of("SR two blocks", RtcpSamples.SR_TWO_BLOCKS, SenderReport.class,
                        (Parsers.Parser) SenderReport::parse),
                Arguments.of("RR", RtcpSamples.RR, ReceiverReport.class, (Parsers.Parser) ReceiverReport::parse),
                Arguments.of("SDES CNAME", RtcpSamples.SDES_CNAME, Sdes.class, (Parsers.Parser) Sdes::parse),
                Arguments.of("SDES two chunks", RtcpSamples.SDES_TWO_CHUNKS, Sdes.class, (Parsers.Parser) Sdes::parse),
                Arguments.of("BYE", RtcpSamples.BYE, Bye.class, (Parsers.Parser) Bye::parse),
                Arguments.of("BYE with reason", RtcpSamples.BYE_REASON, Bye.class, (Parsers.Parser) Bye::parse),
                Arguments.of("NACK", RtcpSamples.NACK, GenericNack.class, (Parsers.Parser) GenericNack::parse),
                Arguments.of("NACK across wrap", RtcpSamples.NACK_WRAP, GenericNack.class,
                        (Parsers.Parser) GenericNack::parse),
                Arguments.of("PLI", RtcpSamples.PLI, Pli.class, (Parsers.Parser) Pli::parse),
                Arguments.of("FIR", RtcpSamples.FIR, Fir.class, (Parsers.Parser) Fir::parse),
                Arguments.of("REMB", RtcpSamples.REMB, Remb.class, (Parsers.Parser) Remb::parse),
                Arguments.of("transport-cc", RtcpSamples.TCC, TransportCcFeedback.class,
                        (Parsers.Parser) TransportCcFeedback::parse),
                // Captured from Chromium 156 (see ChromiumRtcp).
                Arguments.of("Chromium SR", ChromiumRtcp.SR, SenderReport.class, (Parsers.Parser) SenderReport::parse),
                Arguments.of("Chromium SDES", ChromiumRtcp.SDES, Sdes.class, (Parsers.Parser) Sdes::parse),
                Arguments.of("Chromium RR, audio", ChromiumRtcp.RR_AUDIO, ReceiverReport.class,
                        (Parsers.Parser) ReceiverReport::parse),
                Arguments.of("Chromium RR, video", ChromiumRtcp.RR_VIDEO, ReceiverReport.class,
                        (Parsers.Parser) ReceiverReport::parse),
                Arguments.of("Chromium REMB", ChromiumRtcp.REMB, Remb.class, (Parsers.Parser) Remb::parse),
                Arguments.of("Chromium REMB after PLI", ChromiumRtcp.REMB_AFTER_PLI, Remb.class,
                        (Parsers.Parser) Remb::parse),
                Arguments.of("Chromium NACK", ChromiumRtcp.NACK, GenericNack.class,
                        (Parsers.Parser) GenericNack::parse),
                Arguments.of("Chromium PLI", ChromiumRtcp.PLI, Pli.class, (Parsers.Parser) Pli::parse));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parseThenWriteGivesTheSameBytes(String name, String hex, Class<?> type, Parsers.Parser parser) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf in = Hex.directBufAt(5, hex);
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpMessage m = parser.parse(in, in.readerIndex(), in.readableBytes());
            assertThat(m).isInstanceOf(type);
            assertThat(m.length()).isEqualTo(bytes.length);
            out.writeByte(0xAA); // write appends
            assertThat(m.write(out)).isEqualTo(bytes.length);
            assertThat(Hex.hex(out.slice(1, out.readableBytes() - 1))).isEqualTo(Hex.hex(bytes));
            // Typed dispatch reaches the same class, with an equal result.
            assertThat(RtcpCompoundParser.parse(in, in.readerIndex(), in.readableBytes())).isEqualTo(m);
            // Parsing never moved the indices.
            assertThat(in.readerIndex()).isEqualTo(5);
            assertThat(in.readableBytes()).isEqualTo(bytes.length);
        } finally {
            in.release();
            out.release();
        }
    }
}
