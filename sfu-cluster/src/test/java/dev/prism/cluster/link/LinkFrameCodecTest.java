package dev.prism.cluster.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.cluster.link.LinkProtocolException.Reason;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The link's frames as bytes: each row is a frame, its exact encoding, and the decode back. */
class LinkFrameCodecTest {
    static final int MAX = 1024;
    private static final byte[] NONCE = new byte[32];
    private static final byte[] MAC = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            NONCE[i] = (byte) i;
            MAC[i] = (byte) (0xa0 + i);
        }
    }

    static Stream<Arguments> frames() {
        String nonce = HexFormat.of().formatHex(NONCE);
        String mac = HexFormat.of().formatHex(MAC);
        return Stream.of(
                Arguments.of(new LinkFrame.Hello(1, "a-1", NONCE),
                        "00000026 01 00000000" // body 38 bytes, HELLO, channel 0
                                + "0001" + nonce // version 1, nonce
                                + "03 612d31"), // node id "a-1"
                Arguments.of(new LinkFrame.Challenge(1, "b", NONCE),
                        "00000024 02 00000000" + "0001" + nonce + "01 62"),
                Arguments.of(new LinkFrame.Auth(MAC), "00000020 03 00000000" + mac),
                Arguments.of(new LinkFrame.AuthOk(MAC), "00000020 04 00000000" + mac),
                Arguments.of(new LinkFrame.Open(1, 65536, new OpenRequest("session", Map.of("room", "r1"))),
                        "00000016 05 00000001"
                                + "00010000" // credit 65536
                                + "07 73657373696f6e" // kind "session"
                                + "01" // one header
                                + "04 726f6f6d" + "0002 7231"), // "room" = "r1"
                Arguments.of(new LinkFrame.OpenOk(2, 4096), "00000004 06 00000002 00001000"),
                Arguments.of(new LinkFrame.OpenRefused(3, "not_owner", "b"),
                        "0000000d 07 00000003" + "09 6e6f745f6f776e6572" + "0001 62"),
                Arguments.of(new LinkFrame.Data(5, "hé"), "00000003 08 00000005 68c3a9"),
                Arguments.of(new LinkFrame.Data(5, ""), "00000000 08 00000005"),
                Arguments.of(new LinkFrame.Window(7, 300), "00000004 09 00000007 0000012c"),
                Arguments.of(new LinkFrame.Close(9, 4002, "bye"), "00000007 0a 00000009 0fa2 0003 627965"),
                Arguments.of(new LinkFrame.Close(0, 4701, ""), "00000004 0a 00000000 125d 0000"),
                Arguments.of(new LinkFrame.Ping(0x0102030405060708L), "00000008 0b 00000000 0102030405060708"),
                Arguments.of(new LinkFrame.Pong(-1L), "00000008 0c 00000000 ffffffffffffffff"),
                // a leading part of a long message: same body as data, type 13
                Arguments.of(new LinkFrame.Data(5, "hé", 3, true), "00000003 0d 00000005 68c3a9"));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void encodesToTheTableBytesAndDecodesBack(LinkFrame frame, String hex) throws Exception {
        byte[] bytes = hex(hex);
        assertThat(HexFormat.of().formatHex(FrameCodec.encode(frame).getBytes())).isEqualTo(HexFormat.of().formatHex(bytes));
        assertThat(readAll(bytes, 1)).containsExactly(frame);
        assertThat(readAll(bytes, bytes.length)).containsExactly(frame);
    }

    @Test
    void readsManyFramesFedAtAnySplit() throws Exception {
        Buffer stream = Buffer.buffer();
        List<LinkFrame> sent = new ArrayList<>();
        for (Arguments row : frames().toList()) {
            LinkFrame f = (LinkFrame) row.get()[0];
            sent.add(f);
            stream.appendBuffer(FrameCodec.encode(f));
        }
        for (int chunk : new int[] {1, 2, 3, 7, 9, 10, 64, stream.length()}) {
            assertThat(readAll(stream.getBytes(), chunk)).as("chunks of " + chunk).isEqualTo(sent);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("type 0", "00000000 00 00000000", Reason.UNKNOWN_TYPE),
                Arguments.of("type 14", "00000000 0e 00000001", Reason.UNKNOWN_TYPE),
                Arguments.of("data-part on channel 0", "00000001 0d 00000000 61", Reason.BAD_CHANNEL),
                Arguments.of("data-part not UTF-8 (a character cut in two)", "00000001 0d 00000001 c3",
                        Reason.BAD_FIELD),
                Arguments.of("data-part over the maximum, refused from the header alone", "00000401 0d 00000001",
                        Reason.FRAME_TOO_LARGE),
                Arguments.of("body over the maximum (1025 > 1024), refused from the header alone",
                        "00000401 08 00000001", Reason.FRAME_TOO_LARGE),
                Arguments.of("negative length", "ffffffff 08 00000001", Reason.FRAME_TOO_LARGE),
                Arguments.of("data on channel 0", "00000000 08 00000000", Reason.BAD_CHANNEL),
                Arguments.of("negative channel", "00000000 08 80000000", Reason.BAD_CHANNEL),
                Arguments.of("ping on a channel", "00000008 0b 00000001 0000000000000000", Reason.BAD_CHANNEL),
                Arguments.of("ping short", "00000007 0b 00000000 00000000000000", Reason.BAD_LENGTH),
                Arguments.of("ping long", "00000009 0b 00000000 000000000000000000", Reason.BAD_LENGTH),
                Arguments.of("auth mac of 31 bytes", "0000001f 03 00000000" + "00".repeat(31), Reason.BAD_LENGTH),
                Arguments.of("window of 0", "00000004 09 00000001 00000000", Reason.BAD_FIELD),
                Arguments.of("window negative", "00000004 09 00000001 80000000", Reason.BAD_FIELD),
                Arguments.of("hello with an empty node id",
                        "00000023 01 00000000 0001" + "00".repeat(32) + "00", Reason.BAD_FIELD),
                Arguments.of("hello with a node id holding a newline",
                        "00000024 01 00000000 0001" + "00".repeat(32) + "01 0a", Reason.BAD_FIELD),
                Arguments.of("hello whose node id runs past the body",
                        "00000024 01 00000000 0001" + "00".repeat(32) + "05 61", Reason.BAD_LENGTH),
                Arguments.of("data not UTF-8", "00000002 08 00000001 c328", Reason.BAD_FIELD),
                Arguments.of("close with a reason longer than the body", "00000004 0a 00000001 03e8 0005",
                        Reason.BAD_LENGTH),
                Arguments.of("open with 33 headers", "0000000a 05 00000001 00000001 04 61626364 21",
                        Reason.BAD_FIELD),
                Arguments.of("open with an empty kind", "00000006 05 00000001 00000001 00 00", Reason.BAD_FIELD),
                Arguments.of("open with a header twice",
                        "00000011 05 00000001 00000001 01 6b 02 01 61 0001 78 01 61 0001 79", Reason.BAD_FIELD),
                Arguments.of("open-refused with an empty reason", "00000003 07 00000001 00 0000", Reason.BAD_FIELD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedFramesWithTheirReason(String name, String hex, Reason reason) {
        List<LinkProtocolException> errors = new ArrayList<>();
        List<LinkFrame> frames = new ArrayList<>();
        FrameReader reader = new FrameReader(MAX, frames::add, errors::add);
        byte[] bytes = hex(hex);
        reader.handle(Buffer.buffer(bytes));
        // whatever follows a bad frame is ignored, even a good one
        reader.handle(FrameCodec.encode(new LinkFrame.Ping(1)));
        assertThat(frames).isEmpty();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).reason()).isEqualTo(reason);
        assertThat(reader.stopped()).isTrue();
    }

    @Test
    void encodingRefusesFieldsOverTheirLimits() {
        assertThatThrownBy(() -> FrameCodec.encode(new LinkFrame.Window(1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.encode(new LinkFrame.Auth(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.encode(new LinkFrame.Open(1, 1, new OpenRequest("", Map.of()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> longMessages() {
        return Stream.of(
                // text, max body, the frames' body sizes (every cut backs off to a character boundary)
                Arguments.of("x".repeat(1024), 1024, List.of(1024)),
                Arguments.of("x".repeat(1025), 1024, List.of(1024, 1)),
                Arguments.of("x".repeat(3000), 1024, List.of(1024, 1024, 952)),
                // 1023 one-byte characters, then "é" (c3 a9) would straddle byte 1024: the first frame ends before it
                Arguments.of("x".repeat(1023) + "é" + "y", 1024, List.of(1023, 3)),
                // 1022 + "€" (e2 82 ac) straddles too; 1021 + "😀" (f0 9f 98 80) as well
                Arguments.of("x".repeat(1022) + "€", 1024, List.of(1022, 3)),
                Arguments.of("x".repeat(1021) + "😀" + "z".repeat(1024), 1024, List.of(1021, 1024, 4)),
                Arguments.of("😀".repeat(600), 1024, List.of(1024, 1024, 352)));
    }

    @ParameterizedTest
    @MethodSource("longMessages")
    void aLongMessageIsSplitIntoPartsOfWholeCharactersThatJoinBack(String text, int maxBody, List<Integer> sizes)
            throws Exception {
        Buffer stream = Buffer.buffer();
        for (Buffer frame : FrameCodec.encodeMessage(7, text, maxBody)) {
            stream.appendBuffer(frame);
        }
        List<LinkFrame> frames = readAll(stream.getBytes(), 5);
        assertThat(frames).extracting(f -> ((LinkFrame.Data) f).bytes()).isEqualTo(sizes);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < frames.size(); i++) {
            LinkFrame.Data d = (LinkFrame.Data) frames.get(i);
            assertThat(d.channel()).isEqualTo(7);
            assertThat(d.more()).as("frame " + i + " of " + frames.size()).isEqualTo(i < frames.size() - 1);
            joined.append(d.text());
        }
        assertThat(joined.toString()).isEqualTo(text);
    }

    @Test
    void linkAddressesParse() {
        assertThat(LinkAddress.parse("link://10.0.0.5:7444")).isEqualTo(new LinkAddress("10.0.0.5", 7444));
        assertThat(LinkAddress.parse("127.0.0.1:9")).isEqualTo(new LinkAddress("127.0.0.1", 9));
        assertThat(LinkAddress.parse("tcp://[::1]:7444")).isEqualTo(new LinkAddress("::1", 7444));
        assertThatThrownBy(() -> LinkAddress.parse("wss://h:1/cluster")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkAddress.parse("link://h")).isInstanceOf(IllegalArgumentException.class);
    }

    static List<LinkFrame> readAll(byte[] bytes, int chunk) throws LinkProtocolException {
        List<LinkFrame> frames = new ArrayList<>();
        List<LinkProtocolException> errors = new ArrayList<>();
        FrameReader reader = new FrameReader(MAX, frames::add, errors::add);
        for (int i = 0; i < bytes.length; i += chunk) {
            reader.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk))));
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        return frames;
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
