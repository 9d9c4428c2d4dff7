package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery schedule of one receiver, driven by a fake clock and scripted answers. */
class DeliveryQueuesTest {
    private final FakeClock clock = new FakeClock();
    private final List<String> outcomes = new ArrayList<>();
    private final DeliveryQueues.Outcomes record = new DeliveryQueues.Outcomes() {
        @Override
        public void delivered(WebhookEvent event, int attempts) {
            outcomes.add("delivered " + event.roomId() + "#" + event.seq() + " after " + attempts);
        }

        @Override
        public void retrying(WebhookEvent event, int failures, long delayMillis) {
            outcomes.add("retry " + event.roomId() + "#" + event.seq() + " in " + delayMillis);
        }

        @Override
        public void dropped(WebhookEvent event, DeliveryQueues.DropReason reason, int attempts) {
            outcomes.add("dropped " + event.roomId() + "#" + event.seq() + " " + reason.label() + " after " + attempts);
        }
    };

    private static WebhookEvent event(String room, long seq) {
        return new WebhookEvent("EV_" + room + seq, EventType.PARTICIPANT_JOINED, room, "RM_" + room, seq, 0, "{}");
    }

    private static List<String> names(List<DeliveryQueues.Pending> due) {
        return due.stream().map(p -> p.event().roomId() + "#" + p.event().seq()).toList();
    }

    @Test
    void aRoomsLaterEventWaitsUntilItsEarlierOneIsDelivered() {
        DeliveryQueues q = new DeliveryQueues(RetrySchedule.DEFAULT, 100, clock, record);
        q.add(event("a", 1));
        q.add(event("a", 2));
        List<DeliveryQueues.Pending> first = q.due();
        assertThat(names(first)).containsExactly("a#1");
        assertThat(q.due()).as("a#2 waits while a#1 is in flight").isEmpty();
        q.succeeded(first.get(0));
        List<DeliveryQueues.Pending> second = q.due();
        assertThat(names(second)).containsExactly("a#2");
        q.succeeded(second.get(0));
        assertThat(q.size()).isZero();
        assertThat(outcomes).containsExactly("delivered a#1 after 1", "delivered a#2 after 1");
    }

    @Test
    void failuresAreRetriedWithBackoffAndTheOrderHolds() {
        DeliveryQueues q = new DeliveryQueues(RetrySchedule.DEFAULT, 100, clock, record);
        q.add(event("a", 1));
        q.add(event("a", 2));
        q.failed(q.due().get(0));
        assertThat(q.due()).isEmpty();
        assertThat(q.nextDueMillis()).isEqualTo(clock.millis() + 500);
        clock.advanceMillis(499);
        assertThat(q.due()).isEmpty();
        clock.advanceMillis(1);
        DeliveryQueues.Pending retry = q.due().get(0);
        assertThat(retry.event().seq()).isEqualTo(1);
        q.failed(retry);
        clock.advanceMillis(1_000);
        retry = q.due().get(0);
        q.succeeded(retry);
        assertThat(names(q.due())).containsExactly("a#2");
        assertThat(outcomes).containsExactly("retry a#1 in 500", "retry a#1 in 1000", "delivered a#1 after 3");
    }

    @Test
    void oneRoomsFailingReceiverDoesNotHoldAnotherRoom() {
        DeliveryQueues q = new DeliveryQueues(RetrySchedule.DEFAULT, 100, clock, record);
        q.add(event("a", 1));
        q.add(event("b", 1));
        List<DeliveryQueues.Pending> due = q.due();
        assertThat(names(due)).containsExactly("a#1", "b#1");
        q.failed(due.get(0));
        q.succeeded(due.get(1));
        q.add(event("b", 2));
        assertThat(names(q.due())).containsExactly("b#2");
    }

    @Test
    void anEventIsGivenUpWhenItsNextTryWouldFallOutsideTheWindowThenTheNextGoes() {
        DeliveryQueues q = new DeliveryQueues(RetrySchedule.DEFAULT.withWindowMillis(3_000), 100, clock, record);
        q.add(event("a", 1));
        q.add(event("a", 2));
        // tries at 0, 500, 1500; the next would be at 3500 > 3000: given up after 3 attempts.
        q.failed(q.due().get(0));
        clock.advanceMillis(500);
        q.failed(q.due().get(0));
        clock.advanceMillis(1_000);
        q.failed(q.due().get(0));
        assertThat(outcomes).containsExactly("retry a#1 in 500", "retry a#1 in 1000", "dropped a#1 expired after 3");
        assertThat(names(q.due())).containsExactly("a#2");
    }

    @Test
    void aFullRoomQueueDropsItsOldestWaitingEventNotTheOneInFlight() {
        DeliveryQueues q = new DeliveryQueues(RetrySchedule.DEFAULT, 3, clock, record);
        q.add(event("a", 1));
        DeliveryQueues.Pending inFlight = q.due().get(0);
        q.add(event("a", 2));
        q.add(event("a", 3));
        q.add(event("a", 4));
        assertThat(outcomes).containsExactly("dropped a#2 queue_full after 0");
        q.succeeded(inFlight);
        assertThat(names(q.due())).containsExactly("a#3");
        assertThat(q.size()).isEqualTo(2);
    }

    @Test
    void nextDueIsTheEarliestWaitingHeadAndNoneWhileAllAreInFlight() {
        DeliveryQueues q = new DeliveryQueues(RetrySchedule.DEFAULT, 100, clock, record);
        assertThat(q.nextDueMillis()).isEqualTo(-1);
        q.add(event("a", 1));
        assertThat(q.nextDueMillis()).isEqualTo(clock.millis());
        List<DeliveryQueues.Pending> due = q.due();
        assertThat(q.nextDueMillis()).isEqualTo(-1);
        q.failed(due.get(0));
        assertThat(q.nextDueMillis()).isEqualTo(clock.millis() + 500);
    }
}
