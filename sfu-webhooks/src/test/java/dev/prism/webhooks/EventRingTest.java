package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventRingTest {
    private static WebhookEvent event(long seq) {
        return new WebhookEvent("EV_" + seq, EventType.TRACK_MUTED, "r", "RM_x", seq, 0, "{\"seq\":" + seq + "}");
    }

    private static List<Long> seqs(List<WebhookEvent> events) {
        return events.stream().map(WebhookEvent::seq).toList();
    }

    @Test
    void returnsOnlyEventsAfterTheGivenSeqOldestFirst() {
        EventRing ring = new EventRing(10, 60_000);
        for (long s = 1; s <= 5; s++) {
            ring.add(event(s), 0);
        }
        assertThat(seqs(ring.after(0, 0))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seqs(ring.after(3, 0))).containsExactly(4L, 5L);
        assertThat(ring.after(5, 0)).isEmpty();
    }

    @Test
    void keepsAtMostItsCapacityDroppingTheOldest() {
        EventRing ring = new EventRing(3, 60_000);
        for (long s = 1; s <= 5; s++) {
            ring.add(event(s), 0);
        }
        assertThat(seqs(ring.after(0, 0))).containsExactly(3L, 4L, 5L);
        assertThat(ring.firstSeq(0)).isEqualTo(3);
    }

    @Test
    void forgetsEventsOlderThanItsAge() {
        EventRing ring = new EventRing(10, 1_000);
        ring.add(event(1), 0);
        ring.add(event(2), 500);
        assertThat(seqs(ring.after(0, 1_000))).containsExactly(1L, 2L);
        assertThat(seqs(ring.after(0, 1_001))).containsExactly(2L);
        assertThat(ring.after(0, 1_501)).isEmpty();
        assertThat(ring.firstSeq(1_501)).isZero();
    }
}
