package dev.prism.rtp.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answering a subscriber's NACK: the output number is mapped back to the producer's packet, which is rebuilt from the
 * shared history with this consumer's rewriting as RTX.
 */
class RetransmitterTest {
    private static final long MS = 1_000_000L;
    private static final long RTX_SSRC = 0x0102_0304L;

    /** A publisher's VP8 packet as the producer's history holds it. */
    private static final String PUBLISHED = """
            90 60 1a 2b              // V=2 P=0 X=1 CC=0 | M=0 PT=96 | seq=6699
            00 0b 5f 40              // timestamp=745280
            6a 3d 0f 11              // publisher SSRC
            be de 00 02              // one-byte extensions, 2 words
            22 12 34 56              // id=2 L=3: abs-send-time
            41 00 2a                 // id=4 L=2: transport-cc (not forwarded)
            00                       // padding
            90 80 80 01 9d 01 2a     // payload
            """;

    /** What the subscriber gets for a NACK of output 500 (the consumer sent 6699 as 500 with timestamp 0x11223344). */
    private static final String EXPECTED_RTX = """
            90 61 00 2a              // V=2 P=0 X=1 CC=0 | M=0 PT=97 | RTX seq=42
            11 22 33 44              // the output timestamp the original carried
            01 02 03 04              // RTX SSRC
            be de 00 01              // one-byte extensions, 1 word
            52 12 34 56              // abs-send-time under the subscriber's id 5
            01 f4                    // OSN = 500, the output sequence number
            90 80 80 01 9d 01 2a     // payload
            """;

    private final FakeClock clock = new FakeClock();
    private final PacketHistory history = new PacketHistory(16, 1000 * MS);
    private final byte[] extensionMap = new byte[256];
    private ByteBuf published;
    private Retransmitter r;

    @BeforeEach
    void setUp() {
        extensionMap[2] = 5;
        published = Unpooled.buffer(64).writeBytes(Hex.bytes(PUBLISHED));
        history.add(published, 6699, clock.nanos());
        r = new Retransmitter(PooledByteBufAllocator.DEFAULT, 42);
        r.record(500, 6699, 0x11223344L);
    }

    @AfterEach
    void tearDown() {
        history.clear();
        published.release();
    }

    @Test
    void rebuildsTheLostPacketAsRtxWithTheConsumersRewriting() {
        r.setRtx(RTX_SSRC, 97);
        ByteBuf rtx = r.answer(500, history, extensionMap, clock.nanos(), 0);
        try {
            assertThat(r.outcome()).isEqualTo(Retransmitter.SENT);
            assertThat(Hex.hex(rtx)).isEqualTo(Hex.hex(Hex.buf(EXPECTED_RTX)));
            assertThat(rtx.writableBytes()).as("tail room for the SRTP tag").isGreaterThanOrEqualTo(SrtpSession.MAX_TRAILER);
            assertThat(published.refCnt()).as("the history's copy is untouched").isEqualTo(2);
        } finally {
            rtx.release();
        }
        clock.advanceMillis(30);
        ByteBuf again = r.answer(500, history, extensionMap, clock.nanos(), 0);
        try {
            RtpPacket v = new RtpPacket();
            assertThat(v.wrap(again)).isTrue();
            assertThat(v.sequenceNumber()).as("each retransmission takes the next RTX number").isEqualTo(43);
        } finally {
            again.release();
        }
    }

    @Test
    void refusesWhatItCannotOrShouldNotResend() {
        assertThat(r.answer(500, history, extensionMap, clock.nanos(), 0)).isNull();
        assertThat(r.outcome()).as("before the subscriber accepted RTX").isEqualTo(Retransmitter.NO_RTX);

        r.setRtx(RTX_SSRC, 97);
        assertThat(r.answer(501, history, extensionMap, clock.nanos(), 0)).isNull();
        assertThat(r.outcome()).as("never sent to this subscriber").isEqualTo(Retransmitter.UNKNOWN);

        ByteBuf first = r.answer(500, history, extensionMap, clock.nanos(), 20 * MS);
        first.release();
        clock.advanceMillis(19);
        assertThat(r.answer(500, history, extensionMap, clock.nanos(), 20 * MS)).isNull();
        assertThat(r.outcome()).as("NACKed again within the interval").isEqualTo(Retransmitter.THROTTLED);

        clock.advanceMillis(982); // 1001 ms after it arrived
        assertThat(r.answer(500, history, extensionMap, clock.nanos(), 20 * MS)).isNull();
        assertThat(r.outcome()).as("too old to help").isEqualTo(Retransmitter.TOO_OLD);

        assertThat(r.answer(500, null, extensionMap, clock.nanos(), 0)).isNull();
        assertThat(r.outcome()).isEqualTo(Retransmitter.TOO_OLD);

        r.setRtx(0, 97);
        assertThat(r.answer(500, history, extensionMap, clock.nanos(), 0)).isNull();
        assertThat(r.outcome()).isEqualTo(Retransmitter.NO_RTX);
    }
}
