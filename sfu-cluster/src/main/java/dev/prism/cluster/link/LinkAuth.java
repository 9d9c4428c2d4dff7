package dev.prism.cluster.link;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The link's challenge-response proofs. Each side sends a fresh 32-byte random nonce; each proves it knows the shared
 * cluster secret with
 *
 * <pre>
 *   HMAC-SHA256(secret, label | client nonce | server nonce | u8 len | client id | u8 len | server id)
 * </pre>
 *
 * where {@code label} is {@code "prism-link/1 client"} or {@code "prism-link/1 server"}, so a proof is bound to this
 * connection's two nonces (no replay onto another connection), to both node ids, and to its direction (the server's
 * proof cannot be reflected as the client's). The secret never crosses the wire. The client proves first; the server
 * answers its own proof only to a client that proved itself. Immutable and thread-safe.
 */
final class LinkAuth {
    static final int VERSION = 1;
    private static final byte[] CLIENT_LABEL = "prism-link/1 client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_LABEL = "prism-link/1 server".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    LinkAuth(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the cluster secret must have at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    static byte[] nonce() {
        byte[] n = new byte[FrameCodec.NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    byte[] clientProof(byte[] clientNonce, byte[] serverNonce, String clientId, String serverId) {
        return mac(CLIENT_LABEL, clientNonce, serverNonce, clientId, serverId);
    }

    byte[] serverProof(byte[] clientNonce, byte[] serverNonce, String clientId, String serverId) {
        return mac(SERVER_LABEL, clientNonce, serverNonce, clientId, serverId);
    }

    /** Constant-time comparison. */
    static boolean matches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    private byte[] mac(byte[] label, byte[] clientNonce, byte[] serverNonce, String clientId, String serverId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(label);
            mac.update(clientNonce);
            mac.update(serverNonce);
            byte[] c = clientId.getBytes(StandardCharsets.US_ASCII);
            byte[] s = serverId.getBytes(StandardCharsets.US_ASCII);
            mac.update((byte) c.length);
            mac.update(c);
            mac.update((byte) s.length);
            mac.update(s);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
