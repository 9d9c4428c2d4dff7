package dev.prism.signaling.auth;

import dev.prism.core.room.TrackSource;
import dev.prism.signaling.auth.TokenException.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the claims of {@link TokenGrants}: {@code sources}, {@code hidden}, {@code maxVideo}
 * ({@code {"height": N}}), {@code maxBitrate} and {@code roomMaxPublishers}. A claim of the wrong type or out of range
 * refuses the whole token with its own {@link Kind} (a 401 whose body says which claim), so a backend's mistake is
 * never read as a looser grant. Pure; any thread.
 */
final class GrantClaims {
    /** Heights beyond 8K or bitrates beyond 1 Gbit/s are typos, not caps. */
    static final int MAX_HEIGHT = 4320;
    static final long MAX_BITRATE_BPS = 1_000_000_000L;
    static final int MAX_ROOM_PUBLISHERS = 100_000;

    private GrantClaims() {
    }

    /** The grants of verified {@code claims}; {@link TokenGrants#DEFAULT} when none is present. */
    static TokenGrants read(Map<String, Object> claims) throws TokenException {
        return new TokenGrants(sources(claims.get("sources")), bool(claims, "hidden", false),
                maxHeight(claims.get("maxVideo")),
                positive(claims.get("maxBitrate"), MAX_BITRATE_BPS, Kind.BAD_QUALITY_CAP),
                (int) positive(claims.get("roomMaxPublishers"), MAX_ROOM_PUBLISHERS, Kind.BAD_ROOM_LIMIT));
    }

    /** Adds the claims that differ from the defaults to {@code claims}, in a fixed order. */
    static void write(Map<String, Object> claims, TokenGrants g) {
        if (!g.allSources()) {
            List<String> names = new ArrayList<>();
            for (TrackSource s : TrackSource.values()) { // enum order: the same token for the same grants
                if (g.allows(s)) {
                    names.add(s.wireName());
                }
            }
            claims.put("sources", names);
        }
        if (g.hidden()) {
            claims.put("hidden", true);
        }
        if (g.maxVideoHeight() > 0) {
            claims.put("maxVideo", Map.of("height", g.maxVideoHeight()));
        }
        if (g.maxBitrateBps() > 0) {
            claims.put("maxBitrate", g.maxBitrateBps());
        }
        if (g.roomMaxPublishers() > 0) {
            claims.put("roomMaxPublishers", g.roomMaxPublishers());
        }
    }

    private static Set<TrackSource> sources(Object v) throws TokenException {
        if (v == null) {
            return TokenGrants.ALL_SOURCES;
        }
        if (!(v instanceof List<?> list)) {
            throw new TokenException(Kind.BAD_SOURCES);
        }
        Set<TrackSource> out = EnumSet.noneOf(TrackSource.class);
        for (Object o : list) {
            TrackSource s = o instanceof String name ? TrackSource.fromWire(name) : TrackSource.UNKNOWN;
            if (s == TrackSource.UNKNOWN) {
                throw new TokenException(Kind.BAD_SOURCES);
            }
            out.add(s);
        }
        return out;
    }

    private static boolean bool(Map<String, Object> claims, String name, boolean absent) throws TokenException {
        Object v = claims.get(name);
        if (v == null) {
            return absent;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new TokenException(Kind.BAD_GRANT);
    }

    private static int maxHeight(Object v) throws TokenException {
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Map<?, ?> m) || !m.keySet().stream().allMatch("height"::equals)) {
            throw new TokenException(Kind.BAD_QUALITY_CAP); // an unknown member (width?) would silently cap nothing
        }
        return (int) positive(m.get("height"), MAX_HEIGHT, Kind.BAD_QUALITY_CAP);
    }

    /** A whole number 1..max, or 0 when absent. */
    private static long positive(Object v, long max, Kind kind) throws TokenException {
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new TokenException(kind); // fractions, strings, booleans, numbers beyond a long
        }
        long n = ((Number) v).longValue();
        if (n < 1 || n > max) {
            throw new TokenException(kind);
        }
        return n;
    }
}
