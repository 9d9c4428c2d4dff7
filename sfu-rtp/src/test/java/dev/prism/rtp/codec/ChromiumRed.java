package dev.prism.rtp.codec;

import dev.prism.rtp.packet.CaptureFile;
import java.util.Arrays;
import java.util.Map;

/**
 * Opus RED packets (RFC 2198) captured from Chromium 156.0.8078.129 (headless, Debian, fake microphone) publishing to
 * Prism after Prism's answer listed {@code red/48000/2} (PT 63, fmtp 111/111) before Opus (PT 111): every packet
 * exactly as Chromium sent it, after SRTP decryption, unedited. The whole dump is {@code src/test/resources/captures/
 * chromium-156-red-packets.txt} (how: {@code CAPTURED.md} there); {@link #packet} reads it by label ("pub RTP red #1"
 * to "#3": consecutive packets; Chromium sends one redundant block, the previous packet's primary).
 */
final class ChromiumRed {
    private ChromiumRed() {
    }

    static final String DUMP = "/captures/chromium-156-red-packets.txt";

    /** Where the RED payload starts in the captured packets: 12-byte header + 16 bytes of extensions. */
    static final int PAYLOAD_OFFSET = 28;

    /**
     * The second packet: one redundant block (the first packet's 88-byte primary, 960 ticks = 20 ms earlier), then
     * an 81-byte primary. 202 bytes, the dump's "pub RTP red #2", which {@code RedPayloadTest} checks.
     */
    static final String RED_2 = """
            90 3f 31 3c              // V=2 X=1 | M=0 PT=63 (red/48000/2) | seq=12604
            c1 09 49 35              // timestamp
            a5 0b 07 84              // SSRC
            be de 00 03              // one-byte extensions, 3 words
            22 5a 91 80              // id=2 L=3: abs-send-time
            31 00 03                 // id=3 L=2: transport-cc seq 3
            40 30                    // id=4 L=1: mid "0"
            10 a4                    // id=1 L=1: audio level (V=1, level 36)
            00                       // padding to the word boundary
            ef 0f 00 58              // RED block header: F=1 PT=111 | ts offset 960 (14 bits) | length 88 (10 bits)
            6f                       // RED primary header: F=0 PT=111
            78 04 7b ef e8 72 69 9b 97 6b 3b b3 05 17 34 8f   // redundant block: the previous primary (88 bytes)
            c0 42 69 cd 85 b6 e0 a0 84 29 57 a2 34 8f e7 e2
            5c 64 d1 d0 b2 85 2f 1f 90 a9 54 9e 02 ff dd 3a
            05 ef 7c 5c 54 c2 2a 5c 44 b2 ce 50 d6 85 2e 23
            51 41 60 99 93 bf c8 c1 61 2c 8e d9 bb 9d 70 49
            7c 09 b9 dc 74 92 16 80
            78 02 45 70 64 e6 cf f4 a7 27 d8 df cc 35 02 07   // primary block: Opus (81 bytes)
            e0 13 9b d9 c8 13 ef 89 33 42 8d de 39 54 8e 7b
            e9 5f 60 a9 ad ab e7 d4 b0 71 b2 a7 80 85 80 bf
            16 8f 26 51 54 35 75 8c 93 a7 5d c0 88 5a aa 46
            cf 0f 33 1f eb 2c 74 62 a3 8f bb 90 e4 41 9c 08
            bf
            """;

    /** The packet labelled {@code label} in the dump (e.g. "pub RTP red #1"). */
    static byte[] packet(String label) {
        Map<String, byte[]> all = CaptureFile.packets(DUMP);
        byte[] b = all.get(label);
        if (b == null) {
            throw new IllegalArgumentException("no packet '" + label + "' in " + DUMP + "; labels: " + all.keySet());
        }
        return Arrays.copyOf(b, b.length);
    }
}
