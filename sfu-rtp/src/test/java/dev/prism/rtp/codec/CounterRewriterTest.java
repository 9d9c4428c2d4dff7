package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario tables. Steps: {@code "r IN OUT"} rewrite expecting OUT, {@code "d IN"} drop the frame, {@code "s"} switch
 * source. Several packets of one frame repeat the same value.
 */
class CounterRewriterTest {
    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("15-bit: packets of a frame share the value", 15, new String[] {
                        "r 100 100", "r 100 100", "r 101 101", "r 101 101"}),
                Arguments.of("15-bit: wrap in order", 15, new String[] {
                        "r 32766 32766", "r 32767 32767", "r 0 0", "r 1 1"}),
                Arguments.of("15-bit: dropped frames close up, repeats ignored", 15, new String[] {
                        "r 10 10", "d 11", "d 11", "r 12 11", "d 13", "d 14", "r 15 12", "r 15 12"}),
                Arguments.of("15-bit: reordered frame from before a drop keeps its value", 15, new String[] {
                        "r 10 10", "r 12 12", "d 13", "r 11 11", "r 14 13"}),
                Arguments.of("15-bit: switch continues at last + 1", 15, new String[] {
                        "r 500 500", "r 501 501", "s", "r 9000 502", "r 9001 503", "s", "s", "r 3 504"}),
                Arguments.of("15-bit: switch right after a dropped frame", 15, new String[] {
                        "r 500 500", "d 501", "s", "r 20000 501"}),
                Arguments.of("15-bit: first frame of a segment dropped", 15, new String[] {
                        "r 7 7", "s", "d 300", "r 301 8"}),
                Arguments.of("15-bit: first frame ever dropped", 15, new String[] {
                        "d 0", "r 1 0", "r 2 1"}),
                Arguments.of("15-bit: output wraps after a switch", 15, new String[] {
                        "r 32767 32767", "s", "r 40 0", "r 41 1"}),
                Arguments.of("15-bit: drops across the input wrap", 15, new String[] {
                        "r 32766 32766", "d 32767", "r 0 32767", "d 1", "r 2 0"}),
                Arguments.of("8-bit TL0PICIDX: wrap and switch", 8, new String[] {
                        "r 254 254", "r 255 255", "r 0 0", "s", "r 77 1", "r 78 2"}),
                Arguments.of("5-bit KEYIDX: wrap and switch", 5, new String[] {
                        "r 30 30", "r 31 31", "r 0 0", "s", "r 12 1"}),
                Arguments.of("reordered before the segment start gets the segment's offset", 15, new String[] {
                        "r 100 100", "s", "r 200 101", "r 199 100"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void followsScenario(String name, int bits, String[] steps) {
        CounterRewriter r = new CounterRewriter(bits, 16);
        for (String step : steps) {
            String[] f = step.split(" ");
            switch (f[0]) {
                case "r" -> assertThat(r.rewrite(Integer.parseInt(f[1]))).as(step).isEqualTo(Integer.parseInt(f[2]));
                case "d" -> r.drop(Integer.parseInt(f[1]));
                case "s" -> r.switchSource();
                default -> throw new IllegalArgumentException(step);
            }
        }
    }

    @ParameterizedTest(name = "widen {0} against newest {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            // 7-bit value, newest 15-bit input, widened
            "5,   5,    5",
            "6,   5,    6",
            "0,   127,  128",     // 7-bit wrap moves into the next 128 block
            "127, 128,  127",     // one back across the block boundary
            "0,   32767, 0",      // 15-bit wrap
            "127, 0,    32767",
    })
    void widensSevenBitValues(int narrow, int newest, int widened) {
        CounterRewriter r = new CounterRewriter(15, 4);
        r.rewrite(newest);
        assertThat(r.widen(narrow, 7)).isEqualTo(widened);
    }
}
