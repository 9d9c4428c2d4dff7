package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacketHistoryTest {
    private final FakeClock clock = new FakeClock();
    private final List<ByteBuf> made = new ArrayList<>();

    /** A buffer standing for one received packet; the test holds one reference, as the transport would. */
    private ByteBuf packet(int seq) {
        ByteBuf b = Unpooled.buffer(16).writeShort(seq);
        made.add(b);
        return b;
    }

    @AfterEach
    void releaseTestReferences() {
        for (ByteBuf b : made) {
            if (b.refCnt() > 0) {
                b.release();
            }
        }
    }

    @Test
    void keepsReferencesNotCopiesAndFindsThemBySequenceNumber() {
        PacketHistory h = new PacketHistory(16, 1_000_000_000L);
        ByteBuf p = packet(100);
        h.add(p, 100, clock.nanos());
        assertThat(p.refCnt()).as("retained, not copied").isEqualTo(2);
        assertThat(h.get(100, clock.nanos())).isSameAs(p);
        assertThat(h.contains(100)).isTrue();
        assertThat(h.get(101, clock.nanos())).isNull();
        assertThat(h.size()).isEqualTo(1);
        h.clear();
        assertThat(p.refCnt()).isEqualTo(1);
        assertThat(h.size()).isZero();
    }

    @Test
    void aPacketOlderThanTheMaximumAgeIsNotRetransmitted() {
        PacketHistory h = new PacketHistory(16, 1_000_000_000L);
        h.add(packet(7), 7, clock.nanos());
        clock.advanceMillis(1000);
        assertThat(h.get(7, clock.nanos())).as("exactly the maximum age still helps").isNotNull();
        clock.advanceMillis(1);
        assertThat(h.get(7, clock.nanos())).as("too old to help").isNull();
        assertThat(h.contains(7)).as("still held until expired: a late RTX of it is a duplicate").isTrue();
        h.expire(clock.nanos());
        assertThat(h.contains(7)).isFalse();
        assertThat(h.size()).isZero();
        assertThat(made.get(0).refCnt()).isEqualTo(1);
    }

    @Test
    void aSlotReusedBySequenceNumberPlusCapacityReleasesTheOldPacket() {
        PacketHistory h = new PacketHistory(16, 1_000_000_000L);
        ByteBuf old = packet(3);
        ByteBuf next = packet(19);
        h.add(old, 3, clock.nanos());
        h.add(next, 19, clock.nanos());
        assertThat(old.refCnt()).isEqualTo(1);
        assertThat(h.get(3, clock.nanos())).as("overwritten").isNull();
        assertThat(h.get(19, clock.nanos())).isSameAs(next);
        assertThat(h.size()).isEqualTo(1);
        h.clear();
    }

    @Test
    void sequenceNumbersWrapAround() {
        PacketHistory h = new PacketHistory(16, 1_000_000_000L);
        for (int seq : new int[] {65534, 65535, 0, 1}) {
            h.add(packet(seq), seq, clock.nanos());
        }
        assertThat(h.get(65535, clock.nanos())).isNotNull();
        assertThat(h.get(0, clock.nanos())).isNotNull();
        assertThat(h.get(65536, clock.nanos())).as("only the low 16 bits count").isNotNull();
        assertThat(h.size()).isEqualTo(4);
        h.clear();
    }

    @Test
    void theSameSequenceNumberAgainReplacesTheHeldPacket() {
        PacketHistory h = new PacketHistory(16, 1_000_000_000L);
        ByteBuf first = packet(5);
        ByteBuf again = packet(5);
        h.add(first, 5, clock.nanos());
        h.add(again, 5, clock.nanos());
        assertThat(first.refCnt()).isEqualTo(1);
        assertThat(h.get(5, clock.nanos())).isSameAs(again);
        assertThat(h.size()).isEqualTo(1);
        h.clear();
    }

    @Test
    void refusesCapacitiesThatAreNotPowersOfTwoInRange() {
        for (int bad : new int[] {0, 8, 15, 100, 65536}) {
            assertThatThrownBy(() -> new PacketHistory(bad, 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new PacketHistory(16, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
