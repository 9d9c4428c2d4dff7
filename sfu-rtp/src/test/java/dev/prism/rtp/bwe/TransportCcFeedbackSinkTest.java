package dev.prism.rtp.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.rtp.testutil.Allocations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TransportCcFeedbackGenerator#build(TransportCcFeedbackGenerator.Sink)}, the server's path: each message
 * written from the generator's reused builder is byte for byte the message {@link TransportCcFeedbackGenerator#build()}
 * returns for the same arrivals, and building that way allocates nothing.
 */
class TransportCcFeedbackSinkTest {
    private static final long SENDER = 0xAAAA_0001L;
    private static final long MEDIA = 0xBBBB_0002L;

    /**
     * Arrival patterns: a transport-wide sequence number, or a negative number = advance the clock by that many
     * microseconds; "|" = build the feedback so far.
     */
    static List<Arguments> patterns() {
        return List.of(
                Arguments.of("in order, small deltas", 400, "1 -1000 2 -1000 3 -1000 4 |"),
                Arguments.of("a loss and a large delta", 400, "100 -1000 101 -5250 102 -250 104 -70000 105 |"),
                Arguments.of("small and large deltas mixed: 2-bit vectors", 400,
                        "1 -300000 2 -250 3 -70000 4 -250 5 -250 6 -90000 7 -250 8 |"),
                Arguments.of("a long run of small deltas: run-length chunk", 400, run(0, 40, 1000) + " |"),
                Arguments.of("split by count, the lost packet at the split repeated", 10,
                        run(0, 10, 1000) + " " + run(11, 14, 1000) + " |"),
                Arguments.of("split where the delta does not fit (9 s)", 400, "1 -9000000 2 |"),
                Arguments.of("reported lost, then late: reported again", 400, "1 -1000 3 | 2 -1000 4 |"),
                Arguments.of("wrap of the sequence number", 400, "65534 -1000 65535 -1000 0 -1000 1 |"),
                Arguments.of("several builds in a row", 400, "1 -1000 2 | -50000 3 -1000 5 | -50000 6 |"));
    }

    private static String run(int from, int n, int gapMicros) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(from + i).append(" -").append(gapMicros).append(' ');
        }
        return sb.toString().trim();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void eachMessageWrittenFromTheBuilderIsTheBuiltMessage(String name, int maxPerFeedback, String pattern) {
        FakeClock clock = new FakeClock();
        TransportCcFeedbackGenerator.Config config = new TransportCcFeedbackGenerator.Config(50, maxPerFeedback);
        TransportCcFeedbackGenerator built = new TransportCcFeedbackGenerator(clock, SENDER, config);
        TransportCcFeedbackGenerator written = new TransportCcFeedbackGenerator(clock, SENDER, config);
        int builds = 0;
        for (String word : pattern.split(" +")) {
            if (word.equals("|")) {
                List<String> expected = new ArrayList<>();
                for (TransportCcFeedback fb : built.build()) {
                    expected.add(bytes(fb));
                }
                List<String> actual = new ArrayList<>();
                int n = written.build(b -> {
                    ByteBuf buf = Unpooled.buffer();
                    try {
                        assertThat(b.write(buf)).as("written length").isEqualTo(buf.readableBytes())
                                .isEqualTo(b.length());
                        actual.add(Hex.hex(buf));
                    } finally {
                        buf.release();
                    }
                });
                assertThat(actual).as("build %d", builds).isNotEmpty().isEqualTo(expected);
                assertThat(n).isEqualTo(expected.size());
                builds++;
            } else if (word.startsWith("-")) {
                clock.advance(java.time.Duration.ofNanos(-Long.parseLong(word) * 1000));
            } else {
                int seq = Integer.parseInt(word);
                built.onPacket(seq, MEDIA);
                written.onPacket(seq, MEDIA);
            }
        }
        assertThat(written.messages()).isEqualTo(built.messages());
        assertThat(written.build(b -> { })).as("nothing new").isZero();
    }

    @Test
    void buildingIntoASinkAllocatesNothing() {
        FakeClock clock = new FakeClock();
        TransportCcFeedbackGenerator gen =
                new TransportCcFeedbackGenerator(clock, SENDER, TransportCcFeedbackGenerator.Config.DEFAULT);
        ByteBuf out = Unpooled.buffer(2048);
        TransportCcFeedbackGenerator.Sink sink = b -> b.write(out);
        int[] seq = {0};
        try {
            double bytes = Allocations.bytesPerRun(20_000, () -> {
                for (int i = 0; i < 8; i++) {
                    if (seq[0] % 13 != 5) {     // a loss now and then
                        gen.onPacket(seq[0], MEDIA, seq[0] * 700_000L);
                    }
                    seq[0]++;
                }
                out.clear();
                gen.build(sink);
            });
            assertThat(bytes).isLessThan(1);
            assertThat(gen.messages()).isGreaterThan(0);
        } finally {
            out.release();
        }
    }

    private static String bytes(TransportCcFeedback fb) {
        ByteBuf buf = Unpooled.buffer();
        try {
            fb.write(buf);
            return Hex.hex(buf);
        } finally {
            buf.release();
        }
    }
}
