package dev.prism.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small lexical helpers for SDP values: blank-separated tokens and bounded unsigned numbers that never throw. */
final class Tokens {
    private Tokens() {
    }

    /** Splits on runs of spaces or tabs; never returns empty tokens. */
    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && isBlank(value.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(value.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(value.substring(start, i));
            }
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** A decimal number made only of digits, at most {@code max}; -1 when it is not one. */
    static long parseUnsigned(String s, long max) {
        if (s.isEmpty() || s.length() > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int d = c - '0';
            if (v > (max - d) / 10) {
                return -1; // would exceed max (and never overflows)
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** A port 0..65535, or -1. */
    static int parsePort(String s) {
        return (int) parseUnsigned(s, 65535);
    }

    /** A 32-bit SSRC 0..2^32-1, or -1. */
    static long parseSsrc(String s) {
        return parseUnsigned(s, 0xFFFF_FFFFL);
    }

    /** Shortens and sanitises text quoted in error messages. */
    static String snippet(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    /** Non-empty and free of blanks and line breaks, so it can be written as one SDP token. */
    static String requireToken(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException(what + " must be one token without blanks: '" + s + "'");
            }
        }
        return s;
    }
}
