package dev.prism.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.core.clock.FakeClock;
import org.junit.jupiter.api.Test;

class RepeatingLogTest {
    @Test
    void firstLoggedThenCountedUntilTheIntervalEnds() {
        FakeClock clock = new FakeClock();
        RepeatingLog log = new RepeatingLog(clock, 10_000);
        assertEquals(0, log.admit());
        for (int i = 0; i < 99; i++) {
            assertEquals(-1, log.admit());
        }
        clock.advanceMillis(9_999);
        assertEquals(-1, log.admit());
        clock.advanceMillis(1);
        assertEquals(100, log.admit(), "the next logged line carries the suppressed count");
        assertEquals(-1, log.admit());
    }
}
