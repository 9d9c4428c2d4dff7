package dev.prism.rtp.pacer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One drain timer per loop: it starts when a pacer queues, drains every queued pacer each tick and flushes once, and
 * stops a second after the last queue emptied; an uncongested pacer never starts it.
 */
class PacingLoopTest {
    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private int flushes;
    private final PacingLoop loop = new PacingLoop(timers, clock, () -> flushes++);
    private final List<ByteBuf> out = new ArrayList<>();
    private final PacedOutput wire = new PacedOutput() {
        @Override
        public void emit(ByteBuf packet, int elementOffset, PacketClass type) {
            out.add(packet);
            packet.release();
        }

        @Override
        public void dropped(PacketClass type) {
        }
    };

    @Test
    void anUncongestedPacerNeverStartsTheTimer() {
        Pacer pacer = new Pacer(wire, loop, 2_000_000);
        for (int i = 0; i < 100; i++) {
            pacer.send(Unpooled.buffer(1200).writerIndex(1200), -1, PacketClass.VIDEO, clock.nanos());
            timers.advanceMillis(10);
        }
        assertThat(out).hasSize(100);
        assertThat(loop.isTicking()).isFalse();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void queuedPacersShareOneTimerThatStopsWhenTheyAreDrained() {
        Pacer a = new Pacer(wire, loop, 300_000);
        Pacer b = new Pacer(wire, loop, 300_000);
        for (int i = 0; i < 10; i++) {
            a.send(Unpooled.buffer(1200).writerIndex(1200), -1, PacketClass.VIDEO, clock.nanos());
            b.send(Unpooled.buffer(1200).writerIndex(1200), -1, PacketClass.VIDEO, clock.nanos());
        }
        assertThat(out).hasSize(8); // 4 each from their buckets
        assertThat(loop.activePacers()).isEqualTo(2);
        assertThat(timers.pending()).as("one timer for both").isEqualTo(1);
        timers.advanceMillis(100);
        assertThat(out).hasSize(20);
        assertThat(loop.activePacers()).isZero();
        // Both drained by 80 ms (the last of 6 queued at 300 kbit/s): one flush per tick with work, not per pacer.
        assertThat(flushes).isEqualTo(16);
        assertThat(loop.ticks()).isEqualTo(20);
        timers.advanceMillis(PacingLoop.TICK_MILLIS * PacingLoop.IDLE_TICKS_BEFORE_STOP);
        assertThat(loop.isTicking()).isFalse();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void waitsAndEarlySendsReachTheLoopsTotals() {
        long[] waited = new long[3]; // count, summed nanos, early sends
        PacingLoop counted = new PacingLoop(timers, clock, () -> { }, new PacerTotals() {
            @Override
            public void waited(long waitNanos) {
                waited[0]++;
                waited[1] += waitNanos;
            }

            @Override
            public void sentEarly() {
                waited[2]++;
            }
        });
        Pacer a = new Pacer(wire, counted, 300_000);
        for (int i = 0; i < 10; i++) {
            a.send(Unpooled.buffer(1200).writerIndex(1200), -1, PacketClass.VIDEO, clock.nanos());
        }
        assertThat(out).as("4 leave from the bucket at once").hasSize(4);
        assertThat(waited[0]).isZero();
        timers.advanceMillis(100);
        assertThat(out).hasSize(10);
        assertThat(waited[0]).as("the 6 queued ones").isEqualTo(6);
        assertThat(waited[1]).as("each waited at least one 5 ms tick, none past the 80 ms drain")
                .isBetween(6 * 5_000_000L, 6 * 80_000_000L);
        assertThat(waited[2]).isZero();

        Pacer slow = new Pacer(wire, counted, 10_000); // a full video queue sends its oldest early
        for (int i = 0; i < Pacer.VIDEO_CAPACITY + 20; i++) {
            slow.send(Unpooled.buffer(1200).writerIndex(1200), -1, PacketClass.VIDEO, clock.nanos());
        }
        assertThat(waited[2]).isEqualTo(slow.sentEarly(PacketClass.VIDEO)).isPositive();
        slow.close();
    }

    @Test
    void aClosedPacerLeavesTheLoop() {
        Pacer a = new Pacer(wire, loop, 100_000);
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuf p = Unpooled.buffer(1200).writerIndex(1200);
            sent.add(p);
            a.send(p, -1, PacketClass.VIDEO, clock.nanos());
        }
        assertThat(loop.activePacers()).isEqualTo(1);
        a.close();
        assertThat(loop.activePacers()).isZero();
        assertThat(sent).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        timers.advanceMillis(50);
        assertThat(out).hasSize(2);
    }
}
