package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.testkit.PooledBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4571 framing as ICE-TCP carries it: real bytes, split at every position, and the bad lengths. */
class Rfc4571FramerTest {
    /** A Chromium STUN binding request (header and USERNAME "abcd:wxyz"), as the first frame of an ICE-TCP stream. */
    private static final String STUN = "0001000c2112a442" + "0102030405060708090a0b0c" + "00060009" + "616263643a77"
            + "78797a000000";
    /** The start of an SRTP packet: V=2, PT 96, seq 1, timestamp, SSRC, 4 payload bytes. */
    private static final String SRTP = "80600001000000640000abcd" + "deadbeef";
    /** A DTLS record header with 3 bytes of body. */
    private static final String DTLS = "16fefd0000000000000001" + "0003" + "010203";

    private final PooledByteBufAllocator pool = PooledBuffers.exactPool();
    private final List<String> frames = new ArrayList<>();
    private int empty;
    private final Rfc4571Framer.FrameSink sink = new Rfc4571Framer.FrameSink() {
        @Override
        public void onFrame(ByteBuf frame) {
            frames.add(ByteBufUtil.hexDump(frame));
            frame.skipBytes(frame.readableBytes()); // a sink may read: the framer puts the indices back
        }

        @Override
        public void onEmptyFrame() {
            empty++;
        }
    };

    @AfterEach
    void nothingOutstanding() {
        assertThat(PooledBuffers.outstanding(pool)).isZero();
    }

    private static String framed(String hex) {
        return String.format("%04x", hex.length() / 2) + hex;
    }

    @Test
    void threeFramesInOneReadAreLentInPlace() {
        String stream = framed(STUN) + framed(SRTP) + framed(DTLS);
        try (Rfc4571Framer framer = new Rfc4571Framer(2048, pool)) {
            ByteBuf in = hex(stream);
            assertThat(framer.feed(in, sink)).isEqualTo(Rfc4571Framer.Result.OK);
            assertThat(in.isReadable()).isFalse();
            assertThat(in.writerIndex()).as("the writer index is put back").isEqualTo(stream.length() / 2);
            in.release();
            assertThat(frames).containsExactly(STUN, SRTP, DTLS);
            assertThat(framer.pendingBytes()).isZero();
        }
    }

    @Test
    void everySplitPositionOfTheStreamGivesTheSameFrames() {
        byte[] stream = HexFormat.of().parseHex(framed(STUN) + framed(SRTP) + "0000" + framed(DTLS));
        for (int cut = 0; cut <= stream.length; cut++) {
            for (int cut2 = cut; cut2 <= stream.length; cut2 += 7) {
                frames.clear();
                empty = 0;
                try (Rfc4571Framer framer = new Rfc4571Framer(2048, pool)) {
                    feed(framer, stream, 0, cut);
                    feed(framer, stream, cut, cut2);
                    feed(framer, stream, cut2, stream.length);
                    assertThat(frames).as("cut at %d and %d", cut, cut2).containsExactly(STUN, SRTP, DTLS);
                    assertThat(empty).isEqualTo(1);
                    assertThat(framer.pendingBytes()).isZero();
                }
            }
        }
    }

    @Test
    void aStreamTrickledOneByteAtATimeIsHeldUntilTheFrameIsWhole() {
        byte[] stream = HexFormat.of().parseHex(framed(SRTP));
        try (Rfc4571Framer framer = new Rfc4571Framer(2048, pool)) {
            for (int i = 0; i < stream.length - 1; i++) {
                feed(framer, stream, i, i + 1);
                assertThat(frames).isEmpty();
                assertThat(framer.pendingBytes()).isEqualTo(i + 1);
            }
            feed(framer, stream, stream.length - 1, stream.length);
            assertThat(frames).containsExactly(SRTP);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // what, stream (hex), max frame length, frames delivered before the failure
            "length one above the maximum, 0801 00, 2048, 0",
            "largest 16-bit length, ffff, 2048, 0",
            "too long after a good frame, 0002 aabb 0801, 2048, 1",
            "too long in a header split over reads, 0002 aabb 08, 2048, 1",
            "maximum of 4 bytes, 0005 0102030405, 4, 0",
    })
    void aLengthAboveTheMaximumFailsTheStream(String what, String stream, int max, int delivered) {
        try (Rfc4571Framer framer = new Rfc4571Framer(max, pool)) {
            ByteBuf in = hex(stream.replace(" ", ""));
            Rfc4571Framer.Result first = framer.feed(in, sink);
            in.release();
            Rfc4571Framer.Result result = first;
            if (first == Rfc4571Framer.Result.OK) { // the header was split: its second byte comes next
                ByteBuf rest = hex("01");
                result = framer.feed(rest, sink);
                rest.release();
            }
            assertThat(result).isEqualTo(Rfc4571Framer.Result.FRAME_TOO_LONG);
            assertThat(frames).hasSize(delivered);
            ByteBuf more = hex(framed(SRTP));
            assertThat(framer.feed(more, sink)).as("a failed stream stays failed").isEqualTo(
                    Rfc4571Framer.Result.FRAME_TOO_LONG);
            more.release();
        }
    }

    @Test
    void zeroLengthFramesAreSkippedAndReported() {
        try (Rfc4571Framer framer = new Rfc4571Framer(2048, pool)) {
            ByteBuf in = hex("0000" + "0000" + framed(SRTP) + "0000");
            assertThat(framer.feed(in, sink)).isEqualTo(Rfc4571Framer.Result.OK);
            in.release();
            assertThat(frames).containsExactly(SRTP);
            assertThat(empty).isEqualTo(3);
        }
    }

    @Test
    void aFrameOfExactlyTheMaximumPasses() {
        String body = "ab".repeat(2048);
        byte[] stream = HexFormat.of().parseHex(framed(body));
        try (Rfc4571Framer framer = new Rfc4571Framer(2048, pool)) {
            feed(framer, stream, 0, 1000);
            feed(framer, stream, 1000, stream.length);
            assertThat(frames).containsExactly(body);
        }
    }

    private void feed(Rfc4571Framer framer, byte[] stream, int from, int to) {
        if (from == to) {
            return;
        }
        ByteBuf in = pool.directBuffer(to - from);
        in.writeBytes(stream, from, to - from);
        try {
            assertThat(framer.feed(in, sink)).isEqualTo(Rfc4571Framer.Result.OK);
            assertThat(in.isReadable()).isFalse();
        } finally {
            in.release();
        }
    }

    private ByteBuf hex(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return pool.directBuffer(b.length).writeBytes(b);
    }

}
