package dev.prism.rtp.router.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class AudioLevelMeterTest {
    /** An Opus packet as Chrome sends it: one-byte extensions, ssrc-audio-level id 1 and transport-cc id 3. */
    private static ByteBuf opus(int levelByte) {
        return Unpooled.wrappedBuffer(new byte[] {
                (byte) 0x90, 111, 0x12, 0x34,           // V=2 X=1, PT 111, seq 0x1234
                0, 0, 0x03, (byte) 0xC0,                // timestamp 960
                0x11, 0x22, 0x33, 0x44,                 // SSRC
                (byte) 0xBE, (byte) 0xDE, 0, 2,         // one-byte extensions, 2 words
                0x10, (byte) levelByte,                 // id 1 len 1: V bit + level (-dBov)
                0x31, 0x00, 0x05,                       // id 3 len 2: transport-wide seq 5
                0,                                      // padding
                (byte) 0xFC, (byte) 0xFF, (byte) 0xFE}); // Opus TOC + payload
    }

    private static RtpPacket view(ByteBuf b) {
        RtpPacket p = new RtpPacket();
        p.wrap(b);
        return p;
    }

    @Test
    void readsLevelWithAndWithoutTheVoiceActivityBit() {
        AudioLevelMeter m = new AudioLevelMeter(1);
        int[][] rows = { // level byte, level read, loudness added
                {0x80 | 30, 30, 40},   // V=1, -30 dBov: speech
                {30, 30, 40},          // V=0, same level
                {0x7F, 127, 0},        // silence
                {70, 70, 0},           // at the noise floor
                {0, 0, 70},            // 0 dBov
        };
        long sum = 0;
        for (int i = 0; i < rows.length; i++) {
            assertEquals(rows[i][1], m.onPacket(view(opus(rows[i][0])), 1000L * i), "row " + i);
            assertEquals(rows[i][1], m.lastLevel());
            assertEquals(1000L * i, m.lastLevelNanos());
            sum += rows[i][2];
        }
        assertEquals(rows.length, m.intervalPackets());
        long interval = m.takeInterval();
        assertEquals(rows.length, AudioLevelMeter.packets(interval));
        assertEquals(sum, AudioLevelMeter.loudnessSum(interval));
        assertEquals(0, m.intervalPackets());
        assertEquals(0, AudioLevelMeter.packets(m.takeInterval()), "a DTX gap: nothing, not loss");
    }

    @Test
    void packetWithoutTheElementLeavesTheLevel() {
        AudioLevelMeter m = new AudioLevelMeter(2); // negotiated id 2: the packet only carries ids 1 and 3
        assertEquals(-1, m.onPacket(view(opus(20)), 5));
        assertEquals(AudioLevelMeter.SILENT, m.lastLevel());
        assertEquals(Long.MIN_VALUE, m.lastLevelNanos());
        assertEquals(0, m.intervalPackets());
        ByteBuf plain = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 111, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 9});
        assertEquals(-1, new AudioLevelMeter(1).onPacket(view(plain), 5));
    }

    @Test
    void refusesAnIdOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new AudioLevelMeter(0));
        assertThrows(IllegalArgumentException.class, () -> new AudioLevelMeter(256));
    }
}
