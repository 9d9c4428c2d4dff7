package dev.prism.srtp;

/**
 * AEAD_AES_128_GCM packet layouts (RFC 7714): the 12-byte IV is the session salt XOR
 * {@code 00 00 || SSRC || ROC || SEQ} for SRTP (8.1) and {@code 00 00 || SSRC || 00 00 || 0 || SRTCP index} for SRTCP
 * (9.1); the RTP header is the additional data; SRTCP sends {@code header || ciphertext || tag || E|index} and
 * authenticates {@code header || E|index} (or, unencrypted, the whole packet).
 */
final class GcmTransform extends SrtpTransform {
    private static final int TAG = GcmCipher.TAG_LENGTH;

    private final GcmCipher gcm;
    private final long saltHigh;
    private final int saltLow;

    GcmTransform(byte[] sessionKey, byte[] sessionSalt) {
        this(GcmCipher.create(sessionKey), sessionSalt);
    }

    /** With a given AES-GCM implementation (tests run both). */
    GcmTransform(GcmCipher gcm, byte[] sessionSalt) {
        if (sessionSalt.length != 12) {
            throw new IllegalArgumentException("AES-GCM session salt must be 12 bytes");
        }
        this.gcm = gcm;
        this.saltHigh = CryptoScratch.getLong(sessionSalt, 0);
        this.saltLow = CryptoScratch.getInt(sessionSalt, 8);
    }

    /** Bytes 0-7 of the IV: {@code 00 00 || SSRC || index bits 47-32}, XOR salt. */
    private long ivHigh(int ssrc, long index) {
        return saltHigh ^ (ssrc & 0xFFFFFFFFL) << 16 ^ index >>> 32;
    }

    /** Bytes 8-11 of the IV: index bits 31-0, XOR salt. */
    private int ivLow(long index) {
        return saltLow ^ (int) index;
    }

    @Override
    void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        gcm.seal(ivHigh(ssrc, index), ivLow(index), a, off, header, 0, 0, off + header, len - header);
    }

    @Override
    boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        int text = len - header - TAG;
        return gcm.open(ivHigh(ssrc, index), ivLow(index), a, off, header, 0, 0, off + header, text);
    }

    @Override
    void protectRtcp(byte[] a, int off, int len, int ssrc, int index) {
        int word = off + len + TAG;
        CryptoScratch.setInt(a, word, SRTCP_E_FLAG | index);
        gcm.seal(ivHigh(ssrc, index), ivLow(index), a, off, SrtpPackets.RTCP_FIXED_HEADER, word, 4,
            off + SrtpPackets.RTCP_FIXED_HEADER, len - SrtpPackets.RTCP_FIXED_HEADER);
    }

    @Override
    int rtcpIndexFromEnd() {
        return 4;
    }

    @Override
    boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word) {
        int index = word & ~SRTCP_E_FLAG;
        int body = len - TAG - 4;
        int tag = off + body;
        int wordAt = off + len - 4;
        if ((word & SRTCP_E_FLAG) != 0) {
            int header = SrtpPackets.RTCP_FIXED_HEADER;
            return gcm.open(ivHigh(ssrc, index), ivLow(index), a, off, header, wordAt, 4, off + header,
                body - header);
        }
        // Unencrypted SRTCP (RFC 7714 9.2): everything is additional data, the plaintext is empty.
        return gcm.open(ivHigh(ssrc, index), ivLow(index), a, off, body, wordAt, 4, tag, 0);
    }
}
