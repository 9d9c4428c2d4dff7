package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
    @Test
    void readsPausesAndSkipsEverythingElse(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.write(log, List.of(
                "[0.004s] Using G1",
                "[12.345s] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms",
                "[13.000s] GC(4) Concurrent Mark Cycle",
                "[13.100s] GC(4) Pause Remark 30M->30M(256M) 0,812ms",  // a comma locale
                "[13.200s] GC(4) Concurrent Mark Cycle 200.000ms",      // not a pause
                "[20.500s] GC(5) Pause Full (System.gc()) 40M->10M(256M) 15.000ms"));
        List<GcLog.Pause> pauses = GcLog.pauses(log);
        assertThat(pauses).containsExactly(
                new GcLog.Pause(12.345, 2.345, "Pause Young (Normal) (G1 Evacuation Pause)"),
                new GcLog.Pause(13.1, 0.812, "Pause Remark"),
                new GcLog.Pause(20.5, 15.0, "Pause Full (System.gc())"));
        assertThat(GcLog.between(pauses, 12.345, 20.5)).hasSize(2);
        assertThat(GcLog.pauses(dir.resolve("missing.log"))).isEmpty();
    }

    /** ZGC (JDK 17) logs its pauses only with {@code gc+phases}, which the load run's server logs too. */
    @Test
    void readsZgcPausesFromThePhasesLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.write(log, List.of(
                "[0.010s] Using The Z Garbage Collector",
                "[201.350s] GC(4) Pause Mark Start 0.026ms",
                "[201.352s] GC(4) Concurrent Mark 2.031ms",
                "[201.358s] GC(4) Pause Mark End 0.017ms",
                "[201.366s] GC(4) Pause Relocate Start 0.019ms",
                "[201.370s] GC(4) Garbage Collection (Proactive) 120M(23%)->30M(6%)"));
        assertThat(GcLog.pauses(log)).extracting(GcLog.Pause::what)
                .containsExactly("Pause Mark Start", "Pause Mark End", "Pause Relocate Start");
        assertThat(GcLog.pauses(log)).extracting(GcLog.Pause::millis).containsExactly(0.026, 0.017, 0.019);
    }
}
