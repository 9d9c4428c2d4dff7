package dev.prism.rtp.packet;

/**
 * Hand-made, Chrome-shaped RTP packets shared by the packet tests, as commented hex. Packets really captured from
 * Chromium are in {@link ChromiumRtp}.
 */
final class RtpSamples {
    private RtpSamples() {
    }

    /** Chrome video extmap ids: 2 abs-send-time, 4 transport-cc, 9 mid. */
    static final String VP8 = """
            90 e0 1a 2b              // V=2 P=0 X=1 CC=0 | M=1 PT=96 | seq=0x1a2b (6699)
            00 0b 5f 40              // timestamp=745280
            6a 3d 0f 11              // SSRC=0x6a3d0f11
            be de 00 03              // one-byte extensions (0xBEDE), 3 words
            22 12 34 56              // id=2 L=3: abs-send-time 0x123456
            41 00 2a                 // id=4 L=2: transport-cc seq 42
            90 30                    // id=9 L=1: mid "0"
            00 00 00                 // padding to the word boundary
            90 80 80 01              // VP8 descriptor: X=1 S=1 PID=0 | I=1 | 15-bit picture id 1
            10 02 00 9d 01 2a 80 02 e0 01   // VP8 key frame header: start code 9d 01 2a, 640x480
            """;

    /** Chrome audio extmap ids: 1 ssrc-audio-level, 3 transport-cc. */
    static final String OPUS = """
            90 6f 03 e8              // V=2 P=0 X=1 CC=0 | M=0 PT=111 | seq=1000
            00 00 3c 00              // timestamp=15360
            11 22 33 44              // SSRC=0x11223344
            be de 00 02              // one-byte extensions, 2 words
            10 ba                    // id=1 L=1: audio level V=1 level=58 (-58 dBov)
            31 00 2b                 // id=3 L=2: transport-cc seq 43
            00 00 00                 // padding to the word boundary
            78 0b e4 c1 36 ec c5 8d  // Opus TOC 0x78 + frame bytes
            """;

    /** A mixer's packet: two contributing sources. */
    static final String CSRC = """
            82 60 00 05              // V=2 P=0 X=0 CC=2 | M=0 PT=96 | seq=5
            00 00 00 64              // timestamp=100
            00 00 00 01              // SSRC=1
            00 00 00 0a              // CSRC 10
            00 00 00 0b              // CSRC 11
            de ad be ef              // payload
            """;

    static final String PADDED = """
            a0 60 00 06              // V=2 P=1 X=0 CC=0 | M=0 PT=96 | seq=6
            00 00 00 64              // timestamp=100
            00 00 00 01              // SSRC=1
            ca fe                    // payload
            00 00 00 04              // padding, last byte = count 4 (includes itself)
            """;

    /** A bandwidth probe: transport-cc extension, no payload, all padding. */
    static final String PADDING_ONLY = """
            b0 60 1a 2c              // V=2 P=1 X=1 CC=0 | M=0 PT=96 | seq=6700
            00 0b 5f 40              // timestamp=745280
            6a 3d 0f 11              // SSRC
            be de 00 01              // one-byte extensions, 1 word
            41 00 2b 00              // id=4 L=2: transport-cc seq 43 | padding
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 10   // 16 bytes of padding, count 16
            """;

    static final String TWO_BYTE = """
            90 60 00 07              // V=2 P=0 X=1 CC=0 | M=0 PT=96 | seq=7
            00 00 00 c8              // timestamp=200
            00 00 00 01              // SSRC=1
            10 00 00 03              // two-byte extensions (0x1000, appbits 0), 3 words
            05 00                    // id=5 L=0: empty element
            11 03 aa bb cc           // id=17 L=3
            00                       // padding byte between elements
            16 02 01 02              // id=22 L=2
            f0 0d                    // payload
            """;

    /** CSRCs, a one-byte extension block and padding all at once. */
    static final String CSRC_EXT_PADDED = """
            b1 e0 ff ff              // V=2 P=1 X=1 CC=1 | M=1 PT=96 | seq=65535
            ff ff ff ff              // timestamp=4294967295
            00 00 00 01              // SSRC=1
            00 00 00 0a              // CSRC 10
            be de 00 01              // one-byte extensions, 1 word
            22 01 02 03              // id=2 L=3
            aa bb cc                 // payload
            00 02                    // padding, count 2
            """;
}
