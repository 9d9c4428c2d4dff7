package dev.prism.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.core.clock.FakeClock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpeakerDetectorTest {
    private static final String[] IDS = {"a", "b", "c"};

    /**
     * Plays a table: each row is one 100 ms tick: per participant a, b, c the packets of the tick as
     * {@code level x count} (level in -dBov) or {@code -} for none (DTX silence); then the speakers expected (loudest
     * first, comma separated) and the dominant speaker ({@code -}: none).
     */
    private static void play(SpeakerDetector d, FakeClock clock, String[][] rows) {
        long start = clock.nanos();
        for (String[] row : rows) {
            clock.advanceMillis(SpeakerDetector.TICK_MILLIS);
            for (int i = 0; i < IDS.length; i++) {
                if (!row[i].equals("-")) {
                    String[] p = row[i].split("x");
                    int level = Integer.parseInt(p[0]);
                    int count = Integer.parseInt(p[1]);
                    d.sample(IDS[i], count, (long) count * Math.max(0, 70 - level));
                }
            }
            d.tick(clock.nanos());
            String at = "at " + ((clock.nanos() - start) / 1_000_000) + " ms of the table";
            assertEquals(row[3], d.speakers().stream().map(SpeakerDetector.Speaker::participantId)
                    .collect(Collectors.joining(",")), "speakers " + at);
            assertEquals(row[4].equals("-") ? null : row[4], d.dominant(), "dominant " + at);
        }
    }

    @Test
    void speechStartsAtOnceSurvivesPausesAndStopsAfterTheHangover() {
        FakeClock clock = new FakeClock();
        SpeakerDetector d = new SpeakerDetector();
        play(d, clock, new String[][] {
                // a          b    c    speakers  dominant
                {"127x5",     "-", "-", "",       "-"},   // 100 ms: silence packets
                {"30x5",      "-", "-", "a",      "a"},   // 200: -30 dBov speech: speaking after one tick
                {"30x5",      "-", "-", "a",      "a"},
                {"-",         "-", "-", "a",      "a"},   // 400: DTX gap, a pause between words
                {"-",         "-", "-", "a",      "a"},   // 500: below the stop threshold: hangover starts
                {"30x5",      "-", "-", "a",      "a"},   // 600: speaks again: hangover cancelled
                {"-",         "-", "-", "a",      "a"},
                {"-",         "-", "-", "a",      "a"},   // 800: quiet from here
                {"-",         "-", "-", "a",      "a"},
                {"-",         "-", "-", "a",      "a"},
                {"-",         "-", "-", "a",      "a"},
                {"-",         "-", "-", "a",      "a"},
                {"-",         "-", "-", "a",      "a"},   // 1300: 500 ms quiet
                {"-",         "-", "-", "",       "a"},   // 1400: 600 ms: stopped; stays dominant
        });
    }

    @Test
    void quietSpeechNeedsTwoTicksAndNoiseOrAClickNever() {
        FakeClock clock = new FakeClock();
        SpeakerDetector d = new SpeakerDetector();
        play(d, clock, new String[][] {
                {"40x5",  "60x5", "0x1",  "",    "-"},   // a: -40 dBov (fast 15); b: noise; c: one 0 dBov click
                {"40x5",  "60x5", "-",    "a",   "a"},   // a: fast 22.5
                {"40x5",  "60x5", "127x5", "a",  "a"},
        });
    }

    @Test
    void dominantChangesOnlyAfterASustainedLead() {
        FakeClock clock = new FakeClock();
        SpeakerDetector d = new SpeakerDetector();
        // a speaks at -30 dBov from 100 ms, b at -20 dBov from 300 ms. Slow averages (weight 1/8 per tick):
        // a 40 * (1 - (7/8)^n), b 50 * (1 - (7/8)^m): b's passes a's at 700 ms (24.4 vs 24.3); 1 s later b takes over.
        String[][] rows = new String[17][];
        rows[0] = new String[] {"30x5", "-", "-", "a", "a"};
        rows[1] = new String[] {"30x5", "-", "-", "a", "a"};
        rows[2] = new String[] {"30x5", "20x5", "-", "a,b", "a"};       // 300: b fast 25 < a fast 35
        rows[3] = new String[] {"30x5", "20x5", "-", "a,b", "a"};       // 400: a tie at 37.5: by id
        for (int i = 4; i < 16; i++) {
            rows[i] = new String[] {"30x5", "20x5", "-", "b,a", "a"};
        }
        rows[16] = new String[] {"30x5", "20x5", "-", "b,a", "b"};      // 1700 ms
        play(d, clock, rows);
    }

    @Test
    void shortInterjectionDoesNotMoveTheDominant() {
        FakeClock clock = new FakeClock();
        SpeakerDetector d = new SpeakerDetector();
        play(d, clock, new String[][] {
                {"30x5", "-",    "-", "a",   "a"},
                {"30x5", "-",    "-", "a",   "a"},
                {"30x5", "-",    "-", "a",   "a"},
                {"-",    "10x5", "-", "b,a", "a"},   // b laughs loudly for 300 ms while a pauses
                {"-",    "10x5", "-", "b,a", "a"},
                {"-",    "10x5", "-", "b,a", "a"},
                {"30x5", "-",    "-", "b,a", "a"},
                {"30x5", "-",    "-", "a,b", "a"},
        });
    }

    @Test
    void dominantWhoLeavesIsReplacedAtOnceAndTickReportsChanges() {
        FakeClock clock = new FakeClock();
        SpeakerDetector d = new SpeakerDetector();
        clock.advanceMillis(100);
        d.sample("a", 5, 200);
        assertTrue(d.tick(clock.nanos()), "a starts speaking");
        clock.advanceMillis(100);
        d.sample("a", 5, 200);
        d.sample("b", 5, 250);
        assertTrue(d.tick(clock.nanos()), "b starts speaking");
        clock.advanceMillis(100);
        d.sample("a", 5, 200);
        d.sample("b", 5, 250);
        assertFalse(d.tick(clock.nanos()), "nothing changed");
        d.retain(Set.of("b"));
        clock.advanceMillis(100);
        d.sample("b", 5, 250);
        assertTrue(d.tick(clock.nanos()));
        assertEquals("b", d.dominant());
        d.remove("b");
        assertNull(d.dominant());
        assertEquals(0, d.size());
    }

    @Test
    void rankingIsLoudestFirstWithABonusForTheStreamsAlreadyForwarded() {
        FakeClock clock = new FakeClock();
        SpeakerDetector d = new SpeakerDetector();
        clock.advanceMillis(100);
        d.sample("a", 5, 5 * 40);
        d.sample("b", 5, 5 * 44);
        d.sample("c", 5, 0);
        d.tick(clock.nanos());
        assertEquals(List.of("b", "a", "c"), d.ranking(Set.of(), 0));
        assertEquals(List.of("a", "b", "c"), d.ranking(Set.of("a"), 3), "a 20+3 stays before b 22");
        assertEquals(List.of("b", "a", "c"), d.ranking(Set.of("a"), 1));
        assertEquals(0.31, d.level("b"), 0.01);
    }
}
