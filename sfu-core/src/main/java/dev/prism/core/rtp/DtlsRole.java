package dev.prism.core.rtp;

/** DTLS role from {@code a=setup}: active = DTLS client, passive = DTLS server, actpass = offerer lets answerer pick. */
public enum DtlsRole {
    ACTIVE, PASSIVE, ACTPASS;

    public String sdpName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DtlsRole fromSdp(String s) {
        return switch (s) {
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "actpass" -> ACTPASS;
            default -> throw new IllegalArgumentException("unknown a=setup value: " + s);
        };
    }
}
