package dev.prism.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadModelTest {
    /** Full loop at 50 ms lag, 500 participants, 1 Gbit/s egress; a room adds at least 0.02. */
    private static final LoadModel MODEL = new LoadModel(50.0, 500, 1_000_000_000L, 0.02);

    private record Row(String what, double busy, double lagMs, int participants, long egressBps, int rooms,
                       int placedSinceReport, double score, double corrected) {
    }

    private static final Row[] ROWS = {
        //       what                                   busy  lagMs   part  egress       rooms placed score  corrected
        new Row("idle node",                            0,    0,      0,    0,           0,    0,     0,     0),
        new Row("idle node, 3 rooms placed since: min", 0,    0,      0,    0,           0,    3,     0,     0.06),
        new Row("busy ratio decides",                   0.40, 5,      40,   10_000_000,  4,    0,     0.40,  0.40),
        new Row("2 placed: 2 x its room cost 0.40/4",   0.40, 5,      40,   10_000_000,  4,    2,     0.40,  0.60),
        new Row("lag decides (40 of 50 ms)",            0.20, 40,     10,   0,           8,    1,     0.80,  0.90),
        new Row("participants decide (400 of 500)",     0.10, 1,      400,  0,           2,    1,     0.80,  1.20),
        new Row("egress decides; tiny rooms: min inc",  0.30, 1,      10,   900_000_000, 90,   5,     0.90,  1.00),
        new Row("stuck loop: lag grows, score capped",  0.99, 10_000, 10,   0,           1,    1,     10.0,  10.0),
        new Row("unknown figures (NaN, < 0) read as 0", Double.NaN, -3, -1, -5,          0,    0,     0,     0),
    };

    @Test
    void scoreIsTheBusiestResourceAndCorrectionAddsTheRoomsPlacedSinceTheReport() {
        for (Row row : ROWS) {
            NodeLoad load = new NodeLoad(row.busy, row.lagMs, row.participants, row.rooms, 0, row.egressBps);
            double score = MODEL.score(load);
            assertThat(score).as(row.what + ": score").isCloseTo(row.score, within(1e-9));
            assertThat(MODEL.corrected(score, load.rooms(), row.placedSinceReport))
                    .as(row.what + ": corrected").isCloseTo(row.corrected, within(1e-9));
        }
    }

    @Test
    void capacitiesOfZeroAreNotCounted() {
        LoadModel onlyLoop = new LoadModel(50.0, 0, 0, 0.02);
        NodeLoad crowded = new NodeLoad(0.25, 0, 100_000, 10, 0, 50_000_000_000L);
        assertThat(onlyLoop.score(crowded)).isCloseTo(0.25, within(1e-9));
    }
}
