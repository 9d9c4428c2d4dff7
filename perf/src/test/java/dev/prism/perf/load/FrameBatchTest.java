package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's ICE-TCP send side: packets framed behind their 2-byte length, one buffer per batch. */
class FrameBatchTest {
    private static final HexFormat HEX = HexFormat.of();

    record Case(String name, List<String> packets, String written) {
    }

    private static final List<Case> CASES = List.of(
            new Case("one packet", List.of("aabbcc"), "0003" + "aabbcc"),
            new Case("three packets, one batch", List.of("01", "0203", "040506"),
                    "0001" + "01" + "0002" + "0203" + "0003" + "040506"),
            new Case("an empty packet is a zero-length frame", List.of("", "ff"), "0000" + "0001" + "ff"),
            new Case("a length above 255 uses both bytes", List.of("00".repeat(0x0123)),
                    "0123" + "00".repeat(0x0123)));

    @Test
    void everyCaseIsWrittenAsFramesAndEveryPacketReleased() {
        for (Case c : CASES) {
            FrameBatch batch = new FrameBatch(PooledByteBufAllocator.DEFAULT);
            for (String hex : c.packets()) {
                byte[] bytes = HEX.parseHex(hex);
                ByteBuf p = Unpooled.buffer(bytes.length).writeBytes(bytes); // not the shared empty buffer
                batch.append(p);
                assertThat(p.refCnt()).as(c.name() + ": the packet is released once copied").isZero();
            }
            assertThat(batch.pendingBytes()).isEqualTo(c.written().length() / 2);
            ByteBuf out = batch.take();
            assertThat(out.isDirect()).as("what the socket writes is direct: no copy in Netty").isTrue();
            assertThat(ByteBufUtil.hexDump(out)).as(c.name()).isEqualTo(c.written());
            out.release();
            assertThat(batch.take()).as(c.name() + ": nothing pending after take").isNull();
            batch.close();
        }
    }

    @Test
    void onlyTheReadableBytesOfAPacketAreFramed() {
        FrameBatch batch = new FrameBatch(PooledByteBufAllocator.DEFAULT);
        ByteBuf p = Unpooled.wrappedBuffer(HEX.parseHex("deadbeef")).skipBytes(1);
        batch.append(p);
        ByteBuf out = batch.take();
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0003" + "adbeef");
        out.release();
    }

    @Test
    void aPacketTooLongForTwoLengthBytesIsRefusedAndReleased() {
        FrameBatch batch = new FrameBatch(PooledByteBufAllocator.DEFAULT);
        ByteBuf p = Unpooled.buffer(0x10000).writeZero(0x10000);
        assertThatThrownBy(() -> batch.append(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
        assertThat(p.refCnt()).isZero();
        assertThat(batch.pendingBytes()).isZero();
    }

    @Test
    void closeDropsWhatIsPending() {
        FrameBatch batch = new FrameBatch(PooledByteBufAllocator.DEFAULT);
        batch.append(Unpooled.wrappedBuffer(new byte[] {1, 2}));
        batch.close();
        assertThat(batch.take()).isNull();
        batch.close(); // idempotent
    }
}
