package dev.prism.signaling.sdp;

import java.util.Map;

/**
 * The H.264 {@code profile-level-id} and {@code packetization-mode} fmtp parameters (RFC 6184 section 8.1), read as
 * the profile they name. Pure.
 *
 * <p>{@code profile-level-id} is three bytes in hex: {@code profile_idc}, {@code profile-iop} (the constraint_set0..5
 * flags, then two reserved zero bits) and {@code level_idc}. Two values name the same profile when they match the same
 * row below, whatever their levels: the same bitstream constraints can be written more than one way, notably
 * Constrained Baseline as {@code 42e0xx}, {@code 4240xx}, {@code 4de0xx} or {@code 58c0xx} (a Main or Extended
 * stream obeying the constraints of the Baseline one is a Constrained Baseline stream, RFC 6184 table 5). Levels are
 * not compared: Prism forwards, it does not decode, and browsers write {@code level-asymmetry-allowed=1}.
 */
public final class H264ProfileLevelId {
    private H264ProfileLevelId() {
    }

    /** H.264 profiles a {@code profile-level-id} can name (the ones WebRTC endpoints use). */
    public enum Profile { CONSTRAINED_BASELINE, BASELINE, MAIN, EXTENDED, HIGH, CONSTRAINED_HIGH }

    /** Default when the parameter is absent (RFC 6184 section 8.1): Baseline, level 1.0. */
    static final String DEFAULT = "42000a";

    // profile_idc, then the profile-iop pattern from constraint_set0 (left) to the last reserved bit: x = either.
    private static final Object[][] ROWS = {
        {0x42, "x1xx0000", Profile.CONSTRAINED_BASELINE},
        {0x4D, "1xxx0000", Profile.CONSTRAINED_BASELINE},
        {0x58, "11xx0000", Profile.CONSTRAINED_BASELINE},
        {0x42, "x0xx0000", Profile.BASELINE},
        {0x58, "10xx0000", Profile.BASELINE},
        {0x4D, "0x0x0000", Profile.MAIN},
        {0x58, "00xx0000", Profile.EXTENDED},
        {0x64, "00000000", Profile.HIGH},
        {0x64, "00001100", Profile.CONSTRAINED_HIGH},
    };

    /**
     * The profile {@code profileLevelId} names (six hex digits), or null when it is malformed or names a profile not
     * in {@link Profile}; null input reads as {@link #DEFAULT}.
     */
    public static Profile profile(String profileLevelId) {
        String v = profileLevelId == null ? DEFAULT : profileLevelId;
        if (v.length() != 6) {
            return null;
        }
        int idc;
        int iop;
        try {
            idc = Integer.parseInt(v.substring(0, 2), 16);
            iop = Integer.parseInt(v.substring(2, 4), 16);
            Integer.parseInt(v.substring(4, 6), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        for (Object[] row : ROWS) {
            if ((int) row[0] == idc && matches((String) row[1], iop)) {
                return (Profile) row[2];
            }
        }
        return null;
    }

    private static boolean matches(String pattern, int iop) {
        for (int i = 0; i < 8; i++) {
            char c = pattern.charAt(i);
            int bit = iop >> (7 - i) & 1;
            if (c != 'x' && bit != c - '0') {
                return false;
            }
        }
        return true;
    }

    /** {@code packetization-mode} (0 when absent, -1 when not a small number). */
    static int packetizationMode(Map<String, String> fmtp) {
        String m = fmtp.get("packetization-mode");
        if (m == null) {
            return 0;
        }
        return (int) Tokens.parseUnsigned(m.trim(), 2);
    }

    /**
     * True when an H.264 format with these fmtp parameters is the one Prism forwards: packetization-mode 1
     * (non-interleaved: single NAL units, STAP-A, FU-A) and the Constrained Baseline profile, at any level.
     */
    static boolean isForwardable(Map<String, String> fmtp) {
        return packetizationMode(fmtp) == 1 && profile(fmtp.get("profile-level-id")) == Profile.CONSTRAINED_BASELINE;
    }
}
