package dev.prism.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.testutil.Allocations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Vp8RewriterTest {

    /** A full descriptor (X, I with M, L, T, K) followed by one VP8 payload byte. */
    private static ByteBuf payload(boolean start, int pid, int tl0, int tid, boolean sync, int keyIdx) {
        ByteBuf b = Unpooled.buffer(8);
        b.writeByte(start ? 0x90 : 0x80);
        b.writeByte(0xF0);
        b.writeShort(0x8000 | pid);
        b.writeByte(tl0);
        b.writeByte(tid << 6 | (sync ? 0x20 : 0) | keyIdx);
        b.writeByte(0x00);
        return b;
    }

    @Test
    void rewritesEveryCounterInPlace() {
        Vp8Rewriter r = new Vp8Rewriter();
        ByteBuf first = Hex.buf("""
                90 f0       // X S PID=0 | I L T K
                92 34       // M=1 picture id 0x1234
                07          // TL0PICIDX 7
                05          // TID 0 Y=0 KEYIDX 5
                00          // VP8 header: key frame
                """);
        ByteBuf second = Hex.buf("""
                90 f0
                f0 01       // picture id 0x7001, another source
                c8          // TL0PICIDX 200
                b0          // TID 2 Y=1 KEYIDX 16
                01
                """);
        try {
            assertThat(r.rewrite(first, 0, first.readableBytes())).isNotEqualTo(Vp8Rewriter.MALFORMED);
            assertThat(Hex.hex(first)).isEqualTo("90f09234070500"); // first packet keeps its values
            r.switchSource();
            assertThat(r.rewrite(second, 0, second.readableBytes())).isNotEqualTo(Vp8Rewriter.MALFORMED);
            // pid 0x1235, TL0PICIDX 8, TID 2 Y=1 kept with KEYIDX 6
            assertThat(Hex.hex(second)).isEqualTo("90f0923508a601");
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void simulcastSwitchesKeepAllCountersContinuous() {
        Vp8Rewriter r = new Vp8Rewriter();
        List<int[]> out = new ArrayList<>();
        // Source A: 3 frames of 2 packets each, pids near the 15-bit wrap.
        for (int f = 0; f < 3; f++) {
            for (int p = 0; p < 2; p++) {
                out.add(forward(r, payload(p == 0, (32766 + f) & 0x7FFF, 250 + f, 0, false, 3)));
            }
        }
        r.switchSource();
        for (int f = 0; f < 3; f++) {
            out.add(forward(r, payload(true, 100 + f, 9 + f, 0, false, f == 0 ? 20 : 20)));
        }
        r.switchSource();
        out.add(forward(r, payload(true, 5000, 0, 0, false, 31)));
        // pid, tl0, keyidx per forwarded packet
        assertThat(out).containsExactly(
                new int[] {32766, 250, 3}, new int[] {32766, 250, 3},
                new int[] {32767, 251, 3}, new int[] {32767, 251, 3},
                new int[] {0, 252, 3}, new int[] {0, 252, 3},
                new int[] {1, 253, 4}, new int[] {2, 254, 4}, new int[] {3, 255, 4},
                new int[] {4, 0, 5});
    }

    @Test
    void temporalThinningClosesPictureIdHoles() {
        // L1T3 pattern 0 2 1 2 0 2 1 2, dropping TID 2: output pids are consecutive, TL0PICIDX untouched.
        Vp8Rewriter r = new Vp8Rewriter();
        int[] tids = {0, 2, 1, 2, 0, 2, 1, 2, 0};
        List<Integer> pids = new ArrayList<>();
        List<Integer> tl0s = new ArrayList<>();
        int tl0 = 40;
        for (int f = 0; f < tids.length; f++) {
            if (tids[f] == 0 && f > 0) {
                tl0++;
            }
            for (int p = 0; p < 2; p++) { // two packets per frame
                ByteBuf b = payload(p == 0, 700 + f, tl0, tids[f], tids[f] == 1, 0);
                try {
                    if (tids[f] == 2) {
                        r.drop(b, 0, b.readableBytes());
                    } else {
                        assertThat(r.rewrite(b, 0, b.readableBytes())).isNotEqualTo(Vp8Rewriter.MALFORMED);
                        if (p == 0) {
                            pids.add(Vp8Payload.pictureId(b, 0, b.readableBytes()));
                            tl0s.add(Vp8Payload.tl0PicIdx(b, 0, b.readableBytes()));
                        }
                    }
                } finally {
                    b.release();
                }
            }
        }
        assertThat(pids).containsExactly(700, 701, 702, 703, 704);
        assertThat(tl0s).containsExactly(40, 40, 41, 41, 42);
    }

    @Test
    void sevenBitPictureIdsStayContinuousModulo128() {
        Vp8Rewriter r = new Vp8Rewriter();
        List<Integer> out = new ArrayList<>();
        int[] in = {126, 127, 0, 1};
        for (int v : in) {
            ByteBuf b = Unpooled.wrappedBuffer(new byte[] {(byte) 0x90, (byte) 0x80, (byte) v, 0x00});
            r.rewrite(b, 0, 4);
            out.add((int) b.getUnsignedByte(2));
            b.release();
        }
        r.switchSource();
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {(byte) 0x90, (byte) 0x80, 0x40, 0x00});
        r.rewrite(b, 0, 4);
        out.add((int) b.getUnsignedByte(2));
        b.release();
        assertThat(out).containsExactly(126, 127, 0, 1, 2);
    }

    @Test
    void descriptorsWithoutCountersAndMalformedOnesAreLeftAlone() {
        Vp8Rewriter r = new Vp8Rewriter();
        ByteBuf minimal = Hex.buf("10 00");              // no X: nothing to rewrite
        ByteBuf truncated = Hex.buf("90 f0 92");         // I with M=1 but the second pid byte missing
        try {
            assertThat(r.rewrite(minimal, 0, 2)).isNotEqualTo(Vp8Rewriter.MALFORMED);
            assertThat(Hex.hex(minimal)).isEqualTo("1000");
            assertThat(r.rewrite(truncated, 0, 3)).isEqualTo(Vp8Rewriter.MALFORMED);
            assertThat(Hex.hex(truncated)).isEqualTo("90f092");
            r.drop(truncated, 0, 3); // ignored
            assertThat(r.lastPictureId()).isEqualTo(-1);
        } finally {
            minimal.release();
            truncated.release();
        }
    }

    /**
     * The rewriter returns the values it wrote, so a consumer logging them for retransmissions does not read the
     * descriptor again: every row's result equals what {@link Vp8Payload} reads back from the rewritten bytes.
     */
    @Test
    void returnsExactlyWhatItWrote() {
        String[] rows = {
            "90 f0 92 34 07 05 00",  // 15-bit picture id, TL0PICIDX, KEYIDX
            "90 80 7e 00",           // 7-bit picture id 126 only
            "90 40 2a 00",           // TL0PICIDX 42 only
            "90 10 0b 00",           // KEYIDX 11 only (K without T)
            "90 20 40 00",           // TID only: no counter
            "10 00",                 // no X: no counter at all
        };
        for (String row : rows) {
            Vp8Rewriter r = new Vp8Rewriter();
            ByteBuf b = Hex.buf(row);
            try {
                int n = b.readableBytes();
                long written = r.rewrite(b, 0, n);
                assertThat(written).as(row).isNotEqualTo(Vp8Rewriter.MALFORMED);
                assertThat(new int[] {Vp8Rewriter.pictureId(written), Vp8Rewriter.tl0PicIdx(written),
                        Vp8Rewriter.keyIdx(written)}).as(row).containsExactly(Vp8Payload.pictureId(b, 0, n),
                        Vp8Payload.tl0PicIdx(b, 0, n), Vp8Payload.keyIdx(b, 0, n));
            } finally {
                b.release();
            }
        }
        // After a switch the values move on: still what the packet carries.
        Vp8Rewriter r = new Vp8Rewriter();
        ByteBuf a = payload(true, 0x7fff, 255, 0, false, 31);
        ByteBuf c = payload(true, 5, 9, 0, false, 2);
        try {
            r.rewrite(a, 0, 7);
            r.switchSource();
            long written = r.rewrite(c, 0, 7);
            assertThat(new int[] {Vp8Rewriter.pictureId(written), Vp8Rewriter.tl0PicIdx(written),
                    Vp8Rewriter.keyIdx(written)}).containsExactly(0, 0, 0); // each wrapped past its maximum
        } finally {
            a.release();
            c.release();
        }
    }

    @Test
    void rewriteAndDropAllocateNothing() {
        Vp8Rewriter r = new Vp8Rewriter();
        ByteBuf b = payload(true, 1, 1, 0, false, 1);
        int[] pid = {0};
        double bytes = Allocations.bytesPerRun(100_000, () -> {
            int v = pid[0]++ & 0x7FFF;
            b.setShort(2, 0x8000 | v);
            if ((v & 3) == 3) {
                r.drop(b, 0, 7);
            } else {
                r.rewrite(b, 0, 7);
            }
        });
        b.release();
        assertThat(bytes).isLessThan(0.1);
    }

    private static int[] forward(Vp8Rewriter r, ByteBuf b) {
        try {
            assertThat(r.rewrite(b, 0, b.readableBytes())).isNotEqualTo(Vp8Rewriter.MALFORMED);
            return new int[] {Vp8Payload.pictureId(b, 0, 7), Vp8Payload.tl0PicIdx(b, 0, 7), Vp8Payload.keyIdx(b, 0, 7)};
        } finally {
            b.release();
        }
    }
}
