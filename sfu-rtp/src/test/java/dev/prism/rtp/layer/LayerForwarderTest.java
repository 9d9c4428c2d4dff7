package dev.prism.rtp.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A simulated three-layer VP8 simulcast publisher (L1T3 on each layer) through {@link LayerForwarder}, the way a
 * consumer will drive it: the single output stream must stay continuous across every switch, thinning and pause.
 */
class LayerForwarderTest {
    /** Temporal ids of the L1T3 pattern, and which frames carry the layer sync bit. */
    private static final int[] TIDS = {0, 2, 1, 2};
    private static final boolean[] SYNC = {false, true, true, false};
    private static final int[] PACKETS_PER_FRAME = {1, 2, 3};

    private final FakeClock clock = new FakeClock();
    private final Publisher publisher = new Publisher();
    private final LayerForwarder forwarder =
            new LayerForwarder(clock, LayerSelector.Config.of(3), 65_530, 90_000); // output wraps early
    private final List<Out> out = new ArrayList<>();
    private int keyframeRequests;

    record Out(int seq, long ts, int pictureId, int tl0, boolean keyframeStart, boolean frameStart, int layer,
               int tid) {
    }

    @Test
    void outputStaysContinuousAcrossSwitchesThinningAndPause() {
        forwarder.selector().setTarget(2, 3);
        run(30);                                   // start: climbs to layer 2 on the first key frames
        assertThat(forwarder.selector().currentSpatial()).isEqualTo(2);
        forwarder.selector().setTarget(0, 0);      // estimate collapsed
        run(30);
        assertThat(forwarder.selector().currentSpatial()).isEqualTo(0);
        assertThat(forwarder.selector().currentTemporal()).isEqualTo(0);
        forwarder.selector().setTarget(1, 3);      // recovered
        run(30);
        forwarder.selector().setTarget(-1, 0);     // nothing fits
        run(10);
        int beforeResume = out.size();
        run(10);
        assertThat(out).hasSize(beforeResume);     // paused: nothing flows
        forwarder.selector().setTarget(2, 1);
        run(40);
        assertThat(forwarder.selector().currentSpatial()).isEqualTo(2);
        assertThat(forwarder.selector().currentTemporal()).isEqualTo(1);

        assertContinuous();
        // Four switches that needed a key frame (down, up, resume, up); one request each, the answers come in a frame.
        assertThat(keyframeRequests).isBetween(3, 6);
        assertThat(out.stream().filter(o -> o.layer == 0 && o.tid > 0 && o.seq > 0)).isNotEmpty();
    }

    @Test
    void lateKeyFrameKeepsTheOldLayerFlowingUntilTheSwitch() {
        forwarder.selector().setTarget(0, 3);
        run(10);
        publisher.ignoreKeyframeRequests = true;   // the PLI is lost
        forwarder.selector().setTarget(2, 3);
        run(40);                                   // 1.3 s: one retry happened
        assertThat(forwarder.selector().currentSpatial()).isEqualTo(0);
        assertThat(keyframeRequests).isEqualTo(2);
        publisher.ignoreKeyframeRequests = false;
        run(40);
        assertThat(forwarder.selector().currentSpatial()).isEqualTo(2);
        assertContinuous();
    }

    @Test
    void forwardingAllocatesNothing() {
        forwarder.selector().setTarget(0, 1);
        ByteBuf in = publisher.frame(0).get(0);             // a key frame on layer 0, 1 packet
        RtpPacket packet = new RtpPacket();
        packet.wrap(in);
        ByteBuf copy = Unpooled.buffer(64);
        int[] n = {0};
        double bytes = dev.prism.rtp.testutil.Allocations.bytesPerRun(100_000, () -> {
            int i = n[0]++;
            in.setShort(2, i);                                // sequence number
            in.setInt(4, i * 3000);                           // timestamp
            in.setShort(14, 0x8000 | (i & 0x7FFF));           // picture id
            in.setByte(17, (i % 4 == 1 ? 0x80 : 0x00) | (i % 4 == 2 ? 0x40 : 0)); // TID 0 2 1 0
            in.setByte(18, i % 100 == 0 ? 0x00 : 0x01);       // a key frame now and then
            LayerDecision d = forwarder.onPacket(packet, 0);
            if (d.forwarded()) {
                copy.clear();
                packet.copyRewritten(copy, 1, forwarder.outSequence(), forwarder.outTimestamp(), 96, null);
                forwarder.rewritePayload(copy, 12, packet.payloadLength());
            }
        });
        in.release();
        copy.release();
        assertThat(bytes).isLessThan(0.1);
    }

    private void assertContinuous() {
        assertThat(out).isNotEmpty();
        Out prev = out.get(0);
        assertThat(prev.keyframeStart).isTrue();
        for (int i = 1; i < out.size(); i++) {
            Out o = out.get(i);
            String at = "packet " + i + " " + o + " after " + prev;
            assertThat(o.seq).as(at).isEqualTo(SeqNum.add(prev.seq, 1));
            assertThat((int) (o.ts - prev.ts)).as(at).isGreaterThanOrEqualTo(0);
            if (o.layer != prev.layer) {
                assertThat(o.keyframeStart).as("switch " + at).isTrue();
            }
            if (o.frameStart) {
                assertThat(o.pictureId).as(at).isEqualTo((prev.pictureId + 1) & 0x7FFF);
                assertThat((o.tl0 - prev.tl0) & 0xFF).as(at).isIn(0, 1);
                assertThat((int) (o.ts - prev.ts)).as(at).isPositive();
            } else {
                assertThat(o.pictureId).as(at).isEqualTo(prev.pictureId);
                assertThat(o.ts).as(at).isEqualTo(prev.ts);
            }
            prev = o;
        }
    }

    /** {@code frames} frame intervals of 33 ms; every layer sends one frame per interval. */
    private void run(int frames) {
        for (int f = 0; f < frames; f++) {
            for (int layer = 0; layer < 3; layer++) {
                for (ByteBuf b : publisher.frame(layer)) {
                    forward(b, layer);
                }
            }
            clock.advanceMillis(33);
        }
    }

    private void forward(ByteBuf in, int layer) {
        RtpPacket packet = new RtpPacket();
        try {
            assertThat(packet.wrap(in)).isTrue();
            LayerDecision d = forwarder.onPacket(packet, layer);
            if (d.requestKeyframe()) {
                keyframeRequests++;
                publisher.requestKeyframe(forwarder.selector().keyframeLayer());
            }
            if (!d.forwarded()) {
                return;
            }
            ByteBuf copy = Unpooled.buffer(packet.length() + 32);
            try {
                assertThat(packet.copyRewritten(copy, 1234, forwarder.outSequence(), forwarder.outTimestamp(), 96,
                        null)).isPositive();
                RtpPacket o = new RtpPacket();
                assertThat(o.wrap(copy)).isTrue();
                assertThat(forwarder.rewritePayload(copy, o.payloadOffset(), o.payloadLength()))
                        .isNotEqualTo(dev.prism.rtp.codec.Vp8Rewriter.MALFORMED);
                ByteBuf p = copy;
                int po = o.payloadOffset();
                int pl = o.payloadLength();
                out.add(new Out(o.sequenceNumber(), o.timestamp(), Vp8Payload.pictureId(p, po, pl),
                        Vp8Payload.tl0PicIdx(p, po, pl), Vp8Payload.isKeyframeStart(p, po, pl),
                        Vp8Payload.isFrameStart(p, po, pl), layer, Vp8Payload.temporalId(p, po, pl)));
            } finally {
                copy.release();
            }
        } finally {
            in.release();
        }
    }

    /** Three independent VP8 encodings, each with its own sequence, timestamp and picture id spaces near their wraps. */
    private static final class Publisher {
        final int[] seq = {65_000, 100, 30_000};
        final long[] ts = {0xFFFF_0000L, 5_000, 1_000_000_000L};
        final int[] pid = {32_700, 10, 20_000};
        final int[] tl0 = {250, 0, 100};
        final int[] frameIndex = new int[3];
        final boolean[] keyframeWanted = {true, true, true};
        boolean ignoreKeyframeRequests;

        void requestKeyframe(int layer) {
            if (!ignoreKeyframeRequests) {
                keyframeWanted[layer] = true;
            }
        }

        List<ByteBuf> frame(int layer) {
            boolean key = keyframeWanted[layer];
            keyframeWanted[layer] = false;
            if (key) {
                frameIndex[layer] = 0;
            }
            int k = frameIndex[layer]++ % TIDS.length;
            int tid = TIDS[k];
            if (tid == 0 && !key) {
                tl0[layer] = (tl0[layer] + 1) & 0xFF;
            }
            List<ByteBuf> packets = new ArrayList<>();
            int n = PACKETS_PER_FRAME[layer];
            for (int i = 0; i < n; i++) {
                ByteBuf b = Unpooled.buffer(24);
                b.writeByte(0x80);
                b.writeByte((i == n - 1 ? 0x80 : 0) | 96);
                b.writeShort(seq[layer]);
                b.writeInt((int) ts[layer]);
                b.writeInt(0x1000 + layer);
                b.writeByte(i == 0 ? 0x90 : 0x80);           // X, S on the first packet, PID 0
                b.writeByte(0xE0);                            // I L T
                b.writeShort(0x8000 | pid[layer]);
                b.writeByte(tl0[layer]);
                b.writeByte(tid << 6 | (SYNC[k] && !key ? 0x20 : 0));
                b.writeByte(key ? 0x00 : 0x01);               // VP8 header P bit
                b.writeByte(0xAB);
                seq[layer] = (seq[layer] + 1) & 0xFFFF;
                packets.add(b);
            }
            ts[layer] = (ts[layer] + 2970) & 0xFFFF_FFFFL;
            pid[layer] = (pid[layer] + 1) & 0x7FFF;
            return packets;
        }
    }
}
