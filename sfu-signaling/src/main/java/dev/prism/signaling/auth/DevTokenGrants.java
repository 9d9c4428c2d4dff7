package dev.prism.signaling.auth;

import java.util.function.Function;

/**
 * The grants a development token may ask for in {@code GET /api/dev-token} (development mode only, for the demo and
 * tests): {@code maxHeight=N} (1..4320, the {@code maxVideo.height} quality cap) and {@code hidden=1}. Pure; any
 * thread.
 */
public final class DevTokenGrants {
    private DevTokenGrants() {
    }

    /**
     * @param param the request's query parameter by name (null when absent)
     * @return the grants asked for, {@link TokenGrants#DEFAULT} when none
     * @throws IllegalArgumentException with the 400 message when a value is not understood
     */
    public static TokenGrants read(Function<String, String> param) {
        TokenGrants g = TokenGrants.DEFAULT;
        String maxHeight = param.apply("maxHeight");
        if (maxHeight != null) {
            int h;
            try {
                h = Integer.parseInt(maxHeight);
            } catch (NumberFormatException e) {
                h = 0;
            }
            if (h < 1 || h > GrantClaims.MAX_HEIGHT) {
                throw new IllegalArgumentException("maxHeight must be 1-" + GrantClaims.MAX_HEIGHT);
            }
            g = g.withQualityCap(h, 0);
        }
        String hidden = param.apply("hidden");
        if (hidden != null) {
            if (!hidden.equals("1") && !hidden.equals("true") && !hidden.equals("0") && !hidden.equals("false")) {
                throw new IllegalArgumentException("hidden must be 1 or 0");
            }
            g = g.withHidden(hidden.equals("1") || hidden.equals("true"));
        }
        return g;
    }
}
