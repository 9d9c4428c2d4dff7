package dev.prism.rtp.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.testutil.Allocations;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The allocator's working state kept between rounds (reused ladders and priority order, committed state updated in
 * place) changes no result, and a commit of known subscriptions allocates nothing.
 */
class BitrateAllocatorReuseTest {
    private static final long[][] CAMERA = {
            {60_000, 90_000, 150_000, 0},
            {200_000, 300_000, 500_000, 0},
            {700_000, 1_000_000, 1_700_000, 0}};
    private static final long[][] TWO_LAYERS = {{300_000, 0, 0, 0}, {1_200_000, 0, 0, 0}};
    private static final long[][] ONE_LAYER = {{400_000, 500_000, 0, 0}};

    private final FakeClock clock = new FakeClock();

    @Test
    void roundsOnOneAllocatorMatchFreshAllocatorsWhateverTheLadderSizesBefore() {
        // Headroom 1, no hold, a kept layer at its full price: nothing committed changes a result, so a fresh
        // allocator is the reference.
        BitrateAllocator.Config stateless = new BitrateAllocator.Config(1.0, 0, 0, null, 1.0);
        BitrateAllocator reused = new BitrateAllocator(clock, stateless);
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<Subscription> subs = randomSubscriptions(random);
            long estimate = 50_000 + random.nextInt(4_000_000);
            Allocation expected = new BitrateAllocator(clock, stateless).allocate(estimate, subs);
            Allocation actual = reused.allocate(estimate, subs);
            assertThat(actual).as("round %d: %s at %d", round, subs, estimate).isEqualTo(expected);
            reused.commit(actual);
            clock.advanceMillis(100);
        }
    }

    @Test
    void aSubscriptionAbsentFromACommitIsForgottenAndStartsAfreshWhenBack() {
        BitrateAllocator allocator = new BitrateAllocator(clock, BitrateAllocator.Config.DEFAULT);
        List<Subscription> both = List.of(camera("a"), camera("b"));
        allocator.commit(allocator.allocate(3_000_000, both));
        assertThat(allocator.committedLayer("a")).isNotNull();
        allocator.commit(allocator.allocate(3_000_000, List.of(camera("b"))));
        assertThat(allocator.committedLayer("a")).as("absent: forgotten").isNull();
        assertThat(allocator.committedLayer("b")).isNotNull();
        allocator.forget("b");
        assertThat(allocator.committedLayer("b")).isNull();
        allocator.commit(allocator.allocate(3_000_000, both));
        assertThat(allocator.committedLayer("a")).isNotNull();
        assertThat(allocator.committedLayer("b")).isNotNull();
    }

    @Test
    void committingKnownSubscriptionsAllocatesNothing() {
        BitrateAllocator allocator = new BitrateAllocator(clock, BitrateAllocator.Config.DEFAULT);
        List<Subscription> subs = List.of(Subscription.audio("mic", 40_000, false), camera("a"), camera("b"));
        Allocation high = allocator.allocate(3_000_000, subs);
        Allocation low = allocator.allocate(400_000, subs);
        boolean[] flip = {false};
        double bytes = Allocations.bytesPerRun(20_000, () -> {
            allocator.commit(flip[0] ? high : low); // downgrades and upgrades in turn: every field is written
            flip[0] = !flip[0];
        });
        assertThat(bytes).isLessThan(1);
    }

    private static Subscription camera(String id) {
        return new Subscription(id, MediaKind.VIDEO, Priority.NORMAL, Preferences.DEFAULT, CAMERA,
                new int[] {180, 360, 720});
    }

    private static List<Subscription> randomSubscriptions(Random random) {
        List<Subscription> subs = new ArrayList<>();
        int n = random.nextInt(7);
        for (int i = 0; i < n; i++) {
            String id = "t" + random.nextInt(5);
            if (subs.stream().anyMatch(s -> s.id().equals(id))) {
                continue;
            }
            Priority p = Priority.values()[random.nextInt(Priority.values().length)];
            Preferences prefs = new Preferences(random.nextBoolean() ? 0 : 360, random.nextInt(4),
                    random.nextInt(10) == 0);
            subs.add(switch (random.nextInt(4)) {
                case 0 -> Subscription.audio(id, 20_000 + random.nextInt(40_000), prefs.paused());
                case 1 -> new Subscription(id, MediaKind.VIDEO, p, prefs, CAMERA, new int[] {180, 360, 720});
                case 2 -> new Subscription(id, MediaKind.VIDEO, p, prefs, TWO_LAYERS, null);
                default -> new Subscription(id, MediaKind.VIDEO, p, prefs, ONE_LAYER, null);
            });
        }
        return subs;
    }
}
