package dev.prism.signaling.auth;

import dev.prism.signaling.auth.TokenException.Kind;
import java.util.Map;

/**
 * RFC 7519 NumericDate claims ({@code iat}, {@code exp}, {@code nbf}) as epoch seconds, and saturating arithmetic on
 * them: a claim beyond the range of a {@code long} (JSON allows any number) is clamped, never wrapped, so no huge or
 * negative value can flip a comparison. Pure functions; any thread.
 */
final class NumericDate {
    private NumericDate() {
    }

    /**
     * The claim in whole seconds (fractions truncated toward the past, values beyond a {@code long} clamped), or
     * {@code null} if absent or JSON {@code null}.
     *
     * @throws TokenException {@link Kind#MALFORMED} if the claim is not a finite number
     */
    static Long read(Map<String, Object> claims, String name) throws TokenException {
        Object v = claims.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return (long) Math.floor(n.doubleValue()); // double -> long saturates; big integers arrive as doubles
        }
        throw new TokenException(Kind.MALFORMED);
    }

    /** {@code a + b}, saturated to {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE} on overflow. */
    static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    /** {@code a - b}, saturated to {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE} on overflow. */
    static long subtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
