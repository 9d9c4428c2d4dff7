package dev.prism.core.rtp;

/** {@code a=fingerprint}: hash function name (e.g. "sha-256") and colon-separated upper-case hex value. */
public record DtlsFingerprint(String algorithm, String value) {
    /** True when both name the same hash and the same bytes (hex case and algorithm case ignored). */
    public boolean matches(DtlsFingerprint other) {
        return other != null && algorithm.equalsIgnoreCase(other.algorithm) && value.equalsIgnoreCase(other.value);
    }
}
