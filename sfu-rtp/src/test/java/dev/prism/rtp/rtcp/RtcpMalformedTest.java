package dev.prism.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.Hex;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Negative rows every parse entry point must turn into null, never an exception. */
class RtcpMalformedTest {

    static final String[][] ROWS = {
            {"empty", ""},
            {"too short: 3 bytes", "81 c9 00"},
            {"header only, length says more", "81 c9 00 07"},
            {"version 1 (otherwise a valid PLI)", "41 ce 00 02 4e 2a 1c 3d 6a 3d 0f 11"},
            {"version 0 (otherwise a valid RR)", "00 c9 00 01 4e 2a 1c 3d"},
            {"length past end (SR)", RtcpSamples.SR.replace("80 c8 00 06", "80 c8 00 07")},
            {"length past end (TCC)", RtcpSamples.TCC.replace("af cd 00 0b", "af cd 00 0c")},
            {"RC past end (RR says 2 blocks)", RtcpSamples.RR.replace("81 c9 00 07", "82 c9 00 07")},
            {"padding count 0", """
                    a0 c9 00 02              // V=2 P=1 RC=0 RR length=2
                    4e 2a 1c 3d              // sender SSRC
                    00 00 00 00              // padding with count 0
                    """},
            {"padding count beyond the body", """
                    a0 c9 00 02              // V=2 P=1 RC=0 RR length=2
                    4e 2a 1c 3d
                    00 00 00 0d              // count 13 > 8
                    """},
            {"SDES chunk without end of list", """
                    81 ca 00 03              // SC=1 SDES length=3
                    00 00 00 01              // SSRC
                    01 02 61 62              // CNAME "ab", then nothing
                    """},
            {"SDES item past end", """
                    81 ca 00 03
                    00 00 00 01
                    01 09 61 62              // CNAME of 9 bytes, 2 present
                    """},
            {"SDES invalid UTF-8", """
                    81 ca 00 03
                    00 00 00 01
                    01 01 ff 00              // CNAME 0xff
                    """},
            {"BYE reason past end", """
                    81 cb 00 02
                    6a 3d 0f 11
                    08 73 68 75              // reason of 8 bytes, 3 present
                    """},
            {"NACK without FCI", "81 cd 00 02 4e 2a 1c 3d 6a 3d 0f 11"},
            {"FIR with a partial entry", "84 ce 00 03 4e 2a 1c 3d 00 00 00 00 6a 3d 0f 11"},
            {"REMB too short for its SSRC list", RtcpSamples.REMB.replace("01 0b d4 8c", "02 0b d4 8c")},
            {"AFB that is not REMB", RtcpSamples.REMB.replace("52 45 4d 42", "52 45 4d 43")},
            {"TCC status count 0", RtcpSamples.TCC.replace("00 64 00 18", "00 64 00 00")},
            {"TCC chunks cut short", RtcpSamples.TCC.replace("00 64 00 18", "00 64 ff ff")},
            {"TCC reserved symbol in a 2-bit vector", RtcpSamples.TCC.replace("d4 95", "d4 97")},
            {"TCC reserved symbol in a run", RtcpSamples.TCC.replace("20 0d", "60 0d")},
            {"TCC deltas cut short", """
                    8f cd 00 05              // FMT=15 RTPFB length=5 (24 bytes)
                    4e 2a 1c 3d 6a 3d 0f 11
                    00 64 00 03              // base 100, 3 packets
                    00 00 01 00              // reference 1, fb count 0
                    c6 80                    // 2-bit vector: B B B (large deltas, 6 bytes needed)
                    00 10                    // only 2 present
                    """},
            {"unknown packet type 210", "81 d2 00 01 4e 2a 1c 3d"},
    };

    static Stream<Arguments> rows() {
        List<Arguments> args = new ArrayList<>();
        for (String[] row : ROWS) {
            for (Parsers.Named p : Parsers.ALL) {
                args.add(Arguments.of(row[0], row[1], p));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} / {2}")
    @MethodSource("rows")
    void rejected(String name, String hex, Parsers.Named parser) {
        ByteBuf buf = Hex.directBufAt(2, hex);
        try {
            assertThat(parser.parser().parse(buf, buf.readerIndex(), buf.readableBytes())).isNull();
        } finally {
            buf.release();
        }
    }

    /** Every class refuses every other class's valid packet. */
    static Stream<Arguments> wrongType() {
        List<Arguments> args = new ArrayList<>();
        String[][] samples = {
                {"SR", RtcpSamples.SR, "SenderReport"}, {"RR", RtcpSamples.RR, "ReceiverReport"},
                {"SDES", RtcpSamples.SDES_CNAME, "Sdes"}, {"BYE", RtcpSamples.BYE, "Bye"},
                {"NACK", RtcpSamples.NACK, "GenericNack"}, {"TCC", RtcpSamples.TCC, "TransportCcFeedback"},
                {"PLI", RtcpSamples.PLI, "Pli"}, {"FIR", RtcpSamples.FIR, "Fir"}, {"REMB", RtcpSamples.REMB, "Remb"},
                {"Chromium SR", ChromiumRtcp.SR, "SenderReport"}, {"Chromium SDES", ChromiumRtcp.SDES, "Sdes"},
                {"Chromium RR", ChromiumRtcp.RR_AUDIO, "ReceiverReport"}, {"Chromium REMB", ChromiumRtcp.REMB, "Remb"},
                {"Chromium NACK", ChromiumRtcp.NACK, "GenericNack"}, {"Chromium PLI", ChromiumRtcp.PLI, "Pli"}};
        for (String[] s : samples) {
            for (Parsers.Named p : Parsers.ALL) {
                if (!p.name().equals(s[2]) && !p.name().startsWith("RtcpCompoundParser")) {
                    args.add(Arguments.of(s[0], s[1], p));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} given to {2}")
    @MethodSource("wrongType")
    void wrongPacketTypeOrFormat(String name, String hex, Parsers.Named parser) {
        ByteBuf buf = Hex.buf(hex);
        try {
            assertThat(parser.parser().parse(buf, 0, buf.readableBytes())).isNull();
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rangeRows")
    void rangesOutsideTheBufferAreRejected(String name, int offset, int length) {
        ByteBuf buf = Hex.buf(RtcpSamples.PLI);
        try {
            for (Parsers.Named p : Parsers.ALL) {
                assertThat(p.parser().parse(buf, offset, length)).as(p.name()).isNull();
            }
        } finally {
            buf.release();
        }
    }

    static Stream<Arguments> rangeRows() {
        return Stream.of(
                Arguments.of("negative offset", -1, 12),
                Arguments.of("length beyond the written bytes", 0, 13),
                Arguments.of("offset beyond the written bytes", 20, 4),
                Arguments.of("negative length", 0, -4),
                Arguments.of("overflowing range", 8, Integer.MAX_VALUE));
    }
}
