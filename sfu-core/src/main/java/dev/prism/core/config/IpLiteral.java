package dev.prism.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Strict IP address literals and host names, checked <em>without any DNS lookup</em>.
 *
 * <p>{@link InetAddress#getByName(String)} falls back to a DNS query for anything it cannot read as a literal (and on
 * JDK 17 it also accepts ambiguous IPv4 forms such as {@code 127.1}), so settings are checked here first and only
 * well-formed literals ever reach it. Stateless and thread-safe.
 */
public final class IpLiteral {
    private IpLiteral() {
    }

    /**
     * Parses an IPv4 dotted quad ({@code 192.0.2.1}) or an IPv6 literal ({@code ::}, {@code fe80::1},
     * optionally in brackets {@code [::1]}). Never performs a DNS lookup.
     *
     * @return the address, or {@code null} if {@code text} is not such a literal
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String s = text;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
            if (s.indexOf(':') < 0) {
                return null; // brackets are only for IPv6
            }
        }
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        byte[] v4 = parseIpv4(s);
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4); // raw bytes: no lookup
        } catch (UnknownHostException e) {
            return null; // not reachable: the array has length 4
        }
    }

    /** True if {@code text} is an IPv4 or IPv6 literal (see {@link #parse(String)}). */
    public static boolean isLiteral(String text) {
        return parse(text) != null;
    }

    /**
     * True if {@code text} is a syntactically valid DNS host name (RFC 1123: dot-separated labels of letters, digits and
     * hyphens, 1..63 characters each, not starting or ending with a hyphen; at most 253 characters; the last label is
     * not all digits, so a malformed IPv4 address such as {@code 10.0.0.256} is not taken for a name).
     */
    public static boolean isHostName(String text) {
        if (text == null || text.isEmpty() || text.length() > 253) {
            return false;
        }
        String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (s.isEmpty()) {
            return false;
        }
        String[] labels = s.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            // Leading zeros are refused: some tools read "010" as octal, so its meaning is ambiguous.
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static InetAddress parseIpv6(String s) {
        // Only hex digits, ':' and '.' (embedded IPv4) before an optional %scope; anything else is not a literal.
        int pct = s.indexOf('%');
        String addr = pct >= 0 ? s.substring(0, pct) : s;
        if (addr.isEmpty() || (pct >= 0 && pct == s.length() - 1)) {
            return null;
        }
        String lower = addr.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
            if (!ok) {
                return null;
            }
        }
        try {
            // Starts with a hex digit or ':' and contains ':', so the JDK treats it as an IPv6 literal and throws
            // rather than querying DNS when it is invalid.
            return InetAddress.getByName(s);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
