package dev.prism.rtp.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.testutil.Allocations;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario tables for {@link LayerSelector} (3 spatial layers, retry 1000 ms, layer gone after 2000 ms of silence).
 *
 * <p>Steps:
 * <ul>
 *   <li>{@code "S FLAGS => DECISION"} a packet on spatial layer S; FLAGS are {@code key} (key frame start),
 *       {@code start} (frame start), {@code cont} (continuation), {@code t0..t3}, {@code sync}, {@code pad}, {@code bad};
 *       DECISION as {@link LayerDecision#toString()}, e.g. {@code switch}, {@code drop(other_layer)+pli}</li>
 *   <li>{@code "target S T"}; {@code "wait MS"}; {@code "current S/T"} checks the forwarded layer.</li>
 *   <li>{@code "repeat N S FLAGS => DECISION"} the same packet N times, 1 ms apart.</li>
 *   <li>{@code "subpli => L"} the subscriber asks for a key frame: the layer to ask the publisher for, -1 none.</li>
 * </ul>
 */
class LayerSelectorTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("first packets of all layers are key frames: climb without a PLI", new String[] {
                        "target 2 3",
                        "0 key t0 => switch",          // only layer 0 seen yet: wanted falls back to it
                        "0 cont t0 => forward",
                        "1 key t0 => switch",          // layer 1 appears: a step up
                        "2 key t0 => switch",
                        "0 start t0 => drop(other_layer)",
                        "2 cont t0 => forward",
                        "current 2/3"}),
                Arguments.of("join mid-stream: wait for a key frame, one PLI only", new String[] {
                        "target 0 3",
                        "0 start t0 => drop(waiting_for_keyframe)+pli",
                        "1 start t0 => drop(other_layer)",
                        "repeat 200 0 cont t0 => drop(waiting_for_keyframe)", // no PLI storm
                        "0 key t0 => switch",
                        "0 cont t0 => forward"}),
                Arguments.of("key frame arrives late: current layer keeps flowing, retry after the timeout", new String[] {
                        "0 key t0 => switch", "1 key t0 => switch",     // target defaults to the top layer (2)
                        "current 1/3",
                        "2 start t0 => drop(waiting_for_keyframe)+pli", // layer 2 appears: switch wanted
                        "1 start t0 => forward",                        // no freeze while waiting
                        "wait 999",
                        "2 start t1 => drop(waiting_for_keyframe)",
                        "1 start t0 => forward",
                        "wait 1",
                        "2 start t0 => drop(waiting_for_keyframe)+pli", // retry: the key frame or the PLI was lost
                        "wait 500",
                        "1 start t0 => forward",
                        "2 key t0 => switch",
                        "1 start t0 => drop(other_layer)",
                        "wait 5000", "2 start t0 => forward"}),           // answered: no more requests
                Arguments.of("switch down waits for the lower key frame; the current layer is thinned to its base",
                        new String[] {
                        "target 2 3", "0 key t0 => switch", "1 key t0 => switch", "2 key t0 => switch",
                        "target 0 1",
                        "2 cont t0 => forward+pli",                     // the current frame completes
                        "2 start t2 => skip(temporal_layer_filtered)",
                        "2 cont t2 => skip(temporal_layer_filtered)",
                        "2 start t1 => skip(temporal_layer_filtered)",  // above the wanted layer: base only
                        "2 start t0 => forward",
                        "1 key t0 => switch",                           // on the way down: taken
                        "current 1/0",
                        "0 key t0 => switch",
                        "current 0/1",                                  // arrived: the target's temporal limit
                        "1 start t0 => drop(other_layer)"}),
                Arguments.of("issue 14: a link drop from 720p to 180p: the old layer flows until the target's key "
                        + "frame, one PLI for the switch however often the subscriber asks", new String[] {
                        "target 2 3", "0 key t0 => switch", "1 key t0 => switch", "2 key t0 => switch",
                        "subpli => 2",                                  // nothing pending: the forwarded layer
                        "target 0 3",                                   // the estimate fell
                        "2 start t0 => forward+pli",                    // asked once, for layer 0
                        "wait 100",
                        "subpli => -1",                                 // the subscriber's decoder broke meanwhile
                        "2 cont t0 => forward",
                        "repeat 300 2 start t0 => forward",             // 300 more packets: no more PLIs
                        "subpli => -1",
                        "0 key t0 => switch",                           // the publisher's answer
                        "current 0/3",
                        "2 start t0 => drop(other_layer)",
                        "subpli => 0"}),
                Arguments.of("estimate drops mid-frame: the frame stays whole, thinning starts at the next one",
                        new String[] {
                        "target 0 3", "0 key t0 => switch",
                        "0 start t2 => forward",
                        "target 0 0",
                        "0 cont t2 => forward",                         // same frame as before the change
                        "0 cont t2 => forward",
                        "0 start t1 => skip(temporal_layer_filtered)",
                        "0 cont t1 => skip(temporal_layer_filtered)",
                        "0 start t0 => forward",
                        "current 0/0"}),
                Arguments.of("temporal layers come back only at a layer sync frame", new String[] {
                        "target 0 0", "0 key t0 => switch",
                        "0 start t2 => skip(temporal_layer_filtered)",
                        "target 0 2",
                        "0 start t2 => skip(temporal_layer_filtered)",  // no sync: it may reference a skipped frame
                        "0 start t1 => skip(temporal_layer_filtered)",
                        "0 start t1 sync => forward",
                        "current 0/1",
                        "0 start t2 => skip(temporal_layer_filtered)",
                        "0 start t2 sync => forward",
                        "current 0/2"}),
                Arguments.of("a key frame restores all wanted temporal layers at once", new String[] {
                        "target 0 0", "0 key t0 => switch", "0 start t1 => skip(temporal_layer_filtered)",
                        "target 0 3",
                        "0 key t0 => forward",
                        "current 0/3",
                        "0 start t2 => forward"}),
                Arguments.of("the forwarded layer disappears: fall back to the next active one below", new String[] {
                        "0 key t0 => switch", "1 key t0 => switch", "2 key t0 => switch",
                        "wait 1500", "0 start t0 => drop(other_layer)", "1 start t0 => drop(other_layer)",
                        "wait 600",                                      // layer 2 silent for 2100 ms
                        "1 start t0 => drop(waiting_for_keyframe)+pli",
                        "repeat 50 0 start t0 => drop(other_layer)",
                        "1 key t0 => switch",
                        "current 1/3",
                        "2 key t0 => switch"}),                          // it comes back: up again
                Arguments.of("dynacast: the publisher stops the top layer, then turns it back on: it is switched to "
                        + "again on its key frame, asked for when the first packets are not one", new String[] {
                        "target 2 3", "0 key t0 => switch", "1 key t0 => switch", "2 key t0 => switch",
                        "wait 1000", "1 start t0 => drop(other_layer)",
                        "wait 1001",                                     // layer 2 paused 2001 ms ago
                        "1 start t0 => drop(waiting_for_keyframe)+pli",  // fall back to the highest live layer
                        "1 key t0 => switch",
                        "target 1 3",                                    // the allocator no longer measures 2
                        "wait 5000", "1 start t0 => forward",            // paused for long: not dead for good
                        "2 start t0 => drop(other_layer)",               // turned back on, not yet targeted
                        "target 2 3",                                    // measured again: the allocator raises
                        "2 start t0 => drop(waiting_for_keyframe)+pli",
                        "1 start t0 => forward",                         // no freeze meanwhile
                        "2 key t0 => switch",
                        "current 2/3"}),
                Arguments.of("the target layer disappears while waiting for it: new PLI for the fallback", new String[] {
                        "target 0 3", "0 key t0 => switch", "1 start t0 => drop(other_layer)",
                        "2 start t0 => drop(other_layer)",
                        "target 2 3",
                        "0 start t0 => forward+pli",                     // the allocator raised the target
                        "wait 1000", "0 start t0 => forward+pli",        // retry
                        "1 start t0 => drop(other_layer)",
                        "wait 1001",                                     // layer 2 silent for 2001 ms
                        "0 start t0 => forward+pli",                     // wanted is now layer 1: a new switch
                        "1 key t0 => switch"}),
                Arguments.of("a target change while a PLI is pending is a new switch", new String[] {
                        "target 0 3", "0 key t0 => switch", "1 start t0 => drop(other_layer)",
                        "2 start t0 => drop(other_layer)",
                        "target 2 3", "0 start t0 => forward+pli",
                        "target 1 3", "0 start t0 => forward+pli",
                        "1 start t0 => drop(waiting_for_keyframe)",
                        "2 key t0 => drop(other_layer)",                 // above the wanted layer: not taken
                        "1 key t0 => switch"}),
                Arguments.of("key frame on an intermediate layer is taken on the way up", new String[] {
                        "target 0 3", "0 key t0 => switch", "1 start t0 => drop(other_layer)",
                        "2 start t0 => drop(other_layer)",
                        "target 2 1",
                        "0 start t2 => forward+pli",                     // on the way up: all temporal layers
                        "1 key t0 => switch",
                        "current 1/3",
                        "1 start t2 => forward",
                        "2 key t0 => switch",
                        "current 2/1",
                        "2 start t2 => skip(temporal_layer_filtered)"}),
                Arguments.of("pause at the next frame start, resume needs a key frame", new String[] {
                        "target 0 3", "0 key t0 => switch",
                        "target -1 0",
                        "0 cont t0 => forward",                          // finish the frame
                        "0 start t0 => drop(paused)",
                        "0 key t0 => drop(paused)",
                        "current -1/-1",
                        "target 0 3",
                        "0 start t0 => drop(waiting_for_keyframe)+pli",
                        "0 key t0 => switch"}),
                Arguments.of("padding: skipped on the forwarded layer, dropped elsewhere", new String[] {
                        "target 0 3", "0 key t0 => switch",
                        "0 pad => skip(padding_only)",
                        "1 pad => drop(padding_only)",
                        "wait 2500",                                     // padding does not keep a layer alive
                        "1 pad => drop(padding_only)",
                        "0 start t0 => forward"}),
                Arguments.of("unmapped layers and unreadable payloads", new String[] {
                        "3 key t0 => drop(unknown_layer)",
                        "-1 key t0 => drop(unknown_layer)",
                        "0 bad => drop(malformed_payload)"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void followsScenario(String name, String[] steps) {
        FakeClock clock = new FakeClock();
        LayerSelector s = new LayerSelector(clock, LayerSelector.Config.of(3));
        for (String step : steps) {
            String[] f = step.split(" ");
            switch (f[0]) {
                case "target" -> s.setTarget(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                case "wait" -> clock.advanceMillis(Long.parseLong(f[1]));
                case "current" -> assertThat(s.currentSpatial() + "/" + s.currentTemporal()).as(step).isEqualTo(f[1]);
                case "subpli" -> assertThat(s.keyframeLayerForSubscriber()).as(step + "  " + s)
                        .isEqualTo(Integer.parseInt(f[2]));
                case "repeat" -> {
                    int n = Integer.parseInt(f[1]);
                    String packet = step.substring(step.indexOf(' ', step.indexOf(' ') + 1) + 1);
                    for (int i = 0; i < n; i++) {
                        clock.advanceMillis(1);
                        packet(s, packet);
                    }
                }
                default -> packet(s, step);
            }
        }
    }

    private static void packet(LayerSelector s, String step) {
        String[] sides = step.split(" => ");
        String[] f = sides[0].split(" ");
        int meta = 0;
        int tid = 0;
        for (int i = 1; i < f.length; i++) {
            switch (f[i]) {
                case "key" -> meta |= PacketMeta.KEYFRAME;
                case "start" -> meta |= PacketMeta.FRAME_START;
                case "cont" -> { }
                case "sync" -> meta |= PacketMeta.LAYER_SYNC;
                case "pad" -> meta |= PacketMeta.PADDING_ONLY;
                case "bad" -> meta = PacketMeta.INVALID;
                default -> tid = Integer.parseInt(f[i].substring(1));
            }
        }
        if (meta != PacketMeta.INVALID) {
            meta = PacketMeta.of(tid, meta);
        }
        assertThat(s.decide(Integer.parseInt(f[0]), meta).toString()).as(step + "  " + s).isEqualTo(sides[1]);
    }

    @Test
    void keyframeRequestNamesTheWantedLayer() {
        FakeClock clock = new FakeClock();
        LayerSelector s = new LayerSelector(clock, LayerSelector.Config.of(3));
        s.setTarget(1, 3);
        s.decide(0, PacketMeta.of(0, PacketMeta.FRAME_START));
        LayerDecision d = s.decide(1, PacketMeta.of(0, PacketMeta.FRAME_START));
        assertThat(d.requestKeyframe()).isTrue();
        assertThat(s.keyframeLayer()).isEqualTo(1);
        assertThat(s.isKeyframePending()).isTrue();
        clock.advanceMillis(1000);
        assertThat(s.isKeyframePending()).isFalse();
    }

    @Test
    void resetStartsOverOnTheNextKeyFrame() {
        FakeClock clock = new FakeClock();
        LayerSelector s = new LayerSelector(clock, LayerSelector.Config.of(1));
        assertThat(s.decide(0, PacketMeta.of(0, PacketMeta.KEYFRAME))).isSameAs(LayerDecision.SWITCH);
        s.reset();
        assertThat(s.decide(0, PacketMeta.of(0, PacketMeta.FRAME_START)).toString())
                .isEqualTo("drop(waiting_for_keyframe)+pli");
        assertThat(s.decide(0, PacketMeta.of(0, PacketMeta.KEYFRAME))).isSameAs(LayerDecision.SWITCH);
    }

    @Test
    void decideAllocatesNothing() {
        FakeClock clock = new FakeClock();
        LayerSelector s = new LayerSelector(clock, LayerSelector.Config.of(3));
        int[] i = {0};
        double bytes = Allocations.bytesPerRun(100_000, () -> {
            int n = i[0]++;
            int layer = n % 3;
            int meta = PacketMeta.of(n % 4, (n % 30 == 0 ? PacketMeta.KEYFRAME : 0) | (n % 3 == 0 ? PacketMeta.FRAME_START : 0));
            if (n % 1000 == 0) {
                s.setTarget(n % 3000 == 0 ? -1 : n % 3, n % 4);
            }
            s.decide(layer, meta);
        });
        assertThat(bytes).isLessThan(0.1);
    }

    @Test
    void decisionsPrintThemselves() {
        assertThat(LayerDecision.of(LayerAction.DROP, LayerDropReason.WAITING_FOR_KEYFRAME, true))
                .hasToString("drop(waiting_for_keyframe)+pli");
        assertThat(LayerDecision.FORWARD).hasToString("forward");
        assertThat(LayerDropReason.TEMPORAL_LAYER_FILTERED.metricName()).isEqualTo("temporal_layer_filtered");
        assertThat(LayerDecision.of(LayerAction.SKIP, LayerDropReason.PADDING_ONLY, false))
                .isSameAs(LayerDecision.of(LayerAction.SKIP, LayerDropReason.PADDING_ONLY, false));
    }
}
