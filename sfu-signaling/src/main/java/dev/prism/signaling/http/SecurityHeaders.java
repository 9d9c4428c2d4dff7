package dev.prism.signaling.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Security headers on every response of the demo page's origin: a Content-Security-Policy, no framing
 * ({@code frame-ancestors 'none'} and {@code X-Frame-Options: DENY} for older browsers), no MIME sniffing, no
 * referrer. Routes that serve other pages (the admin UI) replace the policy with their own.
 *
 * <p>The demo page's policy allows what the page really uses: its own module scripts and stylesheet (no inline script
 * or style), the {@code data:} favicon, fetches and the signaling WebSocket to this same host (written out as
 * {@code ws://} and {@code wss://}: older browsers do not let {@code 'self'} cover WebSocket schemes), and media
 * elements playing {@code MediaStream}s. Any thread.
 */
public final class SecurityHeaders {
    /** A {@code Host} value safe to write into the policy: a name or IPv4/IPv6 literal with an optional port. */
    private static final Pattern SAFE_HOST = Pattern.compile("([A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])"
            + "(:[0-9]{1,5})?");

    private SecurityHeaders() {
    }

    /** The demo page's Content-Security-Policy for a request that named {@code host} (null or odd: 'self' only). */
    public static String demoPagePolicy(String host) {
        String sockets = host != null && SAFE_HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "media-src 'self' blob: mediastream:; connect-src 'self'" + sockets + "; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** Router handler: puts the headers and continues. */
    public static void apply(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.putHeader("Content-Security-Policy", demoPagePolicy(ctx.request().getHeader("Host")))
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }
}
