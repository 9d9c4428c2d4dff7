package dev.prism.ops.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.inspect.ParticipantHistory.Point;
import org.junit.jupiter.api.Test;

class HistoryRingTest {
    private static Point at(long t) {
        return new Point(t, (double) t, null, null, null);
    }

    @Test
    void keepsTheLastPointsOldestFirst() {
        HistoryRing ring = new HistoryRing(3);
        assertThat(ring.toList()).isEmpty();
        ring.add(at(1));
        ring.add(at(2));
        assertThat(ring.toList()).extracting(Point::atMillis).containsExactly(1L, 2L);
        ring.add(at(3));
        ring.add(at(4));
        ring.add(at(5));
        assertThat(ring.toList()).extracting(Point::atMillis).containsExactly(3L, 4L, 5L);
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new HistoryRing(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
