package dev.prism.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevTokenAudioTopNTest {
    @Test
    void wholeNumbersZeroToSixtyFour() {
        assertThat(DevTokenAudioTopN.parse(null)).isNull();
        assertThat(DevTokenAudioTopN.parse("0")).isZero();
        assertThat(DevTokenAudioTopN.parse("3")).isEqualTo(3);
        assertThat(DevTokenAudioTopN.parse("64")).isEqualTo(64);
        for (String bad : new String[] {"", "65", "-1", "3.5", "x", "007", "+3", "99999999999"}) {
            assertThat(DevTokenAudioTopN.parse(bad)).as(bad).isEqualTo(-1);
        }
    }
}
