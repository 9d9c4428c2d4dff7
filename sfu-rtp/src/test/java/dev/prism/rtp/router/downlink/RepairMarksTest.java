package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Marks leave in order, matched by buffer; a mark whose packet never left is skipped; a full table forgets its oldest. */
class RepairMarksTest {
    private final RepairRetries.Target a = (outSeq, n, now) -> true;
    private final RepairRetries.Target b = (outSeq, n, now) -> true;

    @Test
    void marksAreTakenInOrderAndStaleOnesSkipped() {
        RepairMarks marks = new RepairMarks(4);
        ByteBuf p1 = Unpooled.buffer(1);
        ByteBuf p2 = Unpooled.buffer(1);
        ByteBuf p3 = Unpooled.buffer(1);
        ByteBuf unmarked = Unpooled.buffer(1);
        marks.add(p1, a, 10, 1);
        marks.add(p2, b, 11, 2);
        marks.add(p3, a, 12, 3);
        assertThat(marks.take(unmarked)).isFalse();
        assertThat(marks.size()).isEqualTo(3);
        assertThat(marks.take(p1)).isTrue();
        assertThat(marks.target()).isSameAs(a);
        assertThat(marks.outSeq()).isEqualTo(10);
        assertThat(marks.tries()).isEqualTo(1);
        // p2 never left (say, released by a closing pacer): p3's leaving forgets it.
        assertThat(marks.take(p3)).isTrue();
        assertThat(marks.outSeq()).isEqualTo(12);
        assertThat(marks.size()).isZero();
        assertThat(marks.take(p2)).isFalse();
    }

    @Test
    void aFullTableForgetsItsOldestMarkAndClearEmptiesIt() {
        RepairMarks marks = new RepairMarks(2);
        ByteBuf p1 = Unpooled.buffer(1);
        ByteBuf p2 = Unpooled.buffer(1);
        ByteBuf p3 = Unpooled.buffer(1);
        marks.add(p1, a, 1, 1);
        marks.add(p2, a, 2, 1);
        marks.add(p3, b, 3, 1);
        assertThat(marks.size()).isEqualTo(2);
        assertThat(marks.take(p1)).as("forgotten").isFalse();
        assertThat(marks.take(p2)).isTrue();
        marks.clear();
        assertThat(marks.size()).isZero();
        assertThat(marks.take(p3)).isFalse();
    }
}
