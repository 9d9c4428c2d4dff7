package dev.prism.srtp;

/**
 * AES_CM_128_HMAC_SHA1_80 packet layouts (RFC 3711): the payload is encrypted with AES-CM; an 80-bit HMAC-SHA1 tag
 * covers the whole packet followed by the ROC (SRTP, 4.2) or by the E flag and index word (SRTCP, which sends
 * {@code header || ciphertext || E|index || tag}).
 */
final class CmTransform extends SrtpTransform {
    static final int TAG = 10;

    private final AesCm cipher;
    private final HmacSha1 mac;

    CmTransform(byte[] sessionKey, byte[] sessionSalt, byte[] authKey) {
        this.cipher = new AesCm(sessionKey, sessionSalt);
        this.mac = new HmacSha1(authKey);
    }

    @Override
    void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        cipher.crypt(ssrc, index, a, off + header, len - header);
        CryptoScratch s = CryptoScratch.get();
        mac.mac(a, off, len, true, (int) (index >>> 16), s);
        System.arraycopy(s.digest, 0, a, off + len, TAG);
    }

    @Override
    boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        int body = len - TAG;
        CryptoScratch s = CryptoScratch.get();
        mac.mac(a, off, body, true, (int) (index >>> 16), s);
        if (!tagEquals(a, off + body, s.digest, TAG)) {
            return false;
        }
        cipher.crypt(ssrc, index, a, off + header, body - header);
        return true;
    }

    @Override
    void protectRtcp(byte[] a, int off, int len, int ssrc, int index) {
        int header = SrtpPackets.RTCP_FIXED_HEADER;
        cipher.crypt(ssrc, index, a, off + header, len - header);
        CryptoScratch.setInt(a, off + len, SRTCP_E_FLAG | index);
        CryptoScratch s = CryptoScratch.get();
        mac.mac(a, off, len + 4, false, 0, s);
        System.arraycopy(s.digest, 0, a, off + len + 4, TAG);
    }

    @Override
    int rtcpIndexFromEnd() {
        return TAG + 4;
    }

    @Override
    boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word) {
        int authenticated = len - TAG;
        CryptoScratch s = CryptoScratch.get();
        mac.mac(a, off, authenticated, false, 0, s);
        if (!tagEquals(a, off + authenticated, s.digest, TAG)) {
            return false;
        }
        if ((word & SRTCP_E_FLAG) != 0) {
            int header = SrtpPackets.RTCP_FIXED_HEADER;
            cipher.crypt(ssrc, word & ~SRTCP_E_FLAG, a, off + header, authenticated - 4 - header);
        }
        return true;
    }
}
