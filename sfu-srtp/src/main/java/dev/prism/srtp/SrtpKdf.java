package dev.prism.srtp;

import java.util.Arrays;

/**
 * SRTP key derivation (RFC 3711 4.3.1) with the AES-CM PRF and a key derivation rate of 0, as DTLS-SRTP uses:
 * {@code x = label * 2^48 ^ master_salt}, output = {@code E(master_key, x * 2^16 + j)} for j = 0, 1, ... truncated.
 * AEAD_AES_128_GCM's 12-byte master salt is zero-padded on the right to the PRF's 14 bytes (RFC 7714 11, as libsrtp
 * and Chrome do).
 *
 * <p>Runs once per session and direction, not per packet; its allocations do not matter.
 */
final class SrtpKdf {
    static final int RTP_ENCRYPTION = 0x00;
    static final int RTP_AUTHENTICATION = 0x01;
    static final int RTP_SALT = 0x02;
    static final int RTCP_ENCRYPTION = 0x03;
    static final int RTCP_AUTHENTICATION = 0x04;
    static final int RTCP_SALT = 0x05;

    private final AesEcb prf;
    private final byte[] salt = new byte[14];

    SrtpKdf(byte[] masterKey, byte[] masterSalt) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 14 bytes");
        }
        this.prf = new AesEcb(masterKey);
        System.arraycopy(masterSalt, 0, salt, 0, masterSalt.length);
    }

    /** {@code length} bytes of the session key, authentication key or salt named by {@code label}. */
    byte[] derive(int label, int length) {
        int blocks = AesEcb.blocks(length);
        byte[] in = new byte[16 * blocks];
        for (int j = 0; j < blocks; j++) {
            System.arraycopy(salt, 0, in, 16 * j, 14);
            in[16 * j + 7] ^= (byte) label; // key_id = label || r, with r = 0: the label lands on salt byte 7
            in[16 * j + 14] = (byte) (j >>> 8);
            in[16 * j + 15] = (byte) j;
        }
        byte[] out = new byte[in.length];
        prf.encrypt(in, 0, in.length, out, 0);
        return Arrays.copyOf(out, length);
    }
}
