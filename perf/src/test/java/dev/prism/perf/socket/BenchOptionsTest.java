package dev.prism.perf.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsGiveEveryCaseOnceWithItsBaselineAndFitInThreeMinutes() {
        BenchOptions o = BenchOptions.defaults();
        List<BenchCase> cases = o.cases();
        Set<String> names = new HashSet<>();
        for (BenchCase c : cases) {
            assertThat(names.add(c.name())).as("unique: " + c.name()).isTrue();
        }
        for (BenchCase c : cases) {
            assertThat(names).as(c.name() + "'s baseline").contains(c.baseline());
        }
        // 4 send (flush each, 1x10, 4x10, 16x10), 3 x 2 GSO, 3 rates x 3 receive modes.
        assertThat(cases).hasSize(4 + 6 + 9);
        assertThat(o.rounds()).isGreaterThanOrEqualTo(2);
        assertThat(o.estimatedSeconds(cases.size())).isLessThan(180);
    }

    @Test
    void onlyKeepsTheMatchingCasesAndTheirBaselines() {
        List<String> names = BenchOptions.parse(new String[] {"--only", "gso 4x gso"}).cases().stream()
                .map(BenchCase::name).toList();
        assertThat(names).containsExactly("gso 4x sendmmsg", "gso 4x gso");

        names = BenchOptions.parse(new String[] {"--only", "recv max", "--recv-rates", "max"}).cases().stream()
                .map(BenchCase::name).toList();
        assertThat(names).containsExactly("recv max one channel", "recv max SO_REUSEPORT x2 loops",
                "recv max recvmmsg x16");
    }

    @Test
    void overrides() {
        BenchOptions o = BenchOptions.parse(new String[] {"--rounds", "3", "--seconds", "1.5", "--receivers", "4",
                "--recv-rates", "5000,max", "--batches", "2", "--gso", "3", "--no-warmup-pass"});
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.seconds()).isEqualTo(1.5);
        assertThat(o.recvRates()).containsExactly(5000.0, 0.0);
        assertThat(o.warmupPass()).isFalse();
        assertThat(o.cases().stream().map(BenchCase::name).toList()).containsExactly(
                "send flush each", "send flush/1x4", "send flush/2x4", "gso 3x sendmmsg", "gso 3x gso",
                "recv 5k/s one channel", "recv 5k/s SO_REUSEPORT x2 loops", "recv 5k/s recvmmsg x16",
                "recv max one channel", "recv max SO_REUSEPORT x2 loops", "recv max recvmmsg x16");
    }

    @Test
    void badOptionsAreRefused() {
        for (String[] args : new String[][] {
                {"--rounds", "0"}, {"--rounds", "2.5"}, {"--seconds", "-1"}, {"--seconds"}, {"--bogus", "1"},
                {"--recv-rates", ""}, {"--recv-rates", "fast"}, {"--gso", "1"}, {"--receivers", "x"},
                {"--send-rate", "1e9"}, {"--help"}}) {
            assertThatThrownBy(() -> BenchOptions.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
