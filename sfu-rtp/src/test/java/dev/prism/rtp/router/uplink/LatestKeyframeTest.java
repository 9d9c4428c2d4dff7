package dev.prism.rtp.router.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the latest key frame starts in a history, and when it may be replayed. Times in ms of a made-up clock. */
class LatestKeyframeTest {
    private static final long MS = 1_000_000L;
    private final PacketHistory history = new PacketHistory(64, 1000 * MS);
    private final LatestKeyframe latest = new LatestKeyframe();
    private final List<ByteBuf> mine = new ArrayList<>();

    @AfterEach
    void release() {
        history.clear();
        for (ByteBuf b : mine) {
            assertThat(b.refCnt()).as("only the test's own reference is left").isEqualTo(1);
            b.release();
        }
    }

    /** One packet into the history and the tracker, as the producer adds it. */
    private void packet(int seq, long ts, boolean keyframeStart, long nowMs) {
        ByteBuf b = Unpooled.buffer(12).writeZero(12);
        mine.add(b);
        history.add(b, seq, nowMs * MS);
        latest.onPacket(seq, ts, keyframeStart, nowMs * MS);
    }

    @Test
    void nothingBeforeAKeyframe() {
        packet(1, 100, false, 0);
        assertThat(latest.replayable(history, 0)).isZero();
    }

    @Test
    void theKeyframeAndEverythingAfterIt() {
        packet(9, 100, false, 0);
        packet(10, 200, true, 10);
        packet(11, 200, false, 10);
        packet(12, 300, false, 40);
        assertThat(latest.replayable(history, 50 * MS)).isEqualTo(3);
        assertThat(latest.startSeq()).isEqualTo(10);
    }

    @Test
    void aNewerKeyframeReplacesTheOlderOne() {
        packet(10, 200, true, 0);
        packet(11, 300, false, 30);
        packet(12, 400, true, 60);
        assertThat(latest.replayable(history, 70 * MS)).isEqualTo(1);
        assertThat(latest.startSeq()).isEqualTo(12);
    }

    @Test
    void anEarlierPacketOfTheSameKeyframeMovesTheStartBack() {
        packet(11, 200, true, 0); // H.264: the IDR slice arrived first, its SPS (10) recovered after
        packet(12, 200, false, 0);
        packet(10, 200, true, 5);
        assertThat(latest.startSeq()).isEqualTo(10);
        assertThat(latest.replayable(history, 10 * MS)).isEqualTo(3);
    }

    @Test
    void aHoleAfterTheKeyframeMeansNoReplay() {
        packet(10, 200, true, 0);
        packet(12, 300, false, 30); // 11 never arrived
        assertThat(latest.replayable(history, 40 * MS)).isZero();
    }

    @Test
    void tooOldMeansNoReplay() {
        packet(10, 200, true, 0);
        assertThat(latest.replayable(history, LatestKeyframe.MAX_AGE_NANOS)).isEqualTo(1);
        assertThat(latest.replayable(history, LatestKeyframe.MAX_AGE_NANOS + 1)).isZero();
    }

    @Test
    void tooManyPacketsAfterItMeansNoReplay() {
        PacketHistory big = new PacketHistory(256, 1000 * MS);
        ByteBuf b = Unpooled.buffer(12).writeZero(12);
        latest.onPacket(65500, 200, true, 0);
        for (int i = 0; i <= LatestKeyframe.MAX_PACKETS; i++) {
            big.add(b, 65500 + i, 0);
            if (i > 0) {
                latest.onPacket(65500 + i, 300, false, 0);
            }
        }
        assertThat(latest.replayable(big, 0)).as("one more than the bound, across the wrap").isZero();
        big.clear();
        assertThat(b.refCnt()).isEqualTo(1);
        b.release();
    }

    @Test
    void clearForgetsIt() {
        packet(10, 200, true, 0);
        latest.clear();
        assertThat(latest.replayable(history, 0)).isZero();
    }
}
