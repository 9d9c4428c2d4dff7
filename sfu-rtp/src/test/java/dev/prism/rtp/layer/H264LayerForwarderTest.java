package dev.prism.rtp.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.codec.H264Payload;
import dev.prism.rtp.packet.CaptureFile;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.packet.SeqNum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * H.264 simulcast through {@link LayerForwarder}: two encodings made of payloads Chromium 156 sent (key frame = the
 * SPS/PPS STAP-A then the IDR's FU-A fragments; delta frame = FU-A fragments of a slice), each with its own sequence
 * numbers, timestamps and SSRC. Switches must land on the target layer's SPS/PPS packet, the output must stay one
 * continuous stream, and the payload must pass untouched (H.264 has no picture id to rewrite).
 */
class H264LayerForwarderTest {
    private static final Map<String, byte[]> DUMP = CaptureFile.packets("/captures/chromium-156-h264-packets.txt");
    private static final byte[][] KEY_FRAME = payloads("STAP-A 7,8 #1", "FU-A start 5 #1", "FU-A middle 5 #1",
            "FU-A middle 5 #2", "FU-A end 5 marker #1");
    private static final byte[][] DELTA_FRAME = payloads("FU-A start 1 #1", "FU-A middle 1 #1",
            "FU-A end 1 marker #1");

    private final FakeClock clock = new FakeClock();
    private final LayerForwarder forwarder =
            new LayerForwarder(clock, LayerSelector.Config.of(2), 65_533, 90_000, false); // output wraps early
    private final int[] seq = {65_000, 7};
    private final long[] ts = {0xFFFF_F000L, 1_000};
    private final boolean[] keyframeWanted = {true, true};
    private final List<Out> out = new ArrayList<>();

    record Out(int seq, long ts, int layer, int inSeq, byte[] payload, boolean keyframeStart) {
    }

    @Test
    void switchesOnTheTargetLayersKeyFrameAndKeepsOneStream() {
        forwarder.selector().setTarget(0, LayerSelector.ALL_TEMPORAL);
        run(10);
        assertThat(out.get(0).payload).isEqualTo(KEY_FRAME[0]); // starts on layer 0's SPS/PPS, not its IDR fragment
        assertThat(out).allMatch(o -> o.layer == 0);

        keyframeWanted[1] = false;                       // layer 1's first key frame is long gone
        forwarder.selector().setTarget(1, LayerSelector.ALL_TEMPORAL);
        run(3);
        assertThat(out.get(out.size() - 1).layer).isZero(); // layer 0 keeps flowing until layer 1's key frame
        int before = out.size();
        keyframeWanted[1] = true;                        // the publisher answers the PLI
        run(5);
        Out first = out.stream().skip(before).filter(o -> o.layer == 1).findFirst().orElseThrow();
        assertThat(first.payload).isEqualTo(KEY_FRAME[0]);
        assertThat(first.keyframeStart).isTrue();

        forwarder.selector().setTarget(0, LayerSelector.ALL_TEMPORAL);
        keyframeWanted[0] = true;
        run(5);
        assertThat(out.get(out.size() - 1).layer).isZero();
        assertContinuous();
    }

    @Test
    void aKeyFrameWithoutParameterSetsStartsAtTheIdr() {
        forwarder.selector().setTarget(0, LayerSelector.ALL_TEMPORAL);
        forward(packet(0, KEY_FRAME[1], false), 0); // the IDR's first fragment, no STAP-A before it
        assertThat(out).hasSize(1);
        assertThat(out.get(0).payload).isEqualTo(KEY_FRAME[1]);
        forward(packet(0, DELTA_FRAME[1], false), 0);
        assertThat(out).hasSize(2);
    }

    @Test
    void neverStartsOnADeltaFrameOrAFragment() {
        forwarder.selector().setTarget(0, LayerSelector.ALL_TEMPORAL);
        for (byte[] p : new byte[][] {DELTA_FRAME[0], DELTA_FRAME[1], DELTA_FRAME[2], KEY_FRAME[2], KEY_FRAME[4]}) {
            LayerDecision d = forward(packet(0, p, false), 0);
            assertThat(d.forwarded()).isFalse();
            assertThat(d.reason()).isEqualTo(LayerDropReason.WAITING_FOR_KEYFRAME);
        }
        assertThat(out).isEmpty();
    }

    private void assertContinuous() {
        for (int i = 1; i < out.size(); i++) {
            Out prev = out.get(i - 1);
            Out o = out.get(i);
            String at = "packet " + i + " " + o + " after " + prev;
            assertThat(o.seq).as(at).isEqualTo(SeqNum.add(prev.seq, 1));
            assertThat((int) (o.ts - prev.ts)).as(at).isGreaterThanOrEqualTo(0);
            if (o.layer != prev.layer) {
                assertThat(o.payload).as("switch " + at).isEqualTo(KEY_FRAME[0]);
            }
        }
    }

    /** {@code frames} intervals of 33 ms; both layers send a frame in each (a key frame when one is wanted). */
    private void run(int frames) {
        for (int f = 0; f < frames; f++) {
            for (int layer = 0; layer < 2; layer++) {
                byte[][] frame = keyframeWanted[layer] ? KEY_FRAME : DELTA_FRAME;
                keyframeWanted[layer] = false;
                for (int i = 0; i < frame.length; i++) {
                    forward(packet(layer, frame[i], i == frame.length - 1), layer);
                }
                ts[layer] += 3000;
            }
            clock.advanceMillis(33);
        }
    }

    private ByteBuf packet(int layer, byte[] payload, boolean marker) {
        ByteBuf b = Unpooled.buffer(12 + payload.length);
        b.writeByte(0x80).writeByte((marker ? 0x80 : 0) | 108).writeShort(seq[layer]).writeInt((int) ts[layer])
                .writeInt(0x1000 + layer).writeBytes(payload);
        seq[layer] = (seq[layer] + 1) & 0xFFFF;
        return b;
    }

    private LayerDecision forward(ByteBuf in, int layer) {
        RtpPacket packet = new RtpPacket();
        try {
            assertThat(packet.wrap(in)).isTrue();
            LayerDecision d = forwarder.onPacket(packet, layer);
            // Key frame requests are answered when the test says so (keyframeWanted).
            if (!d.forwarded()) {
                return d;
            }
            ByteBuf copy = Unpooled.buffer(packet.length() + 32);
            try {
                assertThat(packet.copyRewritten(copy, 1234, forwarder.outSequence(), forwarder.outTimestamp(), 96,
                        null)).isPositive();
                RtpPacket o = new RtpPacket();
                assertThat(o.wrap(copy)).isTrue();
                assertThat(forwarder.rewritePayload(copy, o.payloadOffset(), o.payloadLength()))
                        .isEqualTo(LayerForwarder.NOTHING_WRITTEN);
                byte[] payload = new byte[o.payloadLength()];
                copy.getBytes(o.payloadOffset(), payload);
                out.add(new Out(o.sequenceNumber(), o.timestamp(), layer, packet.sequenceNumber(), payload,
                        H264Payload.isKeyframeStart(copy, o.payloadOffset(), o.payloadLength())));
            } finally {
                copy.release();
            }
            return d;
        } finally {
            in.release();
        }
    }

    private static byte[][] payloads(String... labels) {
        byte[][] out = new byte[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            byte[] packet = DUMP.get("pub RTP H264 " + labels[i]);
            RtpPacket p = new RtpPacket();
            ByteBuf b = Unpooled.wrappedBuffer(packet);
            assertThat(p.wrap(b)).isTrue();
            out[i] = Arrays.copyOfRange(packet, p.payloadOffset(), p.payloadOffset() + p.payloadLength());
        }
        return out;
    }
}
