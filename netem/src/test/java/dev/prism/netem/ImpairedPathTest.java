package dev.prism.netem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A path with its packets on a fake clock: which packet leaves when, in which order, with which bytes. */
class ImpairedPathTest {
    private final FakeClock clock = new FakeClock();
    private final long t0 = clock.nanos();
    private final List<String> released = new ArrayList<>();

    /** Releases what is due and records "packet@ms" (the packet's first byte, ms since t0). */
    private final ImpairedPath.Sink sink = (route, payload, arrival, departure) -> {
        assertThat(departure - clock.nanos()).as("never released before its time").isNotPositive();
        released.add(payload.get(payload.position()) + "@" + (clock.nanos() - t0) / 1_000_000);
        assertThat(route).isEqualTo(100 + payload.get(payload.position()));
    };

    private static ByteBuffer packet(int id, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) id;
        return ByteBuffer.wrap(b);
    }

    private void at(long ms) {
        long target = t0 + ms * 1_000_000L;
        clock.advance(Duration.ofNanos(target - clock.nanos()));
    }

    @Test
    void reorderingJitterReleasesInDepartureOrderAtTheDepartureTimes() {
        // departures 50, 40, 90, 70 ms (LinkTest's reordering row)
        ImpairedPath path = new ImpairedPath(clock, LinkProfile.PERFECT.withDelay(Duration.ofMillis(50))
                .withJitter(Duration.ofMillis(20), Jitter.UNIFORM).withReordering(true),
                new ScriptedRandom(0.5, 0.0, 1.0, 0.25), 16, 1500);
        for (int i = 0; i < 4; i++) {
            at(10L * i);
            assertThat(path.offer(packet(i, 200), 100 + i)).isTrue();
            path.releaseDue(sink);
        }
        assertThat(released).isEmpty();
        assertThat(path.nanosUntilNextDeparture()).isEqualTo(10_000_000L); // 30 ms now, first leaves at 40
        for (long ms = 31; ms <= 100; ms++) {
            at(ms);
            path.releaseDue(sink);
        }
        assertThat(released).containsExactly("1@40", "0@50", "3@70", "2@90");
        PathCounters c = path.counters();
        assertThat(c.offered()).isEqualTo(4);
        assertThat(c.delivered()).isEqualTo(4);
        assertThat(c.deliveredBytes()).isEqualTo(800);
        assertThat(c.minHoldNanos()).isEqualTo(30_000_000L);
        assertThat(c.maxHoldNanos()).isEqualTo(70_000_000L);
        assertThat(c.meanHoldMillis()).isEqualTo(47.5); // (50 + 30 + 70 + 40) / 4
        assertThat(c.maxLateNanos()).isZero();
        assertThat(c.lateOver2ms()).isZero();
        assertThat(path.hasHeld()).isFalse();
        assertThat(path.nanosUntilNextDeparture()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void packetsDueAtTheSameInstantLeaveInTheOrderTheyCame() {
        // in order: the second and fourth wait for their predecessors (LinkTest's in-order row): 50, 50, 90, 90
        ImpairedPath path = new ImpairedPath(clock, LinkProfile.PERFECT.withDelay(Duration.ofMillis(50))
                .withJitter(Duration.ofMillis(20), Jitter.UNIFORM), new ScriptedRandom(0.5, 0.0, 1.0, 0.25), 16, 1500);
        for (int i = 0; i < 4; i++) {
            at(10L * i);
            path.offer(packet(i, 200), 100 + i);
        }
        at(200);
        path.releaseDue(sink);
        assertThat(released).as("released late in one go: departure order, ties by arrival")
                .containsExactly("0@200", "1@200", "2@200", "3@200");
        PathCounters c = path.counters();
        assertThat(c.maxLateNanos()).isEqualTo(150_000_000L);
        assertThat(c.sumLateNanos()).isEqualTo((150 + 150 + 110 + 110) * 1_000_000L);
        assertThat(c.lateOver2ms()).isEqualTo(4);
    }

    @Test
    void theReleasedBytesAreACopyTakenAtTheOffer() {
        ImpairedPath path = new ImpairedPath(clock, LinkProfile.PERFECT.withDelay(Duration.ofMillis(5)),
                new ScriptedRandom(), 4, 64);
        ByteBuffer p = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 4, 5}).position(1);
        path.offer(p, 7);
        assertThat(p.position()).as("the offer does not move the caller's buffer").isEqualTo(1);
        p.put(2, (byte) 99);
        at(5);
        List<byte[]> out = new ArrayList<>();
        path.releaseDue((route, payload, arrival, departure) -> {
            byte[] b = new byte[payload.remaining()];
            payload.duplicate().get(b);
            out.add(b);
            assertThat(route).isEqualTo(7);
            assertThat(departure - arrival).isEqualTo(5_000_000L);
        });
        assertThat(out).containsExactly(new byte[] {1, 2, 3, 4, 5});
    }

    @Test
    void aFullReleaseQueueAndAnOversizeDatagramAreDroppedAndCounted() {
        ImpairedPath path = new ImpairedPath(clock, LinkProfile.PERFECT.withDelay(Duration.ofMillis(100)),
                new ScriptedRandom(), 2, 100);
        assertThat(path.offer(packet(0, 100), 100)).isTrue();
        assertThat(path.offer(packet(1, 101), 101)).isFalse();
        assertThat(path.offer(packet(2, 50), 102)).isTrue();
        assertThat(path.offer(packet(3, 50), 103)).isFalse();
        at(100);
        path.releaseDue(sink);
        assertThat(path.offer(packet(4, 50), 104)).as("slots came back").isTrue();
        at(200);
        path.releaseDue(sink);
        assertThat(released).containsExactly("0@100", "2@100", "4@200");
        PathCounters c = path.counters();
        assertThat(c.dropped(DropReason.OVERSIZE)).isEqualTo(1);
        assertThat(c.dropped(DropReason.RELEASE_FULL)).isEqualTo(1);
        assertThat(c.droppedTotal()).isEqualTo(2);
        assertThat(c.offered()).isEqualTo(5);
        assertThat(c.delivered()).isEqualTo(3);
    }

    @Test
    void anOutageMidStreamDropsWhatArrivesDuringItWhilePacketsInFlightStillLeave() {
        ImpairedPath path = new ImpairedPath(clock, LinkProfile.PERFECT.withDelay(Duration.ofMillis(30)),
                new ScriptedRandom(), 16, 1500);
        List<String> fates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            at(10L * i);
            if (i == 3) {
                path.setOutage(true);
            }
            if (i == 6) {
                path.setOutage(false);
            }
            fates.add(path.offer(packet(i, 100), 100 + i) ? "taken" : "dropped");
            path.releaseDue(sink);
        }
        at(150);
        path.releaseDue(sink);
        assertThat(fates).containsExactly("taken", "taken", "taken", "dropped", "dropped", "dropped", "taken", "taken",
                "taken", "taken");
        assertThat(released).containsExactly("0@30", "1@40", "2@50", "6@90", "7@150", "8@150", "9@150");
        assertThat(path.counters().dropped(DropReason.OUTAGE)).isEqualTo(3);
    }

    @Test
    void aRateDropAndBackChangesTheSpacingOfLaterPackets() {
        // 1,000 B every 5 ms: at 2 Mbit/s each takes 4 ms (no queue), at 800 kbit/s 10 ms (a queue builds)
        ImpairedPath path = new ImpairedPath(clock, LinkProfile.PERFECT.withRate(2_000_000, 1000, 3000),
                new ScriptedRandom(), 64, 1500);
        for (int i = 0; i < 12; i++) {
            at(5L * i);
            if (i == 2) {
                path.setProfile(LinkProfile.PERFECT.withRate(800_000, 1000, 3000));
            }
            if (i == 8) {
                path.setProfile(LinkProfile.PERFECT.withRate(2_000_000, 1000, 3000));
            }
            path.releaseDue(sink);
            path.offer(packet(i, 1000), 100 + i);
            path.releaseDue(sink);
        }
        for (long ms = 56; ms <= 100; ms++) {
            at(ms);
            path.releaseDue(sink);
        }
        // 2 Mbit/s: 250 B per ms; 800 kbit/s: 100 B per ms; burst 1,000 B, queue 3,000 B.
        // 0@0 burst; 1@5 credit refilled; at 10 the rate drops with a full 1,000 B credit: 2@10; 3@20 (500 B of
        // credit at 15, 5 ms for the rest); 4@30, 5@40, 6@50, 7@60 queued behind at 10 ms each (7 makes 3,000 B);
        // at 40 the rate is back: 8@64 behind 7; 9 (at 45) finds 3,000 B queued: dropped; 10@68; 11 (at 55) dropped.
        assertThat(released).containsExactly("0@0", "1@5", "2@10", "3@20", "4@30", "5@40", "6@50", "7@60", "8@64",
                "10@68");
        assertThat(path.counters().dropped(DropReason.QUEUE_FULL)).isEqualTo(2);
    }
}
