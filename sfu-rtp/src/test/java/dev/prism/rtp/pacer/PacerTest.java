package dev.prism.rtp.pacer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pacer as scenario tables, time passed in: what leaves when, in which order, and what a full queue drops. Every
 * packet is a buffer of a known size whose first byte names it, so the order out is readable.
 */
class PacerTest {
    private static final long MS = 1_000_000L;

    /** What the pacer emitted: name, class, when. Every buffer is released here as it leaves (the transport would). */
    private static final class Wire implements PacedOutput {
        final List<String> out = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final List<PacketClass> drops = new ArrayList<>();
        long now;

        @Override
        public void emit(ByteBuf packet, int elementOffset, PacketClass type) {
            out.add(name(packet));
            times.add(now / MS);
            offsets.add(elementOffset);
            packet.release();
        }

        @Override
        public void dropped(PacketClass type) {
            drops.add(type);
        }
    }

    private final Wire wire = new Wire();

    private static ByteBuf packet(String name, int size) {
        ByteBuf b = Unpooled.buffer(size);
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.writeByte(n.length).writeBytes(n);
        b.writerIndex(size);
        return b;
    }

    private static String name(ByteBuf b) {
        return b.toString(1, b.getUnsignedByte(0), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void send(Pacer pacer, String name, int size, PacketClass type, long atMs) {
        wire.now = atMs * MS;
        pacer.send(packet(name, size), 7, type, atMs * MS);
    }

    /** Calls {@link Pacer#process} every 5 ms (as {@link PacingLoop} does) from {@code fromMs} to {@code toMs}. */
    private void tick(Pacer pacer, long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t += PacingLoop.TICK_MILLIS) {
            wire.now = t * MS;
            pacer.process(t * MS);
        }
    }

    @Test
    void aKeyFrameAt300kbpsLeavesSpreadAtThePacingRate() {
        // 300 kbit/s -> 750 kbit/s pacing = 93,750 B/s; the bucket holds 40 ms = 3,750 B.
        Pacer pacer = new Pacer(wire, null, 300_000);
        assertThat(pacer.rateBps()).isEqualTo(750_000);
        for (int i = 0; i < 30; i++) { // a 36 KB key frame arrives at once
            send(pacer, "k" + i, 1200, PacketClass.VIDEO, 0);
        }
        tick(pacer, 5, 400);
        // ms each packet left: the bucket's 3,750 B at once (the 4th overdraws it), then one 1,200 B packet per
        // 12.8 ms (1,200 / 93,750 s) on the 5 ms ticks.
        assertThat(wire.times).containsExactly(
                0L, 0L, 0L, 0L, 15L, 25L, 40L, 50L, 65L, 80L,
                90L, 105L, 115L, 130L, 140L, 155L, 165L, 180L, 195L, 205L,
                220L, 230L, 245L, 255L, 270L, 285L, 295L, 310L, 320L, 335L);
        assertThat(wire.out).as("in order").containsExactly(java.util.stream.IntStream.range(0, 30)
                .mapToObj(i -> "k" + i).toArray(String[]::new));
        assertThat(pacer.sentImmediately(PacketClass.VIDEO)).isEqualTo(4);
        assertThat(pacer.sentPaced(PacketClass.VIDEO)).isEqualTo(26);
        assertThat(pacer.hasQueued()).isFalse();
        assertThat(wire.drops).isEmpty();
    }

    @Test
    void underBudgetPacketsLeaveAtOnce() {
        // 1 Mbit/s of media (a 1,200 B packet every 10 ms = 960 kbit/s) to a subscriber estimated at 1 Mbit/s: each
        // packet is out before send() returns, none is ever queued.
        Pacer pacer = new Pacer(wire, null, 1_000_000);
        for (int i = 0; i < 300; i++) {
            send(pacer, "v" + i, 1200, PacketClass.VIDEO, i * 10L);
            assertThat(wire.out).hasSize(i + 1);
            assertThat(wire.times.get(i)).as("left when sent").isEqualTo(i * 10L);
        }
        assertThat(pacer.sentPaced(PacketClass.VIDEO)).isZero();
        assertThat(wire.offsets).as("element offsets passed through").containsOnly(7);
    }

    @Test
    void audioInterleavesAheadOfQueuedVideo() {
        Pacer pacer = new Pacer(wire, null, 300_000);
        for (int i = 0; i < 10; i++) {
            send(pacer, "v" + i, 1200, PacketClass.VIDEO, 0);
        }
        send(pacer, "a0", 100, PacketClass.AUDIO, 2);
        tick(pacer, 5, 20);
        send(pacer, "a1", 100, PacketClass.AUDIO, 22);
        tick(pacer, 25, 200);
        String[][] expected = {
                // name, ms it left
                {"v0", "0"}, {"v1", "0"}, {"v2", "0"}, {"v3", "0"},
                {"a0", "2"},   // audio passes the 6 queued video packets at once
                {"v4", "15"},
                {"a1", "22"},  // and again
                // Audio's 200 bytes came out of the video's budget: v5.. leave later than in the key-frame table
                // above (25, 40, 50, 65, 80).
                {"v5", "30"}, {"v6", "40"}, {"v7", "55"}, {"v8", "65"}, {"v9", "80"},
        };
        assertLeft(expected);
        assertThat(pacer.sentImmediately(PacketClass.AUDIO)).isEqualTo(2);
    }

    @Test
    void retransmissionsGoAheadOfNewVideoAndPaddingFillsTheGaps() {
        Pacer pacer = new Pacer(wire, null, 300_000);
        for (int i = 0; i < 8; i++) {
            send(pacer, "v" + i, 1200, PacketClass.VIDEO, 0);
        }
        send(pacer, "p0", 255, PacketClass.PADDING, 1);
        send(pacer, "r0", 1200, PacketClass.RETRANSMISSION, 1);
        send(pacer, "r1", 1200, PacketClass.RETRANSMISSION, 1);
        tick(pacer, 5, 200);
        String[][] expected = {
                {"v0", "0"}, {"v1", "0"}, {"v2", "0"}, {"v3", "0"},
                {"r0", "15"}, {"r1", "25"},   // NACK answers first
                {"v4", "40"}, {"v5", "50"}, {"v6", "65"}, {"v7", "80"},
                {"p0", "90"},                 // the probe padding only once media is out
        };
        assertLeft(expected);
        assertThat(pacer.sentPaced(PacketClass.RETRANSMISSION)).isEqualTo(2);
        assertThat(pacer.sentPaced(PacketClass.PADDING)).isEqualTo(1);
    }

    @Test
    void aFullVideoQueueSendsItsOldestEarlyAndPaddingDropsTheNewOne() {
        Pacer pacer = new Pacer(wire, null, 100_000);
        // At 100 kbit/s the bucket holds 1,250 B: two packets leave at once (the second overdraws it), the queue
        // takes the next 512, and 3 more overflow.
        int sent = 2 + Pacer.VIDEO_CAPACITY + 3;
        for (int i = 0; i < sent; i++) {
            send(pacer, "v" + i, 1200, PacketClass.VIDEO, 0);
        }
        for (int i = 0; i < Pacer.PADDING_CAPACITY + 2; i++) {
            send(pacer, "p" + i, 200, PacketClass.PADDING, 0);
        }
        for (int i = 0; i < 200; i++) { // audio is never queued, never dropped
            send(pacer, "a" + i, 100, PacketClass.AUDIO, 0);
        }
        // v2..v4, the oldest queued, left early to make room: nothing is lost, the order kept.
        assertThat(wire.out.subList(0, 5)).containsExactly("v0", "v1", "v2", "v3", "v4");
        assertThat(wire.out).hasSize(5 + 200).endsWith("a199");
        assertThat(pacer.sentEarly(PacketClass.VIDEO)).isEqualTo(3);
        assertThat(pacer.dropped(PacketClass.VIDEO)).isZero();
        assertThat(pacer.dropped(PacketClass.PADDING)).isEqualTo(2);
        assertThat(pacer.dropped(PacketClass.AUDIO)).isZero();
        assertThat(wire.drops).containsExactly(PacketClass.PADDING, PacketClass.PADDING);
        assertThat(pacer.queuedPackets()).isEqualTo(Pacer.VIDEO_CAPACITY + Pacer.PADDING_CAPACITY);
        wire.out.clear();
        tick(pacer, 5, 1000);
        assertThat(wire.out.get(0)).isEqualTo("v5");
        assertThat(wire.out).as("then the rest of the video, then padding").hasSize(
                Pacer.VIDEO_CAPACITY + Pacer.PADDING_CAPACITY).endsWith("p" + (Pacer.PADDING_CAPACITY - 1));
        pacer.close();
    }

    @Test
    void aStaleLowEstimateCannotQueueForLongerThanHalfASecond() {
        // 100 kbit/s pacing would take 9.6 s for 100 x 1,200 B; the queue's age bound drains it in about 0.5 s.
        Pacer pacer = new Pacer(wire, null, 40_000);
        for (int i = 0; i < 100; i++) {
            send(pacer, "v" + i, 1200, PacketClass.VIDEO, 0);
        }
        tick(pacer, 5, 1000);
        assertThat(pacer.hasQueued()).isFalse();
        assertThat(wire.times.get(wire.times.size() - 1)).isBetween(450L, 510L);
    }

    @Test
    void closeReleasesEverythingQueuedAndLaterPacketsPassThrough() {
        Pacer pacer = new Pacer(wire, null, 100_000);
        List<ByteBuf> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ByteBuf b = packet("v" + i, 1200);
            all.add(b);
            pacer.send(b, -1, i % 3 == 0 ? PacketClass.RETRANSMISSION : i % 3 == 1 ? PacketClass.VIDEO
                    : PacketClass.PADDING, 0);
        }
        int queued = pacer.queuedPackets();
        assertThat(queued).isPositive();
        assertThat(pacer.close()).isEqualTo(queued);
        assertThat(all).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(pacer.hasQueued()).isFalse();
        assertThat(pacer.close()).as("idempotent").isZero();
        int before = wire.out.size();
        send(pacer, "late", 1200, PacketClass.VIDEO, 0);
        assertThat(wire.out).hasSize(before + 1).endsWith("late");
    }

    @Test
    void aLowerEstimateShrinksTheBucketItFilledAtTheHigherRate() {
        // Made before the subscriber negotiated feedback (no limit: a 1.25 MB bucket), then told 300 kbit/s.
        Pacer pacer = new Pacer(wire, null, 100_000_000);
        pacer.setEstimate(300_000);
        for (int i = 0; i < 10; i++) {
            send(pacer, "v" + i, 1200, PacketClass.VIDEO, 0);
        }
        assertThat(wire.out).as("the 3,750 B bucket of 300 kbit/s, not 1.25 MB").hasSize(4);
        pacer.close();
    }

    @Test
    void theRateFollowsTheEstimate() {
        Pacer pacer = new Pacer(wire, null, 300_000);
        pacer.setEstimate(2_000_000);
        assertThat(pacer.rateBps()).isEqualTo(5_000_000);
        pacer.setEstimate(0);
        assertThat(pacer.rateBps()).as("never zero").isEqualTo(8);
    }

    private void assertLeft(String[][] expected) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < wire.out.size(); i++) {
            rows.add(wire.out.get(i) + "@" + wire.times.get(i));
        }
        assertThat(rows).containsExactly(java.util.Arrays.stream(expected).map(r -> r[0] + "@" + r[1])
                .toArray(String[]::new));
    }
}
