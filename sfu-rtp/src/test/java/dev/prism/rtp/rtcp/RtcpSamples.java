package dev.prism.rtp.rtcp;

/**
 * Hand-made, Chrome-shaped RTCP packets shared by the rtcp tests, as commented hex. Packets really captured from
 * Chromium are in {@link ChromiumRtcp}.
 */
final class RtcpSamples {
    private RtcpSamples() {
    }

    static final String RR = """
            81 c9 00 07              // V=2 P=0 RC=1 | PT=201 RR | length=7 (32 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            6a 3d 0f 11              // block: SSRC of source
            02 00 00 05              // fraction lost 2/256 | cumulative lost 5
            00 01 1a 2b              // extended highest seq: 1 cycle, seq 0x1a2b
            00 00 00 0c              // jitter 12
            5b 1f 3a 00              // LSR
            00 00 a4 10              // DLSR 0xa410 / 65536 s
            """;

    static final String SDES_CNAME = """
            81 ca 00 06              // V=2 P=0 SC=1 | PT=202 SDES | length=6 (28 bytes)
            4e 2a 1c 3d              // chunk SSRC
            01 10                    // CNAME, 16 bytes
            71 32 55 79 38 68 4c 37 73 44 33 66 4b 31 70 5a   // "q2Uy8hL7sD3fK1pZ"
            00 00                    // end of list + padding to the word boundary
            """;

    /** What Chrome sends as a receive-only peer: RR + SDES(CNAME). */
    static final String COMPOUND_RR_SDES = RR + SDES_CNAME;

    static final String SR = """
            80 c8 00 06              // V=2 P=0 RC=0 | PT=200 SR | length=6 (28 bytes)
            6a 3d 0f 11              // SSRC of sender
            e9 a4 7c 41              // NTP timestamp, seconds
            8d 2f 1a 00              // NTP timestamp, fraction
            00 0b 5f 40              // RTP timestamp 745280
            00 00 01 2c              // sender's packet count 300
            00 04 b0 00              // sender's octet count 307200
            """;

    static final String SDES_CNAME_2 = """
            81 ca 00 06              // V=2 P=0 SC=1 | PT=202 SDES | length=6
            6a 3d 0f 11              // chunk SSRC
            01 10                    // CNAME, 16 bytes
            58 6b 33 70 39 51 7a 52 37 6d 57 32 76 42 34 6e   // "Xk3p9QzR7mW2vB4n"
            00 00                    // end of list + padding
            """;

    /** What Chrome sends while sending media: SR + SDES(CNAME). */
    static final String COMPOUND_SR_SDES = SR + SDES_CNAME_2;

    static final String SR_TWO_BLOCKS = """
            82 c8 00 12              // V=2 P=0 RC=2 | PT=200 SR | length=18 (76 bytes)
            6a 3d 0f 11              // SSRC of sender
            e9 a4 7c 41 8d 2f 1a 00  // NTP timestamp
            00 0b 5f 40              // RTP timestamp
            00 00 01 2c              // packet count
            00 04 b0 00              // octet count
            11 22 33 44              // block 1: SSRC
            00 ff ff ff              // fraction 0 | cumulative lost -1 (duplicates)
            00 00 03 e8              // extended highest seq 1000
            00 00 00 00              // jitter
            00 00 00 00              // LSR: no SR yet
            00 00 00 00              // DLSR
            55 66 77 88              // block 2: SSRC
            ff 7f ff ff              // fraction 255 | cumulative lost 8388607 (max)
            ff ff ff ff              // extended highest seq
            00 00 01 00              // jitter 256
            7c 41 8d 2f              // LSR
            00 01 00 00              // DLSR 1 s
            """;

    static final String SDES_TWO_CHUNKS = """
            82 ca 00 07              // V=2 P=0 SC=2 | PT=202 SDES | length=7 (32 bytes)
            00 00 00 01              // chunk 1 SSRC
            01 02 61 62              // CNAME "ab"
            00 00 00 00              // end of list: items ended on a boundary, so a whole word of nulls
            00 00 00 02              // chunk 2 SSRC
            01 01 78                 // CNAME "x"
            06 05 50 72 69 73 6d     // TOOL "Prism"
            00 00                    // end of list + padding
            """;

    static final String REMB = """
            8f ce 00 05              // V=2 P=0 FMT=15 | PT=206 PSFB | length=5 (24 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            00 00 00 00              // SSRC of media source: 0
            52 45 4d 42              // "REMB"
            01 0b d4 8c              // num SSRC=1 | exp=2, mantissa=251020: 1004080 bps
            6a 3d 0f 11              // SSRC feedback
            """;

    static final String NACK = """
            81 cd 00 03              // V=2 P=0 FMT=1 | PT=205 RTPFB | length=3 (16 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            6a 3d 0f 11              // SSRC of media source
            1a 2b 00 05              // PID=6699 | BLP bits 0, 2: 6700, 6702 lost too
            """;

    static final String NACK_WRAP = """
            81 cd 00 04              // V=2 P=0 FMT=1 | PT=205 RTPFB | length=4 (20 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            6a 3d 0f 11              // SSRC of media source
            ff fe 80 01              // PID=65534 | BLP bits 0, 15: 65535 and 14 (across the wrap)
            00 1e 00 00              // PID=30 | BLP none
            """;

    static final String PLI = """
            81 ce 00 02              // V=2 P=0 FMT=1 | PT=206 PSFB | length=2 (12 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            6a 3d 0f 11              // SSRC of media source
            """;

    static final String FIR = """
            84 ce 00 04              // V=2 P=0 FMT=4 | PT=206 PSFB | length=4 (20 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            00 00 00 00              // SSRC of media source: unused, 0
            6a 3d 0f 11              // FCI: SSRC
            07 00 00 00              // seq nr 7 | reserved
            """;

    static final String BYE = """
            81 cb 00 01              // V=2 P=0 SC=1 | PT=203 BYE | length=1 (8 bytes)
            6a 3d 0f 11              // SSRC
            """;

    static final String BYE_REASON = """
            82 cb 00 05              // V=2 P=0 SC=2 | PT=203 BYE | length=5 (24 bytes)
            6a 3d 0f 11              // SSRC
            11 22 33 44              // SSRC
            08 73 68 75 74 64 6f 77 6e   // reason length 8, "shutdown"
            00 00 00                 // padding to the word boundary
            """;

    /** Both chunk kinds (run length, 1-bit and 2-bit vectors), small and large deltas, Chrome's P-bit padding. */
    static final String TCC = """
            af cd 00 0b              // V=2 P=1 FMT=15 | PT=205 RTPFB | length=11 (48 bytes)
            4e 2a 1c 3d              // SSRC of packet sender
            6a 3d 0f 11              // SSRC of media source
            00 64 00 18              // base seq 100 | packet status count 24
            01 a2 b3 05              // reference time 0x01a2b3 x 64 ms | fb pkt count 5
            d4 95                    // 2-bit vector: R R L B R R R (seq 100..106; B = large delta)
            20 0d                    // run length: 13 x small delta (seq 107..119)
            84 00                    // 1-bit vector: L L L R (seq 120..123), 10 unused slots
            04 10                    // deltas: 100 +1 ms, 101 +4 ms
            ff 9c                    // 103: large delta -100 (-25 ms)
            50 08 0c                 // 104..106
            05 06 04 08 0a 05 05 06 07 04 05 06 05   // 107..119
            20                       // 123
            01                       // padding, count 1
            """;
}
