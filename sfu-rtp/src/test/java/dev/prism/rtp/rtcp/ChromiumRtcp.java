package dev.prism.rtp.rtcp;

/**
 * RTCP packets captured from Chromium 156.0.8078.79 (headless, Debian), as commented hex: exactly what Chromium sent,
 * after SRTCP decryption, unedited. Compounds are split into their packets here and joined again below.
 *
 * <p>Captured with {@code dev.prism.server.capture.PacketCapture} (prism-server test scope); how, and the raw
 * dump these rows were copied from, are in {@code src/test/resources/captures/} ({@code CAPTURED.md} and
 * {@code chromium-156-packets.txt}, which {@code ChromiumRtcpTest} checks these rows against).
 *
 * <p>Two connections: the publisher connection, where Chromium sends camera and microphone (SR + SDES), and the
 * subscriber connection, where Prism sent Chromium's own media back with SSRCs 0x50524901 (audio) and 0x50524902
 * (video) and Chromium gave receiver feedback. Prism offered rtcp-rsize there, so Chromium's feedback compounds carry
 * no SDES and need not start with a report. Prism offered goog-remb and transport-cc but sent no transport-wide
 * sequence numbers, so Chromium sent REMB and no transport-cc feedback: none was captured.
 */
final class ChromiumRtcp {
    private ChromiumRtcp() {
    }

    /** SR of the VP8 stream, from the publisher connection. */
    static final String SR = """
            80 c8 00 06              // V=2 P=0 RC=0 | PT=200 SR | length=6 (28 bytes)
            b9 55 00 a9              // SSRC of sender 0xb95500a9 (video)
            ee ab 91 aa              // NTP timestamp, seconds 0xeeab91aa
            05 4e e3 92              // NTP timestamp, fraction 0x054ee392
            f9 67 d5 c1              // RTP timestamp 4184331713
            00 00 00 1d              // sender's packet count 29
            00 00 58 8f              // sender's octet count 22671
            """;

    /** The SDES that followed it in the same compound. */
    static final String SDES = """
            81 ca 00 06              // V=2 P=0 SC=1 | PT=202 SDES | length=6 (28 bytes)
            b9 55 00 a9              // chunk SSRC 0xb95500a9
            01 10                    // CNAME, 16 bytes
            53 64 54 2b 35 67 74 38  // "SdT+5gt8"
            6a 6f 6f 4d 78 73 44 48  // "jooMxsDH": the cname of the offer's a=ssrc lines
            00 00                    // end of list + padding to the word boundary
            """;

    /** RR for Prism's audio stream, alone (reduced size), from the subscriber connection. */
    static final String RR_AUDIO = """
            81 c9 00 07              // V=2 P=0 RC=1 | PT=201 RR | length=7 (32 bytes)
            fa 17 fa 17              // SSRC of packet sender 0xfa17fa17: fixed, Chromium sends no audio here
            50 52 49 01              // block: SSRC of source 0x50524901 (Prism's audio)
            00 00 00 00              // fraction lost 0 | cumulative lost 0
            00 00 a5 4c              // extended highest seq: 0 cycles, seq 42316
            00 00 00 12              // jitter 18
            00 00 00 00              // LSR 0: Prism sent no SR
            00 00 00 00              // DLSR 0
            """;

    /** RR for Prism's video stream (one packet withheld by the capture: cumulative lost 1). */
    static final String RR_VIDEO = """
            81 c9 00 07              // V=2 P=0 RC=1 | PT=201 RR | length=7 (32 bytes)
            00 00 00 01              // SSRC of packet sender 1: fixed, Chromium sends no video here
            50 52 49 02              // block: SSRC of source 0x50524902 (Prism's video)
            00 00 00 01              // fraction lost 0 | cumulative lost 1
            00 00 e1 5b              // extended highest seq: 0 cycles, seq 57691
            00 00 00 39              // jitter 57
            00 00 00 00              // LSR 0: Prism sent no SR
            00 00 00 00              // DLSR 0
            """;

    /** The REMB that followed it in the same compound: receive-side estimate, from abs-send-time. */
    static final String REMB = """
            8f ce 00 05              // V=2 P=0 FMT=15 | PT=206 PSFB | length=5 (24 bytes)
            00 00 00 01              // SSRC of packet sender 1
            00 00 00 00              // SSRC of media source 0
            52 45 4d 42              // "REMB"
            01 07 00 f8              // num SSRC=1 | exp=1, mantissa=196856: 393712 bps
            50 52 49 02              // SSRC feedback 0x50524902
            """;

    /** A NACK for one of the video packets the capture withheld, alone (reduced size). */
    static final String NACK = """
            81 cd 00 03              // V=2 P=0 FMT=1 | PT=205 RTPFB | length=3 (16 bytes)
            00 00 00 01              // SSRC of packet sender 1
            50 52 49 02              // SSRC of media source 0x50524902
            e0 ef 00 00              // PID=57583 | BLP 0: that packet only
            """;

    /** PLI, first packet of a reduced-size compound: no report first. */
    static final String PLI = """
            81 ce 00 02              // V=2 P=0 FMT=1 | PT=206 PSFB | length=2 (12 bytes)
            00 00 00 01              // SSRC of packet sender 1
            50 52 49 02              // SSRC of media source 0x50524902
            """;

    /** The REMB that followed the PLI. */
    static final String REMB_AFTER_PLI = """
            8f ce 00 05              // V=2 P=0 FMT=15 | PT=206 PSFB | length=5 (24 bytes)
            00 00 00 01              // SSRC of packet sender 1
            00 00 00 00              // SSRC of media source 0
            52 45 4d 42              // "REMB"
            01 07 2d 9c              // num SSRC=1 | exp=1, mantissa=208284: 416568 bps
            50 52 49 02              // SSRC feedback 0x50524902
            """;

    /** Chromium sending media: SR + SDES(CNAME), 56 bytes. */
    static final String COMPOUND_SR_SDES = SR + SDES;

    /** Chromium receiving video: RR + REMB, 56 bytes. Reduced size (rtcp-rsize): no SDES. */
    static final String COMPOUND_RR_REMB = RR_VIDEO + REMB;

    /** Chromium asking for a key frame: PLI + REMB, 36 bytes, with no report at all. */
    static final String COMPOUND_PLI_REMB = PLI + REMB_AFTER_PLI;
}
