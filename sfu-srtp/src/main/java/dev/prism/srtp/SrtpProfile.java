package dev.prism.srtp;

import java.util.List;

/**
 * The DTLS-SRTP protection profiles Prism negotiates (RFC 5764 4.1.2, RFC 7714 14.2), in Prism's order of preference:
 * AES-GCM first (faster per packet and authenticated with one pass), then AES-CM with HMAC-SHA1-80, which every
 * WebRTC endpoint supports.
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128-GCM, 16-byte tag, 12-byte master salt. Protection profile 0x0007. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16),
    /** RFC 5764: AES-128 counter mode, HMAC-SHA1 tag truncated to 80 bits, 14-byte master salt. Profile 0x0001. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10);

    /** Bytes SRTCP appends after the tag: the E flag and the 31-bit SRTCP index (RFC 3711 3.4). */
    static final int SRTCP_INDEX_LENGTH = 4;

    private static final List<SrtpProfile> PREFERENCE = List.of(values());

    private final int protectionProfileId;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int authTagLength;

    SrtpProfile(int protectionProfileId, int masterKeyLength, int masterSaltLength, int authTagLength) {
        this.protectionProfileId = protectionProfileId;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.authTagLength = authTagLength;
    }

    /** The two-byte SRTPProtectionProfile value carried in the DTLS use_srtp extension. */
    public int protectionProfileId() {
        return protectionProfileId;
    }

    /** Master key length in bytes. */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Master salt length in bytes. */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Bytes protect appends to an RTP packet (the authentication tag). */
    public int rtpTrailerLength() {
        return authTagLength;
    }

    /** Bytes protect appends to an RTCP packet (tag plus E flag and SRTCP index). */
    public int rtcpTrailerLength() {
        return authTagLength + SRTCP_INDEX_LENGTH;
    }

    /** Bytes to export from DTLS: client key, server key, client salt, server salt (RFC 5764 4.2). */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    /** The profile with this use_srtp id, or {@code null} if Prism does not support it. */
    public static SrtpProfile fromProtectionProfileId(int id) {
        for (SrtpProfile p : PREFERENCE) {
            if (p.protectionProfileId == id) {
                return p;
            }
        }
        return null;
    }

    /** All supported profiles, most preferred first. */
    public static List<SrtpProfile> preferenceOrder() {
        return PREFERENCE;
    }
}
