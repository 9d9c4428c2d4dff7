package dev.prism.rtp.stun;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 5389 section 15.4) with one key, and FINGERPRINT (CRC-32 xor 0x5354554e, section
 * 15.5) as static helpers.
 *
 * <p>The HMAC covers the message from its first byte up to, not including, the MESSAGE-INTEGRITY attribute, with the
 * header's length field replaced by the length the message would have if MESSAGE-INTEGRITY were its last attribute. The
 * CRC covers everything before the FINGERPRINT attribute, with the length field counting FINGERPRINT. Neither check
 * modifies the caller's buffer: the adjusted header is fed to the digest separately.
 *
 * <p>An instance holds a {@link Mac} and scratch space, so it is <b>not thread-safe</b>: confine it to one thread (an
 * {@code IceLiteAgent} keeps one on its event loop). ICE uses short-term credentials: the key is the password of the
 * agent that receives the request, for the request and its response alike (RFC 8445 section 7.2.2).
 */
public final class StunIntegrity {
    /** XORed into the CRC-32 so that FINGERPRINT tells STUN apart from other protocols' CRCs. */
    public static final int FINGERPRINT_XOR = 0x5354554E;

    private static final int ATTRIBUTE_HEADER = 4;

    private final Mac mac;
    private final byte[] header = new byte[4];
    private final byte[] digest = new byte[StunAttributes.MESSAGE_INTEGRITY_LENGTH];

    /** @param key HMAC key, copied; see {@link #shortTermKey} and {@link #longTermKey}. */
    public StunIntegrity(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.clone(), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is mandatory in every JDK", e);
        }
    }

    /** An instance keyed with the short-term credential {@code password} (an ICE {@code ice-pwd}). */
    public static StunIntegrity forPassword(String password) {
        return new StunIntegrity(shortTermKey(password));
    }

    /**
     * Short-term key: the password's UTF-8 bytes. RFC 5389 asks for SASLprep first, which is the identity for ICE
     * passwords (ice-chars are ASCII letters, digits, '+' and '/').
     */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Long-term key: MD5(username ":" realm ":" password) (RFC 5389 section 15.4). Not used by ICE; here for TURN-style
     * peers and the RFC 5769 vector. The strings must already be SASLprep-processed.
     */
    public static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is mandatory in every JDK", e);
        }
    }

    /**
     * Checks the MESSAGE-INTEGRITY of {@code message}, which must have been parsed from the readable bytes of
     * {@code buf} (same reader index). Constant-time comparison; does not move the indices.
     *
     * @return false when the message has no MESSAGE-INTEGRITY or the HMAC does not match
     */
    public boolean verify(ByteBuf buf, StunMessage message) {
        int miOffset = message.messageIntegrityOffset();
        if (miOffset < 0) {
            return false;
        }
        int start = buf.readerIndex();
        hmac(buf.nioBuffer(start, miOffset), digest);
        byte[] received = new byte[StunAttributes.MESSAGE_INTEGRITY_LENGTH];
        buf.getBytes(start + miOffset + ATTRIBUTE_HEADER, received);
        return MessageDigest.isEqual(digest, received);
    }

    /**
     * Computes the MESSAGE-INTEGRITY value for a message whose bytes up to the attribute are {@code upToAttribute}
     * (position to limit; the header's length field is ignored and replaced as the RFC says).
     *
     * @param out receives the 20-byte HMAC
     */
    public void hmac(ByteBuffer upToAttribute, byte[] out) {
        int start = upToAttribute.position();
        int covered = upToAttribute.remaining();
        header[0] = upToAttribute.get(start);
        header[1] = upToAttribute.get(start + 1);
        int lengthField = covered - StunMessage.HEADER_LENGTH + ATTRIBUTE_HEADER + StunAttributes.MESSAGE_INTEGRITY_LENGTH;
        header[2] = (byte) (lengthField >>> 8);
        header[3] = (byte) lengthField;
        mac.update(header, 0, 4);
        mac.update(upToAttribute.duplicate().position(start + 4));
        try {
            mac.doFinal(out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("output buffer too small", e);
        }
    }

    /**
     * Checks the FINGERPRINT of {@code message}, parsed from the readable bytes of {@code buf}. Does not move the
     * indices.
     *
     * @return false when the message has no FINGERPRINT or the CRC does not match
     */
    public static boolean verifyFingerprint(ByteBuf buf, StunMessage message) {
        int fpOffset = message.fingerprintOffset();
        if (fpOffset < 0) {
            return false;
        }
        int start = buf.readerIndex();
        return fingerprint(buf.nioBuffer(start, fpOffset)) == buf.getInt(start + fpOffset + ATTRIBUTE_HEADER);
    }

    /**
     * The FINGERPRINT value for a message whose bytes up to the attribute are {@code upToAttribute} (position to
     * limit; the header's length field is replaced by the length including FINGERPRINT).
     */
    public static int fingerprint(ByteBuffer upToAttribute) {
        int start = upToAttribute.position();
        int covered = upToAttribute.remaining();
        int lengthField = covered - StunMessage.HEADER_LENGTH + ATTRIBUTE_HEADER + StunAttributes.FINGERPRINT_LENGTH;
        CRC32 crc = new CRC32();
        crc.update(upToAttribute.get(start));
        crc.update(upToAttribute.get(start + 1));
        crc.update(lengthField >>> 8);
        crc.update(lengthField);
        crc.update(upToAttribute.duplicate().position(start + 4));
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
