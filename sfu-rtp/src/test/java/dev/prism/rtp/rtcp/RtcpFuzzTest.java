package dev.prism.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.rtp.testutil.FuzzBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Fuzz targets (docs/FUZZING.md) for RTCP from the network, after SRTCP decryption.
 *
 * <ul>
 *   <li>{@link #compound}: the compound walk and typed dispatch, then every message class's own parser on each packet
 *       (so each type is fuzzed whatever the header says). Parsers return null for malformed bytes and never throw;
 *       a parsed message writes back exactly {@link RtcpMessage#length()} bytes that parse to an equal message.</li>
 *   <li>{@link #transportCc}: transport-wide congestion control feedback, through the allocation-free reader the
 *       downlink estimator uses ({@link TransportCcFeedback#readFrom}) and {@link TransportCcFeedback#parse}.</li>
 * </ul>
 * Seeds: RtcpFuzzTestInputs/ (the Chromium 156 capture's RTCP and the commented tables of {@link RtcpSamples} and
 * {@link ChromiumRtcp}).
 */
class RtcpFuzzTest {
    private final RtcpCompoundParser parser = new RtcpCompoundParser();
    private final TransportCcFeedback reusable = TransportCcFeedback.reusable();

    @FuzzTest
    void compound(byte[] input) {
        FuzzBuffers.borrow(input, buf -> {
            parser.reset(buf);
            int end = buf.writerIndex();
            while (parser.next()) {
                assertThat(parser.offset()).isGreaterThanOrEqualTo(buf.readerIndex());
                assertThat(parser.offset() + parser.length()).isLessThanOrEqualTo(end);
                parser.packetType();
                parser.countOrFormat();
                parser.padding();
                RtcpMessage dispatched = parser.parse();
                if (dispatched != null) {
                    roundTrip(dispatched);
                }
                for (Parsers.Named p : Parsers.ALL) {
                    RtcpMessage m = p.parser().parse(buf, parser.offset(), parser.length());
                    if (m != null) {
                        roundTrip(m);
                    }
                }
            }
            parser.malformed();
        });
    }

    @FuzzTest
    void transportCc(byte[] input) {
        FuzzBuffers.borrow(input, buf -> {
            int at = buf.readerIndex();
            int len = buf.readableBytes();
            boolean read = reusable.readFrom(buf, at, len);
            TransportCcFeedback parsed = TransportCcFeedback.parse(buf, at, len);
            assertThat(parsed != null).isEqualTo(read);
            if (!read) {
                assertThat(reusable.packetStatusCount()).isZero();
                return;
            }
            assertThat(parsed).isEqualTo(reusable);
            int n = reusable.packetStatusCount();
            assertThat(n).isBetween(1, 0xFFFF);
            int received = 0;
            for (int i = 0; i < n; i++) {
                reusable.sequenceNumber(i);
                reusable.status(i);
                if (reusable.received(i)) {
                    received++;
                    reusable.delta(i);
                    reusable.arrivalTimeMicros(i);
                }
            }
            assertThat(reusable.receivedCount()).isEqualTo(received);
            for (int i = 0; i < reusable.chunkCount(); i++) {
                reusable.chunk(i);
            }
            reusable.referenceTimeMicros();
            roundTrip(parsed);
        });
    }

    /** Writes {@code m} and parses it back: the writer and parser agree on everything a parser accepted. */
    private static void roundTrip(RtcpMessage m) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.heapBuffer(m.length());
        try {
            int written = m.write(out);
            assertThat(written).as("bytes written by %s", m).isEqualTo(m.length()).isEqualTo(out.readableBytes());
            assertThat(written % 4).isZero();
            RtcpMessage again = RtcpCompoundParser.parse(out, out.readerIndex(), out.readableBytes());
            assertThat(again).as("re-parse of %s", m).isEqualTo(m);
        } finally {
            out.release();
        }
    }
}
