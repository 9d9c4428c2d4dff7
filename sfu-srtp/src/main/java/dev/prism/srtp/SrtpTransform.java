package dev.prism.srtp;

import java.util.Arrays;

/**
 * The cryptographic transform of one direction and one kind (RTP or RTCP) of an SRTP session: its session keys,
 * derived once from the master key and salt, and the packet layout of its profile. Works in place on a byte array
 * holding one packet at {@code off}; replay and index bookkeeping is {@link PrismSrtpSession}'s.
 *
 * <p>Protect methods write past {@code off + len} (the tag, and for SRTCP the E flag and index word): the caller
 * guarantees the room. Unprotect methods verify before they decrypt and leave the packet unchanged on failure.
 *
 * <p>Not thread-safe: owned by one {@link PrismSrtpSession}. Allocates nothing per packet.
 */
abstract class SrtpTransform {
    /** The SRTCP E flag: set in the index word of an encrypted SRTCP packet. */
    static final int SRTCP_E_FLAG = 0x80000000;

    /** The transform for {@code profile}; {@code rtcp} selects the SRTCP session keys (RFC 3711 4.3.2 labels). */
    static SrtpTransform create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, boolean rtcp) {
        SrtpKdf kdf = new SrtpKdf(masterKey, masterSalt);
        byte[] key = kdf.derive(rtcp ? SrtpKdf.RTCP_ENCRYPTION : SrtpKdf.RTP_ENCRYPTION, profile.masterKeyLength());
        byte[] salt = kdf.derive(rtcp ? SrtpKdf.RTCP_SALT : SrtpKdf.RTP_SALT, profile.masterSaltLength());
        byte[] auth = profile == SrtpProfile.AES_CM_128_HMAC_SHA1_80
            ? kdf.derive(rtcp ? SrtpKdf.RTCP_AUTHENTICATION : SrtpKdf.RTP_AUTHENTICATION, HmacSha1.LENGTH)
            : new byte[0];
        try {
            return switch (profile) {
                case AEAD_AES_128_GCM -> new GcmTransform(key, salt);
                case AES_CM_128_HMAC_SHA1_80 -> new CmTransform(key, salt, auth);
            };
        } finally {
            // The ciphers keep their own expanded copies; these arrays need not outlive them.
            Arrays.fill(key, (byte) 0);
            Arrays.fill(auth, (byte) 0);
        }
    }

    /** Encrypts the payload {@code a[off+header, off+len)} and writes the tag at {@code off + len}. */
    abstract void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index);

    /**
     * Authenticates the SRTP packet {@code a[off, off+len)} (tag included) as having {@code index}, then decrypts
     * its payload. The plain packet is {@code len - tag} bytes.
     */
    abstract boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index);

    /** Encrypts {@code a[off+8, off+len)} and appends the tag and the word {@code E=1 | index}. */
    abstract void protectRtcp(byte[] a, int off, int len, int ssrc, int index);

    /** Where the E flag and index word sits, counted back from the end of a protected SRTCP packet. */
    abstract int rtcpIndexFromEnd();

    /**
     * Authenticates the SRTCP packet {@code a[off, off+len)} whose E flag and index word is {@code word}, then
     * decrypts it if E is set. The plain packet is {@code len - trailer} bytes.
     */
    abstract boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word);

    /** Equal in time independent of where the first difference is. */
    static boolean tagEquals(byte[] a, int at, byte[] expected, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= a[at + i] ^ expected[i];
        }
        return diff == 0;
    }
}
