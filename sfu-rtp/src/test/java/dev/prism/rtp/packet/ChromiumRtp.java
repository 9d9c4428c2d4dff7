package dev.prism.rtp.packet;

/**
 * RTP packets captured from Chromium 156.0.8078.79 (headless, Debian, fake camera and microphone), as commented hex.
 * Each is exactly what Chromium sent on its publisher connection, after SRTP decryption (AEAD_AES_128_GCM), unedited.
 *
 * <p>Captured with {@code dev.prism.server.capture.PacketCapture} (prism-server test scope); how, and the raw
 * dump these rows were copied from, are in {@code src/test/resources/captures/} ({@code CAPTURED.md} and
 * {@code chromium-156-packets.txt}, which {@code CapturedFixturesTest} checks these rows against).
 *
 * <p>Negotiated by Prism's answer to Chromium's offer: audio mid 0, Opus PT 111; video mid 1, VP8 PT 96, RTX PT 97;
 * extmap ids 1 ssrc-audio-level (audio only), 2 abs-send-time, 3 transport-wide-cc, 4 sdes:mid (video also 10/11
 * rid and repaired-rid, unused without simulcast).
 */
public final class ChromiumRtp {
    private ChromiumRtp() {
    }

    /**
     * Opus (mid 0, PT 111) with four one-byte extensions, in the order Chromium writes them: abs-send-time,
     * transport-cc, mid, audio level. 108 bytes.
     */
    public static final String OPUS = """
            90 6f 05 27              // V=2 P=0 X=1 CC=0 | M=0 PT=111 | seq=1319
            df 68 36 61              // timestamp=3748148833
            98 7f f1 dd              // SSRC=0x987ff1dd (a=ssrc:2558521821)
            be de 00 03              // one-byte extensions (0xBEDE), 3 words
            22 a6 9f 01              // id=2 L=3: abs-send-time 0xa69f01
            31 00 14                 // id=3 L=2: transport-cc seq 20
            40 30                    // id=4 L=1: mid "0"
            10 87                    // id=1 L=1: audio level V=1 level=7 (-7 dBov)
            00                       // padding to the word boundary
            78                       // Opus TOC 0x78: config 15 (hybrid, fullband, 20 ms), mono, one frame
            // Opus frame, 79 bytes
            af 6e 7e c8 78 3e 5e 66 51 da 62 39 17 9c d6 9f d7 89 de e8 b6 1c ec 5c 71 14 44 35 4f f6 fc 9a
            be 03 0c 75 b3 0f 64 01 05 30 ac a5 99 ff 8b f3 80 fd f7 ab 4d 00 42 87 ba d4 e4 ab 6c 8b 2e f8
            eb b4 14 0a 09 d4 c1 61 8b 0c 80 34 1b d9 e4
            """;

    /**
     * The first packet of a VP8 key frame (mid 1, PT 96): descriptor with a 15-bit picture id, then the frame tag
     * with P=0 and the key frame header. 1159 bytes.
     */
    public static final String VP8_KEYFRAME_START = """
            90 60 22 69              // V=2 P=0 X=1 CC=0 | M=0 PT=96 | seq=8809
            f9 67 58 3f              // timestamp=4184299583
            b9 55 00 a9              // SSRC=0xb95500a9 (a=ssrc:3109355689)
            be de 00 03              // one-byte extensions (0xBEDE), 3 words
            22 a6 ac 75              // id=2 L=3: abs-send-time 0xa6ac75
            31 00 16                 // id=3 L=2: transport-cc seq 22
            40 31                    // id=4 L=1: mid "1"
            00 00 00                 // padding to the word boundary
            90 80 83 95              // VP8 descriptor: X=1 S=1 PID=0 | I=1 | M=1 picture id 917
            d0 8f 00                 // frame tag: P=0 key frame, version 0, show, first partition 1150 bytes
            9d 01 2a                 // key frame start code 9d 01 2a
            80 02 e0 01              // width 640, height 480 (scale 0)
            // rest of the first partition
            39 21 00 0b 1c 22 16 16 22 66 12 20 3e 0c 88 0f f0 17 b8 0f e1 5b 8c 17 f6 ee f0 3e 80 7f 8c ff
            1c ff 19 c2 03 9e 8a 10 e0 0a 99 9a cc cf 5c 07 f8 0f f5 5f e0 3b ec d1 20 7f 00 7f 40 4c a1 1f
            10 ff 2c fe 19 fc 07 f9 af f0 1f 99 bd b2 fd 27 f8 9f f1 bf eb 5f d3 bd e9 fc 0f e2 bf 87 7e 28
            7e 2d fb ea 7e 03 f8 c1 f8 cd c4 37 f1 3f a2 3f 17 fc 9f fe f9 fb a7 f0 17 f4 df c2 5e d0 1f 50
            5f c4 ff 80 ff 1c fc b0 fe ff fb 77 ec 07 f8 0f d8 0e f8 2f b6 1f 01 ff 47 fc 07 fb df fa bf e0
            3f 24 9e 03 fc af f2 af f8 0f 98 1f d0 1f 80 1f d0 1f f6 bf c0 7f 61 bf 80 ff ff ff ff f3 4f f2
            3f f9 bf c0 f9 80 7f 85 ff 45 ff 61 f6 f7 f4 79 f8 b7 f7 bf e0 df be 9f c7 fd 90 7e 51 fc 2f fd
            4f f8 6f c9 3f b0 3f e4 ff c5 7f cc 7e cc 7f ee ff 6d ff ff ff ff dc 87 ff ff 60 3f a0 3e c1 df
            af ff 7f f1 d4 9e f8 ce 41 43 87 c3 8f dc 8c f4 59 cf be 61 a5 c7 ee 46 7a 29 6a 65 21 d4 e0 c5
            53 a2 f4 ba 5c 2c e7 df 30 d2 e3 f7 23 3d 16 73 ef 98 68 6e 32 e7 1f 8b 3c a4 9c fd 09 39 c2 8a
            26 e8 46 99 bd 44 10 ef a1 74 fc a5 a5 86 a0 ef 69 93 8f f9 b3 85 b0 17 2c ac c7 6b 86 d4 ef e9
            4b 0c cc 64 80 05 57 55 76 5f 15 5c c0 02 48 1e 60 b3 50 17 e8 33 6f 0d c1 6e c9 76 3f 8e 18 3b
            e6 8f c0 0c 0c c3 20 2a cf 45 9c fb cd 87 80 c9 b5 77 a6 17 57 41 89 99 73 6f c2 21 1a 26 85 07
            a9 eb 8f 32 68 06 ea c7 69 85 49 f2 73 0e d0 dd 17 98 9d 28 0d ad 34 31 4b 97 29 a9 08 35 cc 77
            5c b8 bb b9 70 ab a2 c2 2a 1d 8a a7 d8 4a b9 c6 fc 5e e1 9c d8 fc f8 3b f0 ce 7d f3 0d 2e 3f 72
            33 d1 67 3e f3 c0 99 65 30 bd a1 56 7a 2c e7 df 30 d2 e3 f7 23 3d 16 73 ef 98 69 71 fb 91 9e 8b
            39 f7 cc 34 b8 fd c8 cf 45 9c fb e6 1a 5c 7e e4 67 a2 ce 7d f3 0d 2e 3f 72 33 d1 67 3e f9 86 97
            04 b0 d4 6d 2a 72 59 00 2c 09 42 ab ad ee 21 50 b7 0b 39 f7 cc 34 b8 fd c8 cf 45 9c fb e5 f0 e6
            43 2b 22 be 44 a0 9a 69 88 6f 36 78 05 fc bb f6 92 1e 68 ab 1f b9 19 e8 b3 9f 7c c3 4b 8f dc 8c
            b9 f7 6c 54 51 f6 f4 40 55 97 9d 59 1d 41 55 14 7a 0c 83 0d 2e 3f 72 33 d1 67 3e f9 86 97 04 95
            49 a5 9d 6b 57 00 f9 f9 0f 65 d8 c4 2f e4 29 9c 38 fd c8 cf 45 9c fb e6 1a 5c 76 c3 a0 2e 46 a5
            f3 0d 2e 09 5f 7a 51 ec 0b 63 3f 00 f9 f9 86 97 1f b9 19 e8 b3 9f 55 5c 85 33 1b 2f cc 34 ae 62
            43 9c 25 88 b1 c4 fb e6 1a 5c 7e e4 67 a2 ce 7d f3 0b 9a 77 6b 8c 37 cc 2e 3f 8f 2b 10 1c 90 7d
            82 45 9e 8b 39 f7 cc 34 b8 fd c8 cf 45 9c 39 81 22 e0 69 70 59 6c e5 b2 3e bf 30 d2 e3 f7 23 3d
            16 73 ef 98 69 70 5f 16 8e c2 ac f0 0d c9 c2 39 38 46 a5 e0 00 34 bb 00 f9 f9 86 97 1f b9 19 e8
            a5 49 d1 40 73 98 fd c8 cf 45 93 e8 5c cf 3b ba 68 55 9e 8b 39 f7 cc 34 b8 2a 42 47 c9 ee e4 67
            a2 ce 23 82 39 cf 88 c1 30 d2 e3 f7 23 3d 16 73 ef 98 5d 26 5a bd cc a2 02 ac f4 52 9e 4d ec bd
            b9 3e f9 86 97 1f b9 19 e8 b3 9f 7c 85 ef 50 21 30 0f 13 40 3e 7e 61 71 4f 79 89 d4 b5 4d e7 60
            1f 3f 30 d2 e3 f7 23 3d 16 73 b4 60 fc c7 f1 8e a8 7d b2 88 0a a8 40 0e b9 ec 8b 91 be 61 a5 c7
            ee 46 7a 2c e7 df 30 d0 fd 2a e5 00 98 3c d5 cc d6 52 09 5c d5 96 ca 71 3a ec 46 f1 68 a6 70 e3
            f7 23 3d 16 73 ef 98 69 71 fb 8d 84 a3 27 8d 55 1e 68 f5 99 bc a9 f0 62 4c df 16 42 ba 0c 04 65
            68 55 9e 8b 39 f7 cc 34 b8 fd c8 cf 45 9c fa c4 72 70 8e 52 7d f3 0d 2e 3f 72 33 d1 67 3e f9 86
            97 1f b9 19 e8 b3 9f 7c c3 4b 8f dc 8c f4 59 cf be 61 a5 c7 ee 46 7a 2c e7 df 30 d2 e3 f7 23 3d
            16 73 ef 98 69 71 fb 91 9e 8b 39 f7 cc 34 b8 fd c8 cf 00 02 21 be 39 94 22 49 e5 f3 f3 0d 2e 3f
            72 33 d1 67 3e f9 86 97 1f b5 9e 5c 42 ad 5d 78 b1 df 75 67 df 30 d2 e3 f7 23 3d 16 73
            """;

    /** The last packet of a two-packet VP8 delta frame: a continuation (S=0) with the marker bit. 715 bytes. */
    public static final String VP8_CONTINUATION = """
            90 e0 22 68              // V=2 P=0 X=1 CC=0 | M=1 PT=96 | seq=8808
            f9 67 41 0b              // timestamp=4184293643
            b9 55 00 a9              // SSRC=0xb95500a9
            be de 00 03              // one-byte extensions (0xBEDE), 3 words
            22 a6 95 35              // id=2 L=3: abs-send-time 0xa69535
            31 00 13                 // id=3 L=2: transport-cc seq 19
            40 31                    // id=4 L=1: mid "1"
            00 00 00                 // padding to the word boundary
            80 80 83 94              // VP8 descriptor: X=1 S=0 PID=0 | I=1 | M=1 picture id 916
            // VP8 partition data continued, 687 bytes
            7f 72 d8 0c b2 3f 6b 07 0f 77 be 76 c1 a2 88 98 40 a6 57 2c 08 42 ee 6a a0 0b e3 52 38 5b 99 c7
            35 a4 c8 9f ef 2c 03 bc 7d d7 5c 98 7e 32 53 dc 46 d0 ea 3b 98 c4 bb d0 21 9c b8 29 b3 c9 d6 bb
            0e f3 d5 a4 44 6a cc d2 3d b8 7f bc 56 9a 01 db 4a 76 f8 9f 8f dd 57 e1 21 9d 96 0c a4 2a 5d a3
            c2 86 4b fb 46 c5 2d 31 bf a4 65 e2 38 01 e1 57 88 67 90 bd ca 02 96 33 8b ff 27 7a 63 f0 ff b9
            a0 23 32 90 09 68 2f 8d 4d cb 81 a4 c7 ff 28 99 92 43 19 ff b6 db 96 14 18 8f 19 f9 44 f5 14 f2
            b5 86 84 68 bb 16 c6 21 97 40 0f 2d 8e 53 68 af b3 1a a2 23 4d 35 ff cf 78 7c 13 e1 e6 e1 ff 91
            b4 fe 97 b1 09 69 b3 91 b9 41 b0 4b e9 25 e1 51 55 c9 b0 86 cf 23 57 ee 60 ca cd ab f5 85 4f 66
            b3 1d 51 9c ac 2a 41 45 c4 bf 46 ea ea 2d 73 05 35 fd e7 6d d3 07 56 19 26 cc ec 96 65 fa e1 53
            ac 2c f6 52 39 05 b7 bf be 7b 80 cc e2 69 37 7f 45 a4 d1 42 57 32 f1 4f 20 64 e4 f7 fd 2e ca 40
            23 93 7f 18 b9 0a 8f 1b 92 4a bf 71 18 b7 96 3c 25 4a da 79 f9 8e c9 d1 75 1d cf bd 1d 7d 69 be
            9b 63 86 00 5f 3b e6 57 dc 37 b6 cc 46 a2 8c 7c b3 3c 6a 40 a2 2d de a5 71 39 3d f5 be 4a df e0
            ff 8c 73 83 76 be e8 07 97 bc 30 6e eb 19 8a 1d 73 3a 9c bb 4c 7a 32 cb ec ad c6 2a 9e 94 ba a7
            9a 7a b2 5e b6 66 6e cb 4f bd 88 a9 39 96 01 a9 7d a7 24 a2 fc 9f 3e 95 ff 24 b1 d8 f1 ba 05 12
            89 e1 4c 98 b8 5a 20 54 81 6d ba 89 be 18 1c e0 9b 05 8d ff 0f af fd 5b 42 9d a8 a4 ed fd 62 36
            f9 f0 22 b4 97 ae 6a 7c d4 18 a9 92 aa 6c b7 7e 44 fe 57 c1 c9 b4 ed b1 60 ab 3b f9 35 a2 a5 2d
            14 e7 b6 7e ce d6 9f d3 a5 d2 04 56 8c c5 59 48 7f c0 96 78 b4 c1 74 91 47 73 c1 56 c1 d0 9a 33
            47 48 ab 7f 40 a2 8d 9c 22 0d 13 87 6c 7c 43 39 6c 11 71 ae 57 94 0b ff 7c 4d ec 1e 61 cb 90 55
            90 a1 94 d9 09 11 a1 94 0f 63 a9 66 50 cb 6a 60 ad d5 94 bb ee 7b 0c 81 d6 f8 a0 5e d0 24 1a c8
            1d d9 03 d0 b8 2e 9b a2 02 31 b6 04 37 e6 84 c4 dd 99 64 f8 05 70 19 23 bb e8 6d 26 18 3c e0 e5
            06 99 1f ef 8a 4b 75 95 ee 8c c4 a1 28 e9 8a d0 7d 3e d5 75 a6 ef 85 ca 17 ba db 7d 0a 00 a1 e3
            f4 ff f7 01 eb 44 6d 1b 33 69 0e f8 67 50 aa 20 23 41 ca 4b ad 1f 51 bc cc 17 62 84 ba d6 39 e0
            ae 5b c6 92 16 3a b2 6d f0 16 80
            """;

    /**
     * A bandwidth probe on the RTX SSRC (PT 97): no payload at all, 255 bytes of padding; its extensions come in
     * another order than on media packets. 283 bytes.
     */
    public static final String RTX_PADDING_PROBE = """
            b0 61 03 72              // V=2 P=1 X=1 CC=0 | M=0 PT=97 (rtx apt=96) | seq=882
            f9 67 49 21              // timestamp=4184295713
            8e e0 28 6c              // SSRC=0x8ee0286c (RTX, a=ssrc-group:FID 3109355689 2397055084)
            be de 00 03              // one-byte extensions (0xBEDE), 3 words
            40 31                    // id=4 L=1: mid "1"
            31 00 15                 // id=3 L=2: transport-cc seq 21
            22 a6 ac 6b              // id=2 L=3: abs-send-time 0xa6ac6b
            00 00 00                 // padding to the word boundary
            // RTP padding, 255 bytes: 254 zeros, then the count 0xff
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff
            """;
}
