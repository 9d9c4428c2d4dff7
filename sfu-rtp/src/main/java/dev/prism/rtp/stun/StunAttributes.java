package dev.prism.rtp.stun;

/**
 * STUN attribute type codes Prism reads or writes (RFC 5389 section 18.2, RFC 8445 section 16.1) and a printable name
 * for logs. Types below 0x8000 are comprehension-required, the others comprehension-optional.
 */
public final class StunAttributes {
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** ICE: priority a peer-reflexive candidate learned from this check would get; 32-bit unsigned. */
    public static final int PRIORITY = 0x0024;
    /** ICE: flag (no value) by which the controlling agent nominates the pair. */
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    /** ICE: sender believes it is controlled; 64-bit tie-breaker. */
    public static final int ICE_CONTROLLED = 0x8029;
    /** ICE: sender believes it is controlling; 64-bit tie-breaker. */
    public static final int ICE_CONTROLLING = 0x802A;
    /** Chrome's network id and cost (2 + 2 bytes); informational, ignored by Prism. */
    public static final int GOOG_NETWORK_INFO = 0xC057;

    /** Largest USERNAME value allowed by RFC 5389 section 15.3, in bytes. */
    public static final int MAX_USERNAME_BYTES = 513;
    /** Length of an HMAC-SHA1 MESSAGE-INTEGRITY value, in bytes. */
    public static final int MESSAGE_INTEGRITY_LENGTH = 20;
    /** Length of a FINGERPRINT value, in bytes. */
    public static final int FINGERPRINT_LENGTH = 4;

    private StunAttributes() {
    }

    /** A short name for logs, or the hex code for types Prism does not know. */
    public static String name(int type) {
        return switch (type) {
            case MAPPED_ADDRESS -> "MAPPED-ADDRESS";
            case USERNAME -> "USERNAME";
            case MESSAGE_INTEGRITY -> "MESSAGE-INTEGRITY";
            case ERROR_CODE -> "ERROR-CODE";
            case UNKNOWN_ATTRIBUTES -> "UNKNOWN-ATTRIBUTES";
            case REALM -> "REALM";
            case NONCE -> "NONCE";
            case XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case PRIORITY -> "PRIORITY";
            case USE_CANDIDATE -> "USE-CANDIDATE";
            case SOFTWARE -> "SOFTWARE";
            case FINGERPRINT -> "FINGERPRINT";
            case ICE_CONTROLLED -> "ICE-CONTROLLED";
            case ICE_CONTROLLING -> "ICE-CONTROLLING";
            case GOOG_NETWORK_INFO -> "GOOG-NETWORK-INFO";
            default -> String.format("0x%04X", type);
        };
    }

    /** Padded length of a value of {@code length} bytes: attributes end on a 32-bit boundary. */
    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
