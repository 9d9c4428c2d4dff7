package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.alloc.Allocation;
import dev.prism.rtp.alloc.BitrateAllocator;
import dev.prism.rtp.alloc.Preferences;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.alloc.Subscription;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A declared screen is served before cameras by the allocator; the other sources start as normal. */
class TrackPriorityTest {
    /** The camera the SDK sends: three layers, L1T3, cumulative bit/s per temporal layer. */
    private static final long[][] CAMERA = {
            {60_000, 90_000, 150_000, 0}, {200_000, 300_000, 500_000, 0}, {700_000, 1_000_000, 1_700_000, 0}};
    /** The SDK's simulcast screen: a half-resolution layer and the full one, one temporal layer each. */
    private static final long[][] SCREEN = {{300_000, 0, 0, 0}, {1_200_000, 0, 0, 0}};

    @Test
    void eachSourceHasItsStartingPriority() {
        assertThat(TrackPriority.of(TrackSource.SCREEN)).isEqualTo(Priority.SCREEN_SHARE);
        assertThat(TrackPriority.of(TrackSource.CAMERA)).isEqualTo(Priority.NORMAL);
        assertThat(TrackPriority.of(TrackSource.MICROPHONE)).isEqualTo(Priority.NORMAL);
        assertThat(TrackPriority.of(TrackSource.SCREEN_AUDIO)).isEqualTo(Priority.NORMAL);
        assertThat(TrackPriority.of(TrackSource.UNKNOWN)).isEqualTo(Priority.NORMAL);
    }

    @Test
    void theScreenReachesItsFullResolutionBeforeTwoCamerasStepUp() {
        // 1.5 Mbit/s: base layers 60k + 60k + 300k; the screen then takes its top layer (+900k, 15% headroom of
        // 1.2M), the cameras share what is left. Declared as cameras, the same three would step up in turns and
        // the screen's full layer would not fit.
        Allocation declared = allocate(TrackSource.SCREEN);
        assertThat(declared.get("screen")).hasToString("screen=s1t0@1200000(optimal)");
        assertThat(declared.get("alice").spatial()).isZero();
        assertThat(declared.get("bob").spatial()).isZero();

        Allocation undeclared = allocate(TrackSource.CAMERA);
        assertThat(undeclared.get("screen").spatial()).isZero();
        assertThat(undeclared.get("alice").spatial()).isEqualTo(1);
    }

    private static Allocation allocate(TrackSource screenSource) {
        BitrateAllocator allocator = new BitrateAllocator(new FakeClock(), BitrateAllocator.Config.DEFAULT);
        return allocator.allocate(1_500_000, List.of(
                camera("alice"), camera("bob"),
                new Subscription("screen", MediaKind.VIDEO, TrackPriority.of(screenSource), Preferences.DEFAULT,
                        SCREEN, new int[] {540, 1080})));
    }

    private static Subscription camera(String id) {
        return new Subscription(id, MediaKind.VIDEO, TrackPriority.of(TrackSource.CAMERA), Preferences.DEFAULT,
                CAMERA, new int[] {180, 360, 720});
    }
}
