package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator's ICE-TCP receive side: RFC 4571 frames cut from reads of any shape, each handed up whole, in order,
 * with its read's arrival time, and every read released.
 */
class TcpFrameReaderTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 40000);
    private static final HexFormat HEX = HexFormat.of();

    /** Reads (hex, as they come off the socket) and the frames (hex) they must give. */
    record Case(String name, List<String> reads, List<String> frames) {
    }

    private static final List<Case> CASES = List.of(
            new Case("one frame, one read",
                    List.of("0003" + "aabbcc"), // length 3, then 3 bytes
                    List.of("aabbcc")),
            new Case("three frames in one read",
                    List.of("0001" + "01" + "0002" + "0203" + "0003" + "040506"),
                    List.of("01", "0203", "040506")),
            new Case("a frame split in the middle of its payload",
                    List.of("0004" + "de", "adbeef"),
                    List.of("deadbeef")),
            new Case("the length prefix split between reads",
                    List.of("00", "02" + "cafe"),
                    List.of("cafe")),
            new Case("a read ending right after a length prefix",
                    List.of("0001" + "11" + "0002", "2233"),
                    List.of("11", "2233")),
            new Case("a whole frame, then the start of the next, then its rest with a third frame",
                    List.of("0002" + "aaaa" + "0003" + "bb", "bbbb" + "0001" + "cc"),
                    List.of("aaaa", "bbbbbb", "cc")),
            new Case("a frame trickled one byte per read",
                    List.of("00", "03", "01", "02", "03"),
                    List.of("010203")),
            new Case("a zero-length frame is skipped",
                    List.of("0000" + "0001" + "7f"),
                    List.of("7f")),
            // A STUN binding success header (type 0x0101, length 0, magic cookie, 12-byte transaction id) and the
            // first bytes of an SRTP packet (V=2, PT 96): what a peer reads in its first moments.
            new Case("STUN then RTP, split inside the RTP frame",
                    List.of("0014" + "01010000" + "2112a442" + "000102030405060708090a0b" + "000c" + "8060",
                            "0001" + "00000002" + "000000aa"),
                    List.of("01010000" + "2112a442" + "000102030405060708090a0b",
                            "8060" + "0001" + "00000002" + "000000aa")));

    @Test
    void everyCaseGivesItsFramesInOrderAndReleasesEveryRead() {
        for (Case c : CASES) {
            Recorder r = new Recorder();
            TcpFrameReader reader = new TcpFrameReader(PooledByteBufAllocator.DEFAULT, SERVER, r);
            EmbeddedChannel ch = new EmbeddedChannel(reader);
            List<ByteBuf> reads = new ArrayList<>();
            for (String hex : c.reads()) {
                ByteBuf b = Unpooled.wrappedBuffer(HEX.parseHex(hex));
                reads.add(b);
                ch.writeInbound(b);
            }
            assertThat(r.frames).as(c.name()).containsExactlyElementsOf(c.frames());
            assertThat(r.from).as(c.name()).allMatch(SERVER::equals);
            assertThat(reader.pendingBytes()).as(c.name() + ": nothing left half-read").isZero();
            assertThat(reads).as(c.name() + ": every read released").allMatch(b -> b.refCnt() == 0);
            assertThat(r.readCompletes).as(c.name()).isEqualTo(c.reads().size());
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aTwoFrameStreamCutAtEveryPointGivesTheSameFrames() {
        byte[] stream = HEX.parseHex("0005" + "0102030405" + "0003" + "a1a2a3");
        for (int cut = 1; cut < stream.length; cut++) {
            Recorder r = new Recorder();
            TcpFrameReader reader = new TcpFrameReader(PooledByteBufAllocator.DEFAULT, SERVER, r);
            EmbeddedChannel ch = new EmbeddedChannel(reader);
            ch.writeInbound(Unpooled.wrappedBuffer(stream, 0, cut));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, cut, stream.length - cut));
            assertThat(r.frames).as("cut at " + cut).containsExactly("0102030405", "a1a2a3");
            assertThat(reader.pendingBytes()).isZero();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void framesOfOneReadShareItsArrivalTimeAndAHalfFrameWaitsForTheNextRead() {
        Recorder r = new Recorder();
        TcpFrameReader reader = new TcpFrameReader(PooledByteBufAllocator.DEFAULT, SERVER, r);
        EmbeddedChannel ch = new EmbeddedChannel(reader);
        ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("0001" + "01" + "0001" + "02" + "0004" + "0304")));
        assertThat(r.frames).containsExactly("01", "02");
        assertThat(r.arrivals.get(0)).isEqualTo(r.arrivals.get(1));
        assertThat(reader.pendingBytes()).as("the split frame's header and first bytes").isEqualTo(4);
        ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("0506")));
        assertThat(r.frames).containsExactly("01", "02", "03040506");
        assertThat(reader.pendingBytes()).isZero();
        ch.finishAndReleaseAll(); // the framer's split-frame buffer goes back with the handler (leak detector)
    }

    @Test
    void aFullSizeSrtpFrameInSmallReadsArrivesWhole() {
        byte[] payload = new byte[1200];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        ByteBuf stream = Unpooled.buffer().writeShort(payload.length).writeBytes(payload);
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new TcpFrameReader(PooledByteBufAllocator.DEFAULT, SERVER, r));
        while (stream.isReadable()) {
            ch.writeInbound(stream.readRetainedSlice(Math.min(100, stream.readableBytes())));
        }
        stream.release();
        assertThat(r.frames).containsExactly(HEX.formatHex(payload));
        ch.finishAndReleaseAll();
    }

    /** Copies what it is lent (the frames are borrowed for the call). */
    private static final class Recorder implements PeerPath.Receiver {
        final List<String> frames = new ArrayList<>();
        final List<InetSocketAddress> from = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        int readCompletes;

        @Override
        public void onPacket(ByteBuf packet, InetSocketAddress sender, long arrivalNanos) {
            frames.add(ByteBufUtil.hexDump(packet));
            from.add(sender);
            arrivals.add(arrivalNanos);
        }

        @Override
        public void onReadComplete() {
            readCompletes++;
        }
    }
}
