package dev.prism.rtp.codec;

import dev.prism.rtp.packet.CaptureFile;
import java.util.Arrays;
import java.util.Map;

/**
 * H.264 RTP packets captured from Chromium 156.0.8078.129 (headless, Debian, fake camera 640x480) publishing to
 * Prism in an H.264 room: packetization-mode 1, profile-level-id 42e01f, PT 108; every packet exactly as Chromium
 * sent it, after SRTP decryption, unedited. The whole dump is {@code src/test/resources/captures/
 * chromium-156-h264-packets.txt} (how: {@code CAPTURED.md} there); {@link #packet} reads it by label.
 */
final class ChromiumH264 {
    private ChromiumH264() {
    }

    static final String DUMP = "/captures/chromium-156-h264-packets.txt";

    /**
     * The first packet of a key frame: a STAP-A with the SPS and the PPS (the IDR follows in FU-A fragments). 55
     * bytes, copied from the dump ("pub RTP H264 STAP-A 7,8 #1"), which {@code H264PayloadTest} checks.
     */
    static final String STAP_A_SPS_PPS = """
            90 6c 66 29              // V=2 X=1 | M=0 PT=108 (H264/90000 packetization-mode=1 42e01f) | seq=26153
            e1 c5 77 6d              // timestamp
            5e e2 cb 85              // SSRC
            be de 00 03              // one-byte extensions, 3 words
            22 a6 44 86              // id=2 L=3: abs-send-time
            31 00 05                 // id=3 L=2: transport-cc seq 5
            40 31                    // id=4 L=1: mid "1"
            00 00 00                 // padding to the word boundary
            78                       // STAP-A indicator: F=0 NRI=3 type=24
            00 12                    // NAL unit size 18
            67 42 c0 1f 8c 8d 40 50  // SPS (type 7): profile_idc 0x42, constraint_set0+1 (Constrained Baseline),
            1e d3 50 60 60 60 78 44  //   level_idc 0x1f (3.1), then the rest of the SPS
            23 50
            00 04                    // NAL unit size 4
            68 ce 3c 80              // PPS (type 8)
            """;

    /** The packet labelled {@code label} in the dump (e.g. "pub RTP H264 FU-A start 5 #1"). */
    static byte[] packet(String label) {
        Map<String, byte[]> all = CaptureFile.packets(DUMP);
        byte[] b = all.get(label);
        if (b == null) {
            throw new IllegalArgumentException("no packet '" + label + "' in " + DUMP + "; labels: " + all.keySet());
        }
        return Arrays.copyOf(b, b.length);
    }
}
