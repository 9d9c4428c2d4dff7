package dev.prism.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.CaptureFile;
import dev.prism.rtp.packet.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compounds Chromium 156 sent (see {@link ChromiumRtcp}): walked with {@link RtcpCompoundParser}, every packet
 * parsed to the expected fields, and written back to the same bytes.
 */
class ChromiumRtcpTest {
    private static final long VIDEO = 0xb95500a9L;
    private static final long PRISM_AUDIO = 0x50524901L;
    private static final long PRISM_VIDEO = 0x50524902L;

    static Stream<Arguments> compounds() {
        return Stream.of(
                Arguments.of("SR + SDES (publisher)", ChromiumRtcp.COMPOUND_SR_SDES, List.of(
                        new SenderReport(VIDEO, 0xeeab91aa_054ee392L, 4184331713L, 29, 22671, List.of()),
                        new Sdes(List.of(new Sdes.Chunk(VIDEO,
                                List.of(new Sdes.Item(Sdes.CNAME, "SdT+5gt8jooMxsDH"))))))),
                Arguments.of("RR alone (subscriber, audio)", ChromiumRtcp.RR_AUDIO, List.of(
                        new ReceiverReport(0xfa17fa17L,
                                List.of(new ReportBlock(PRISM_AUDIO, 0, 0, 42316, 18, 0, 0))))),
                Arguments.of("RR + REMB (subscriber, video)", ChromiumRtcp.COMPOUND_RR_REMB, List.of(
                        new ReceiverReport(1, List.of(new ReportBlock(PRISM_VIDEO, 0, 1, 57691, 57, 0, 0))),
                        new Remb(1, 0, 1, 196856, List.of(PRISM_VIDEO)))),
                Arguments.of("NACK alone", ChromiumRtcp.NACK, List.of(
                        new GenericNack(1, PRISM_VIDEO, List.of(new GenericNack.Entry(57583, 0))))),
                Arguments.of("PLI + REMB, no report", ChromiumRtcp.COMPOUND_PLI_REMB, List.of(
                        new Pli(1, PRISM_VIDEO),
                        new Remb(1, 0, 1, 208284, List.of(PRISM_VIDEO)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compounds")
    void parsesEveryPacketAndWritesTheSameBytes(String name, String hex, List<RtcpMessage> expected) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf in = Hex.directBufAt(3, hex);
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpCompoundParser walker = new RtcpCompoundParser().reset(in);
            List<RtcpMessage> parsed = new ArrayList<>();
            while (walker.next()) {
                parsed.add(walker.parse());
            }
            assertThat(walker.malformed()).isFalse();
            assertThat(parsed).containsExactlyElementsOf(expected);
            for (RtcpMessage m : parsed) {
                m.write(out);
            }
            assertThat(Hex.hex(out)).isEqualTo(Hex.hex(Unpooled.wrappedBuffer(bytes)));
            assertThat(in.readerIndex()).isEqualTo(3);
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void derivedValues() {
        assertThat(parse(ChromiumRtcp.REMB, Remb.class).bitrate()).isEqualTo(393712);
        assertThat(parse(ChromiumRtcp.REMB_AFTER_PLI, Remb.class).bitrate()).isEqualTo(416568);
        assertThat(parse(ChromiumRtcp.NACK, GenericNack.class).lostSequenceNumbers()).containsExactly(57583);
    }

    /** A compound cut short: the packets before the cut were delivered, then the walk stops as malformed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("compounds")
    void cutShortStopsAtTheDamagedPacket(String name, String hex, List<RtcpMessage> expected) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf in = Unpooled.wrappedBuffer(bytes, 0, bytes.length - 4);
        try {
            RtcpCompoundParser walker = new RtcpCompoundParser().reset(in);
            List<RtcpMessage> parsed = new ArrayList<>();
            while (walker.next()) {
                parsed.add(walker.parse());
            }
            assertThat(walker.malformed()).isTrue();
            assertThat(parsed).containsExactlyElementsOf(expected.subList(0, expected.size() - 1));
        } finally {
            in.release();
        }
    }

    static Stream<Arguments> captured() {
        return Stream.of(
                Arguments.of("pub RTCP SR+SDES #1", ChromiumRtcp.COMPOUND_SR_SDES),
                Arguments.of("sub RTCP RR #3", ChromiumRtcp.RR_AUDIO),
                Arguments.of("sub RTCP RR+PSFB/15 #1", ChromiumRtcp.COMPOUND_RR_REMB),
                Arguments.of("sub RTCP RTPFB/1 #1", ChromiumRtcp.NACK),
                Arguments.of("sub RTCP PSFB/1+PSFB/15 #1", ChromiumRtcp.COMPOUND_PLI_REMB));
    }

    /** The commented rows are the captured bytes, unedited. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captured")
    void fixtureEqualsTheCapture(String label, String fixture) {
        Map<String, byte[]> capture = CaptureFile.packets(CaptureFile.CHROMIUM_156);
        assertThat(capture).containsKey(label);
        assertThat(Hex.bytes(fixture)).isEqualTo(capture.get(label));
    }

    private static <T extends RtcpMessage> T parse(String hex, Class<T> type) {
        ByteBuf buf = Hex.buf(hex);
        try {
            return type.cast(RtcpCompoundParser.parse(buf, 0, buf.readableBytes()));
        } finally {
            buf.release();
        }
    }
}
