package dev.prism.rtp.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitrateAllocatorTest {
    /** A Chrome-like 3-layer camera, L1T3 per layer: cumulative kbit/s per temporal layer. */
    private static final long[][] CAMERA = {
            {60_000, 90_000, 150_000, 0},
            {200_000, 300_000, 500_000, 0},
            {700_000, 1_000_000, 1_700_000, 0}};
    private static final int[] HEIGHTS = {180, 360, 720};
    private static final long[][] SCREEN = {{300_000, 0, 0, 0}, {1_200_000, 0, 0, 0}};

    private final FakeClock clock = new FakeClock();
    private final BitrateAllocator allocator = new BitrateAllocator(clock, BitrateAllocator.Config.DEFAULT);

    private static Subscription camera(String id, Priority p) {
        return new Subscription(id, MediaKind.VIDEO, p, Preferences.DEFAULT, CAMERA, HEIGHTS);
    }

    @Test
    void audioComesFirstAndVideoPausesWhenNothingFits() {
        Allocation a = allocator.allocate(100_000, List.of(
                Subscription.audio("mic", 40_000, false), camera("cam", Priority.NORMAL)));
        assertThat(a.assignments()).hasToString("[mic=s0t0@40000(optimal), cam=none@0(paused_no_bandwidth)]");
        assertThat(a.allocatedBps()).isEqualTo(40_000);
        assertThat(a.desiredBps()).isEqualTo(1_740_000);
        assertThat(a.limitedByBandwidth()).isTrue();
    }

    @Test
    void audioIsServedEvenBeyondTheEstimate() {
        Allocation a = allocator.allocate(30_000, List.of(Subscription.audio("mic", 40_000, false)));
        assertThat(a.get("mic").forwarding()).isTrue();
    }

    @Test
    void everyoneGetsTheLowestLayerBeforeAnyoneStepsUp() {
        // 700k: three cameras at s0t0 (180k), then one step each per round: s0t1, s0t2, s1t0 (600k in all);
        // the next step (s1t1, +100k with 45k headroom) fits nobody.
        Allocation a = allocator.allocate(700_000, List.of(
                camera("a", Priority.NORMAL), camera("b", Priority.NORMAL), camera("c", Priority.NORMAL)));
        assertThat(a.assignments()).hasToString(
                "[a=s1t0@200000(limited), b=s1t0@200000(limited), c=s1t0@200000(limited)]");
        assertThat(a.allocatedBps()).isEqualTo(600_000);
    }

    @Test
    void screenShareThenSpeakerThenTheRest() {
        Allocation a = allocator.allocate(1_800_000, List.of(
                camera("cam", Priority.NORMAL), camera("speaker", Priority.ACTIVE_SPEAKER),
                new Subscription("screen", MediaKind.VIDEO, Priority.SCREEN_SHARE, Preferences.DEFAULT, SCREEN, null)));
        // Base layers: 60k + 60k + 300k. The screen share then reaches its top (+900k, with 15% headroom of 1.2M),
        // the speaker climbs with the remaining 480k to s1t1 (240k used; s1t2 would need +200k and 75k headroom),
        // and what the speaker cannot use goes to the normal camera: 140k of the 180k left, up to s1t0.
        assertThat(a.get("screen")).hasToString("screen=s1t0@1200000(optimal)");
        assertThat(a.get("speaker")).hasToString("speaker=s1t1@300000(limited)");
        assertThat(a.get("cam")).hasToString("cam=s1t0@200000(limited)");
        assertThat(a.allocatedBps()).isEqualTo(1_700_000);
    }

    @Test
    void preferencesLimitAndPause() {
        Allocation a = allocator.allocate(10_000_000, List.of(
                new Subscription("small", MediaKind.VIDEO, Priority.NORMAL, new Preferences(360, 1, false), CAMERA,
                        HEIGHTS),
                new Subscription("tiny", MediaKind.VIDEO, Priority.NORMAL, new Preferences(90, 3, false), CAMERA,
                        HEIGHTS),
                new Subscription("hidden", MediaKind.VIDEO, Priority.NORMAL, new Preferences(0, 3, true), CAMERA,
                        HEIGHTS),
                Subscription.audio("muted", 40_000, true)));
        assertThat(a.assignments()).hasToString("[small=s1t1@300000(optimal), tiny=s0t2@150000(optimal), "
                + "hidden=none@0(paused_by_subscriber), muted=none@0(paused_by_subscriber)]");
        assertThat(a.desiredBps()).isEqualTo(450_000);
        assertThat(a.limitedByBandwidth()).isFalse();
    }

    @Test
    void aLayerThatDisappearedIsNotAssigned() {
        long[][] noTop = {CAMERA[0], CAMERA[1], {0, 0, 0, 0}};
        commit(5_000_000, camera("cam", Priority.NORMAL));
        assertThat(allocator.committedLayer("cam")).containsExactly(2, 2);
        Allocation a = allocator.allocate(5_000_000, List.of(
                new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, Preferences.DEFAULT, noTop, HEIGHTS)));
        assertThat(a.get("cam")).hasToString("cam=s1t2@500000(optimal)");
    }

    @Test
    void unmeasuredTracksForwardTheLowestLayerOnTrust() {
        Allocation a = allocator.allocate(1_000_000, List.of(
                Subscription.video("new", Priority.NORMAL, Preferences.DEFAULT, new long[3][4])));
        assertThat(a.get("new")).hasToString("new=s0t3@0(unmeasured)");
    }

    @Test
    void estimateDropsAreFollowedAtOnce() {
        commit(2_000_000, camera("cam", Priority.NORMAL));
        assertThat(allocator.committedLayer("cam")).containsExactly(2, 2);
        Allocation a = commit(600_000, camera("cam", Priority.NORMAL));
        assertThat(a.get("cam")).hasToString("cam=s1t2@500000(limited)");
    }

    /**
     * The estimate hovers around the price of the top layer (1.7M); without hysteresis the layer would flip every
     * round. Rounds every 500 ms.
     */
    @Test
    void hysteresisPreventsOscillation() {
        long[] estimates = {2_100_000, 1_650_000, 1_750_000, 1_650_000, 1_750_000, 1_800_000, 1_650_000,
                1_900_000, 1_950_000, 1_950_000, 1_950_000, 1_950_000, 1_950_000, 1_950_000};
        List<String> layers = new ArrayList<>();
        for (long e : estimates) {
            layers.add(layer(commit(e, camera("cam", Priority.NORMAL)).get("cam")));
            clock.advanceMillis(500);
        }
        assertThat(layers).containsExactly(
                "s2t2",                    // 2.1M: top layer (needs 1.7M x 1.15 = 1.955M)
                "s2t1",                    // 1.65M: down at once
                "s2t1", "s2t1", "s2t1",    // 1.75M keeps s2t1: going back up needs 1.955M anyway
                "s2t1", "s2t1",
                "s2t1", "s2t1",            // 1.9M, 1.95M: not enough headroom
                "s2t1", "s2t1", "s2t1", "s2t1", "s2t1");
        assertThat(layers.stream().distinct().count()).isEqualTo(2);
    }

    @Test
    void upgradeWaitsOutTheHoldAfterADowngrade() {
        commit(3_000_000, camera("cam", Priority.NORMAL));
        commit(900_000, camera("cam", Priority.NORMAL));                   // down to s2t0 (700k fits, 1M does not)
        assertThat(allocator.committedLayer("cam")).containsExactly(2, 0);
        clock.advanceMillis(2_999);
        assertThat(layer(commit(3_000_000, camera("cam", Priority.NORMAL)).get("cam"))).isEqualTo("s2t0");
        clock.advanceMillis(1);
        assertThat(layer(commit(3_000_000, camera("cam", Priority.NORMAL)).get("cam"))).isEqualTo("s2t2");
    }

    @Test
    void aPausedTrackIsNotResumedDuringTheHold() {
        commit(1_000_000, camera("cam", Priority.NORMAL));
        assertThat(commit(50_000, camera("cam", Priority.NORMAL)).get("cam").forwarding()).isFalse();
        clock.advanceMillis(1_000);
        assertThat(commit(1_000_000, camera("cam", Priority.NORMAL)).get("cam").forwarding()).isFalse();
        clock.advanceMillis(2_000);
        assertThat(commit(1_000_000, camera("cam", Priority.NORMAL)).get("cam").forwarding()).isTrue();
    }

    @Test
    void provisionalAllocationsDoNotMoveTheState() {
        commit(2_000_000, camera("cam", Priority.NORMAL));
        allocator.allocate(100_000, List.of(camera("cam", Priority.NORMAL)));   // looked at, not applied
        assertThat(allocator.committedLayer("cam")).containsExactly(2, 2);
        clock.advanceMillis(10);
        // No downgrade was committed, so no hold: the top layer is still kept at its exact price.
        assertThat(layer(allocator.allocate(1_700_000, List.of(camera("cam", Priority.NORMAL))).get("cam")))
                .isEqualTo("s2t2");
    }

    @Test
    void commitForgetsEndedSubscriptions() {
        commit(2_000_000, camera("a", Priority.NORMAL), camera("b", Priority.NORMAL));
        commit(2_000_000, camera("a", Priority.NORMAL));
        assertThat(allocator.committedLayer("b")).isNull();
        allocator.forget("a");
        assertThat(allocator.committedLayer("a")).isNull();
    }

    private Allocation commit(long estimate, Subscription... subs) {
        Allocation a = allocator.allocate(estimate, List.of(subs));
        allocator.commit(a);
        return a;
    }

    private static String layer(Assignment a) {
        return a.spatial() < 0 ? "none" : "s" + a.spatial() + "t" + a.temporal();
    }
}
