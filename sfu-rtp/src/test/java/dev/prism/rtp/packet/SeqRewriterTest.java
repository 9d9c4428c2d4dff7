package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario tables. Steps: {@code "r IN OUT"} rewrite expecting OUT (or DROP), {@code "d IN"} drop, {@code "s"} switch
 * source.
 */
class SeqRewriterTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("the Javadoc worked example", new String[] {
                        "r 65533 65533",   // first packet keeps its number
                        "r 1 1",           // 65534, 65535, 0 missing: the gap stays
                        "r 65535 65535",   // reordered, fills its place
                        "d 2",             // in-order drop
                        "r 3 2",           // no gap for 2
                        "r 0 0",           // reordered from before the drop: old offset
                        "s",
                        "r 40000 3",       // new source continues at last + 1
                        "r 39999 DROP",    // older than the segment start
                        "r 40001 4"}),
                Arguments.of("in order across the wrap", new String[] {
                        "r 65534 65534", "r 65535 65535", "r 0 0", "r 1 1"}),
                Arguments.of("reordering across the wrap", new String[] {
                        "r 65534 65534", "r 0 0", "r 65535 65535", "r 2 2", "r 1 1", "r 3 3"}),
                Arguments.of("switch just before the input wraps", new String[] {
                        "r 10 10", "r 11 11", "s",
                        "r 65534 12", "r 0 14", "r 65535 13", "r 1 15"}),
                Arguments.of("switch makes the output wrap", new String[] {
                        "r 65534 65534", "r 65535 65535", "s",
                        "r 700 0", "r 702 2", "r 701 1"}),
                Arguments.of("drops across the wrap with reordering", new String[] {
                        "r 65533 65533",
                        "d 65534",          // closes up
                        "r 0 65535",        // 65535 is missing: reserves 65534
                        "r 65535 65534",    // late: gets its reserved place
                        "d 1", "d 2",       // consecutive drops merge into one change point
                        "r 3 0",
                        "r 0 65535"}),      // duplicate: same number again
                Arguments.of("drop of a late packet leaves the gap", new String[] {
                        "r 100 100", "r 102 102", "d 101", "r 103 103"}),
                Arguments.of("drop after a gap keeps the reserved places", new String[] {
                        "r 100 100", "d 103", "r 104 103", "r 101 101", "r 102 102"}),
                Arguments.of("first packet of a segment dropped", new String[] {
                        "r 500 500", "s", "d 9000", "r 9001 501", "r 8999 DROP", "r 9000 500"}),
                Arguments.of("first packet ever dropped", new String[] {
                        "d 77", "r 78 77", "r 79 78"}),
                Arguments.of("switch with nothing forwarded yet is a no-op", new String[] {
                        "s", "r 1234 1234", "s", "s", "r 50 1235"}),
                Arguments.of("new source restarting low after several switches", new String[] {
                        "r 65535 65535", "s", "r 0 0", "s", "r 0 1", "s", "r 65535 2", "r 0 3"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void followsScenario(String name, String[] steps) {
        run(new SeqRewriter(), steps);
    }

    @Test
    void firstOutputCanBeChosen() {
        SeqRewriter r = new SeqRewriter(65535, SeqRewriter.DEFAULT_HISTORY);
        assertThat(r.started()).isFalse();
        run(r, new String[] {"r 1000 65535", "r 1001 0", "r 999 DROP"}); // 999 precedes the segment start
        assertThat(r.started()).isTrue();
        assertThat(r.lastOutput()).isEqualTo(0);
    }

    @Test
    void firstOutputWithFirstPacketDropped() {
        run(new SeqRewriter(10, 4), new String[] {"d 1000", "r 1001 10"});
    }

    @Test
    void packetsOlderThanTheRememberedHistoryAreDropped() {
        // History of 2 change points: the segment start and one drop; a second drop forgets the segment start.
        run(new SeqRewriter(-1, 2), new String[] {
                "r 100 100", "r 102 102",
                "d 103",          // change point at 104
                "r 101 101",      // still known
                "d 105",          // change point at 106 evicts the segment start (100)
                "r 104 103",
                "r 101 DROP",     // older than every remembered change point
                "r 106 104"});
    }

    @Test
    void longRunWithEveryOtherPacketDroppedStaysContiguous() {
        SeqRewriter r = new SeqRewriter(0, SeqRewriter.DEFAULT_HISTORY);
        int expected = 0;
        for (int i = 0; i < 200_000; i++) {
            int in = (60_000 + i) & 0xFFFF;
            if (i % 2 == 1) {
                r.drop(in);
            } else {
                assertThat(r.rewrite(in)).isEqualTo(expected);
                expected = SeqNum.add(expected, 1);
            }
        }
    }

    private static void run(SeqRewriter r, String[] steps) {
        for (String step : steps) {
            String[] f = step.split(" ");
            switch (f[0]) {
                case "r" -> {
                    int want = f[2].equals("DROP") ? SeqRewriter.DROP : Integer.parseInt(f[2]);
                    assertThat(r.rewrite(Integer.parseInt(f[1]))).as(step).isEqualTo(want);
                }
                case "d" -> r.drop(Integer.parseInt(f[1]));
                case "s" -> r.switchSource();
                default -> throw new IllegalArgumentException(step);
            }
        }
    }
}
