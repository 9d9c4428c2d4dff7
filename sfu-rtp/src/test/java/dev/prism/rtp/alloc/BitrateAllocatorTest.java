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
    void aHigherResolutionIsNotBoughtWithAStutteringFrameRate() {
        // A 15 fps camera, L1T3: temporal layers at 3.75, 7.5 and 15 fps. With a 10 fps floor for upgrades the
        // ladder is s0t0, s0t1, s0t2, s1t2, s2t2: the finer steps stay on the lowest layer.
        double[][] fps = {{3.75, 7.5, 15, 15}, {3.75, 7.5, 15, 15}, {3.75, 7.5, 15, 15}};
        BitrateAllocator smooth = new BitrateAllocator(clock, new BitrateAllocator.Config(1.15, 3_000, 10));
        Subscription cam = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, Preferences.DEFAULT, CAMERA,
                HEIGHTS, fps);
        // estimate -> layer: between s0t2 (150k) and s1t2 (500k x 1.15) the lowest layer stays at full rate, where
        // the plain ladder would take 360p at 7.5 fps (s1t1, 300k).
        long[][] rows = {
                {80_000, 0, 0},
                {120_000, 0, 1},
                {400_000, 0, 2},
                {575_000, 1, 2},
                {1_500_000, 1, 2},
                {1_955_000, 2, 2}};
        for (long[] row : rows) {
            Assignment a = smooth.allocate(row[0], List.of(cam)).get("cam");
            assertThat(new int[] {a.spatial(), a.temporal()}).as("estimate %d", row[0])
                    .containsExactly((int) row[1], (int) row[2]);
        }
        assertThat(allocator.allocate(400_000, List.of(cam)).get("cam")).as("without the floor")
                .hasToString("cam=s1t1@300000(limited)");
        // A preference for fewer temporal layers is honoured whatever the frame rate.
        Subscription slow = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, new Preferences(0, 1, false),
                CAMERA, HEIGHTS, fps);
        assertThat(smooth.allocate(10_000_000, List.of(slow)).get("cam")).hasToString("cam=s2t1@1000000(optimal)");
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
     * A key frame on every layer (the publisher answered another subscriber's switch) raises each layer's price by
     * about 30 % in the 1 s window while this subscriber's estimate stays where it was: the committed top layer is
     * kept. Once the estimate falls, the same price switches down at once.
     */
    @Test
    void aKeyFrameBurstAtAnUnchangedEstimateDoesNotSwitchDown() {
        long[][] burst = {{80_000, 120_000, 200_000, 0}, {260_000, 390_000, 650_000, 0},
                {910_000, 1_300_000, 2_210_000, 0}};
        Subscription steady = camera("cam", Priority.NORMAL);
        Subscription keyframe = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, Preferences.DEFAULT, burst,
                HEIGHTS);
        assertThat(commit(2_000_000, steady).get("cam")).hasToString("cam=s2t2@1700000(optimal)");
        clock.advanceMillis(100);
        assertThat(layer(commit(2_000_000, keyframe).get("cam"))).isEqualTo("s2t2"); // before: down to s2t1
        clock.advanceMillis(100);
        assertThat(layer(commit(2_050_000, keyframe).get("cam"))).isEqualTo("s2t2"); // a rising estimate too
        clock.advanceMillis(100);
        assertThat(layer(commit(1_900_000, keyframe).get("cam"))).isEqualTo("s2t1"); // the estimate fell: priced in full
        clock.advanceMillis(100);
        assertThat(layer(commit(1_900_000, keyframe).get("cam"))).isEqualTo("s2t1"); // not back up: an upgrade
    }

    /**
     * A price far above an unchanged estimate is not kept: the share is a tolerance for bursts, not a blank cheque.
     */
    @Test
    void aPriceFarAboveAnUnchangedEstimateSwitchesDown() {
        long[][] doubled = {{120_000, 180_000, 300_000, 0}, {400_000, 600_000, 1_000_000, 0},
                {1_400_000, 2_000_000, 3_400_000, 0}};
        commit(2_000_000, camera("cam", Priority.NORMAL));
        Allocation a = commit(2_000_000, new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, Preferences.DEFAULT,
                doubled, HEIGHTS));
        assertThat(layer(a.get("cam"))).isEqualTo("s2t1");
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

    /**
     * A path just wide enough for s1 on paper: every probe lifts the estimate to ~460k, s1t2 (500k... here a 300k
     * layer) is taken, congestion follows and forces it down again. With the failed-upgrade memory the second attempt
     * waits for an estimate 25% above the one that failed; a path that really widened is used at once. Rounds every
     * 500 ms; the estimate column is what the estimator says at each round.
     */
    @Test
    void anUpgradeThatFailedIsRetriedOnlyAtAClearlyHigherEstimate() {
        BitrateAllocator damped = new BitrateAllocator(clock, new BitrateAllocator.Config(1.15, 3_000, 0,
                new BitrateAllocator.FailedUpgrades(5_000, 60_000, 1.25)));
        long[][] layers = {{150_000, 0, 0, 0}, {300_000, 0, 0, 0}, {1_200_000, 0, 0, 0}};
        Subscription cam = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, Preferences.DEFAULT, layers,
                HEIGHTS);
        long[] estimates = {
                200_000,                   // s0
                460_000,                   // s1 (300k x 1.15 = 345k) fits: up to s1
                280_000,                   // congestion: down to s0, and s1 was only just taken: a failed upgrade
                300_000, 300_000, 300_000, 300_000, 300_000, 300_000,
                460_000, 460_000,          // the same probe result as before, past the 3 s hold: not enough now
                580_000,                   // 1.25 x 460k: tried again
                280_000,                   // failed again (at 580k)
                300_000, 300_000, 300_000, 300_000, 300_000, 300_000, 300_000,
                700_000,                   // 700k < 1.25 x 580k: still held
                1_000_000};                // the path clearly widened: s1 at once (s2 would need 1.38M)
        List<String> got = new ArrayList<>();
        for (long e : estimates) {
            Allocation a = damped.allocate(e, List.of(cam));
            damped.commit(a);
            got.add(layer(a.get("cam")));
            clock.advanceMillis(500);
        }
        assertThat(got).containsExactly("s0t0", "s1t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0",
                "s0t0", "s0t0", "s1t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0", "s0t0",
                "s1t0");
        // Failed at an estimate above everything desired (a start estimate, say): the desired rate is enough.
        BitrateAllocator early = new BitrateAllocator(clock, new BitrateAllocator.Config(1.15, 3_000, 0,
                new BitrateAllocator.FailedUpgrades(5_000, 60_000, 1.25)));
        for (long e : new long[] {200_000, 1_000_000, 280_000}) {
            early.commit(early.allocate(e, List.of(cam)));
            clock.advanceMillis(500);
        }
        clock.advanceMillis(3_000);
        assertThat(early.allocate(1_100_000, List.of(cam)).get("cam").spatial()).as("below the desired 1.2M")
                .isEqualTo(0);
        assertThat(early.allocate(1_200_000, List.of(cam)).get("cam").spatial()).as("the desired rate, not 1.25M")
                .isEqualTo(1);
        // Without the memory the same estimates flap on every probe.
        BitrateAllocator plain = new BitrateAllocator(new FakeClock(), BitrateAllocator.Config.DEFAULT);
        assertThat(plain.allocate(460_000, List.of(cam)).get("cam").spatial()).isEqualTo(1);
    }

    @Test
    void aSubscriberAskingForLessCanAskForMoreAgainAtOnce() {
        commit(3_000_000, camera("cam", Priority.NORMAL));
        Subscription small = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, new Preferences(360, 3, false),
                CAMERA, HEIGHTS);
        assertThat(layer(commit(3_000_000, small).get("cam"))).isEqualTo("s1t2");        // a smaller tile
        clock.advanceMillis(500);
        assertThat(layer(commit(3_000_000, camera("cam", Priority.NORMAL)).get("cam"))).as("no hold").isEqualTo("s2t2");
        Subscription hidden = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, new Preferences(0, 3, true),
                CAMERA, HEIGHTS);
        assertThat(commit(3_000_000, hidden).get("cam").forwarding()).isFalse();
        clock.advanceMillis(500);
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
