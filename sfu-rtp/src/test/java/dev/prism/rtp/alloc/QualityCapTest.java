package dev.prism.rtp.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.rtp.MediaKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A token's quality cap is a ceiling the allocator honours whatever the subscriber's preferences ask. */
class QualityCapTest {
    /** A Chrome-like 3-layer camera, L1T3 per layer: cumulative bit/s per temporal layer. */
    private static final long[][] CAMERA = {
            {60_000, 90_000, 150_000, 0},
            {200_000, 300_000, 500_000, 0},
            {700_000, 1_000_000, 1_700_000, 0}};
    private static final int[] HEIGHTS = {180, 360, 720};
    /** Far more than the whole camera: only preferences and caps limit the layer. */
    private static final long PLENTY = 20_000_000;

    private final FakeClock clock = new FakeClock();

    private String layerFor(QualityCap cap, Preferences asked) {
        BitrateAllocator allocator = new BitrateAllocator(clock, BitrateAllocator.Config.DEFAULT);
        Subscription cam = new Subscription("cam", MediaKind.VIDEO, Priority.NORMAL, cap.apply(asked), CAMERA,
                HEIGHTS);
        return allocator.allocate(PLENTY, List.of(cam)).get("cam").toString();
    }

    @Test
    void capsAsTable() {
        Object[][] rows = {
                // cap, preferences asked, layer chosen
                {QualityCap.NONE, Preferences.DEFAULT, "cam=s2t2@1700000(optimal)"},
                {new QualityCap(360, 0), Preferences.DEFAULT, "cam=s1t2@500000(optimal)"},
                // the subscriber asking for more than its cap does not get it
                {new QualityCap(360, 0), new Preferences(720, 3, false), "cam=s1t2@500000(optimal)"},
                {new QualityCap(360, 0), new Preferences(100_000, 3, false), "cam=s1t2@500000(optimal)"},
                // asking for less than the cap still works
                {new QualityCap(360, 0), new Preferences(180, 3, false), "cam=s0t2@150000(optimal)"},
                {new QualityCap(360, 0), new Preferences(0, 1, false), "cam=s1t1@300000(optimal)"},
                // bitrate: the best layer measured at or below it
                {new QualityCap(0, 600_000), Preferences.DEFAULT, "cam=s1t2@500000(optimal)"},
                {new QualityCap(0, 1_000_000), Preferences.DEFAULT, "cam=s2t1@1000000(optimal)"},
                {new QualityCap(720, 250_000), Preferences.DEFAULT, "cam=s1t0@200000(optimal)"},
                // a cap below the lowest layer still gets the smallest picture (nothing smaller exists)
                {new QualityCap(0, 10_000), Preferences.DEFAULT, "cam=s0t0@60000(optimal)"},
                {new QualityCap(90, 0), Preferences.DEFAULT, "cam=s0t2@150000(optimal)"},
        };
        for (Object[] r : rows) {
            assertThat(layerFor((QualityCap) r[0], (Preferences) r[1])).as("%s with %s", r[0], r[1])
                    .isEqualTo(r[2]);
        }
    }

    @Test
    void aHeightCapHoldsBeforeTheLayersSizesAreKnown() {
        Preferences capped = new QualityCap(360, 0).apply(Preferences.DEFAULT);
        BitrateAllocator allocator = new BitrateAllocator(clock, BitrateAllocator.Config.DEFAULT);
        // no key frame seen yet: the lowest layer, not the top one
        assertThat(allocator.allocate(PLENTY, List.of(new Subscription("a", MediaKind.VIDEO, Priority.NORMAL,
                capped, CAMERA, new int[] {0, 0, 0}))).get("a").toString()).startsWith("a=s0t2");
        // the top layer's size still unknown: at most the known one that fits
        assertThat(allocator.allocate(PLENTY, List.of(new Subscription("b", MediaKind.VIDEO, Priority.NORMAL,
                capped, CAMERA, new int[] {180, 360, 0}))).get("b").toString()).startsWith("b=s1t2");
        // without a height limit, unknown sizes change nothing
        assertThat(allocator.allocate(PLENTY, List.of(new Subscription("c", MediaKind.VIDEO, Priority.NORMAL,
                Preferences.DEFAULT, CAMERA, new int[] {0, 0, 0}))).get("c").toString()).startsWith("c=s2t2");
    }

    @Test
    void pausedStaysPausedUnderACap() {
        Preferences p = new QualityCap(360, 300_000).apply(new Preferences(0, 3, true));
        assertThat(p).isEqualTo(new Preferences(0, 3, true, 300_000, 360));
    }

    @Test
    void theTighterOfTwoCapsWins() {
        assertThat(new QualityCap(360, 0).and(new QualityCap(720, 500_000))).isEqualTo(new QualityCap(360, 500_000));
        assertThat(QualityCap.NONE.and(new QualityCap(180, 0))).isEqualTo(new QualityCap(180, 0));
        assertThat(QualityCap.NONE.and(QualityCap.NONE).isLimited()).isFalse();
        assertThat(QualityCap.NONE.apply(null)).isEqualTo(Preferences.DEFAULT);
    }
}
