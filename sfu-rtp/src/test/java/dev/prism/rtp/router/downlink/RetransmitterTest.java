package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.router.uplink.PacketHistory;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.srtp.SrtpSession;
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

    /** Layer 1 of a simulcast track: a VP8 packet with picture id 0x1001, TL0PICIDX 0x20, TID 0 / KEYIDX 3. */
    private static final String LAYER_1 = """
            90 60 00 64              // V=2 P=0 X=1 | M=0 PT=96 | seq=100
            00 00 03 e8              // timestamp=1000
            00 00 0b 0b              // layer 1's SSRC
            be de 00 01              // one-byte extensions, 1 word
            41 00 07                 // id=4 L=2: the publisher's transport-cc (not forwarded)
            00                       // padding
            90 f0 90 01 20 13        // VP8: X S | I L T K | M + picture id 0x1001 | TL0PICIDX 0x20 | TID 0 KEYIDX 3
            9d 01 2a                 // payload
            """;

    /**
     * What a subscriber gets for a NACK of output 700, which carried that packet with picture id 0x2345, TL0PICIDX
     * 0x77 and KEYIDX 9 after a layer switch: the rewritten counters, not the publisher's, and an empty transport-wide
     * element for the sender to number.
     */
    private static final String LAYER_1_RTX = """
            90 61 00 2a              // V=2 X=1 | PT=97 | RTX seq=42
            00 00 07 d0              // output timestamp 2000
            01 02 03 04              // RTX SSRC
            be de 00 01              // one-byte extensions, 1 word
            31 00 00                 // id=3 L=2: transport-wide sequence number, filled in by the sender
            00                       // padding
            02 bc                    // OSN = 700
            90 f0 a3 45 77 09        // VP8: picture id 0x2345, TL0PICIDX 0x77, TID 0 KEYIDX 9
            9d 01 2a                 // payload
            """;

    @Test
    void rebuildsASimulcastPacketFromItsLayersHistoryWithTheRewrittenVp8Counters() {
        dev.prism.core.rtp.MediaDescription d = new dev.prism.core.rtp.MediaDescription("1",
                dev.prism.core.rtp.MediaKind.VIDEO,
                java.util.List.of(new dev.prism.core.rtp.RtpCodec(96, "VP8", 90000, 1, java.util.Map.of(),
                        java.util.List.of())),
                java.util.List.of(), java.util.List.of(new dev.prism.core.rtp.RtpEncoding(0, 0, "q"),
                        new dev.prism.core.rtp.RtpEncoding(0, 0, "h"), new dev.prism.core.rtp.RtpEncoding(0, 0, "f")),
                "s", "t");
        Producer producer = new Producer("t", "pub", d, 0, 0, null,
                new RtcpSender(PooledByteBufAllocator.DEFAULT, clock), 500,
                new dev.prism.rtp.transport.MediaCounters(), () -> 0);
        ByteBuf packet = Hex.buf(LAYER_1);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(packet)).isTrue();
        producer.history(1).add(packet, view.sequenceNumber(), clock.nanos()); // what receiving it on layer 1 keeps
        try {
            r.record(700, 1, 100, 2000, 0x2345, 0x77, 9);
            r.setRtx(RTX_SSRC, 97);
            ByteBuf rtx = r.answer(700, producer, extensionMap, 3, clock.nanos(), 0);
            try {
                assertThat(Hex.hex(rtx)).isEqualTo(Hex.hex(Hex.buf(LAYER_1_RTX)));
                assertThat(Hex.hex(packet)).as("the history's copy keeps the publisher's counters")
                        .isEqualTo(Hex.hex(Hex.buf(LAYER_1)));
            } finally {
                rtx.release();
            }
            r.record(701, 0, 100, 2000, -1, -1, -1);
            assertThat(r.answer(701, producer, extensionMap, 3, clock.nanos(), 0)).as("logged as layer 0: not there")
                    .isNull();
            assertThat(r.outcome()).isEqualTo(Retransmitter.TOO_OLD);
        } finally {
            view.clear();
            producer.closeAll();
            packet.release();
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

    @Test
    void retryRulesAsATable() {
        // A subscriber's NACKs are throttled to one answer per max(5 ms, RTT / 2) per packet (a re-ask sooner could
        // not have seen the answer); a retry because the feedback reported the answer lost uses the 5 ms floor only.
        // At loopback RTT (1 ms) a second NACK after a lost RTX is answered as soon as it comes.
        r.setRtx(RTX_SSRC, 97);
        Object[][] rows = {
                // t ms   who        RTT ms  -> outcome
                {0, "nack", 1, Retransmitter.SENT},          // the first answer
                {3, "nack", 1, Retransmitter.THROTTLED},     // a duplicate NACK 3 ms later: within the 5 ms floor
                {5, "nack", 1, Retransmitter.SENT},          // loopback: the re-ask after a lost RTX, answered
                {60, "retry", 1, Retransmitter.SENT},        // feedback says that one was lost too: again at once
                {62, "retry", 1, Retransmitter.THROTTLED},   // never twice within 5 ms
                {100, "nack", 80, Retransmitter.SENT},       // 40 ms since the last answer at RTT 80: re-asked
                {130, "nack", 80, Retransmitter.THROTTLED},  // 30 ms < RTT / 2: the answer is still on its way
                {131, "retry", 80, Retransmitter.SENT},      // a reported loss is not throttled by the RTT
                {1001, "nack", 1, Retransmitter.TOO_OLD},    // a second after it arrived: no help any more
        };
        long now = 0;
        for (Object[] row : rows) {
            long t = (int) row[0];
            clock.advanceMillis(t - now);
            now = t;
            long minInterval = row[1].equals("nack") ? (int) row[2] * MS / 2 : 0;
            ByteBuf out = r.answer(500, history, extensionMap, clock.nanos(), minInterval);
            if (out != null) {
                out.release();
            }
            assertThat(r.outcome()).as("t=%d %s", t, row[1]).isEqualTo(row[3]);
        }
    }
}
