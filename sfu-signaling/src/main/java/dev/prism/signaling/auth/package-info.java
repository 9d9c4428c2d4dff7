/**
 * Access tokens for joining rooms: HS256 JWTs issued and verified by {@link dev.prism.signaling.auth.TokenService},
 * built on nimbus-jose-jwt (JSON parsing, JWS signing input, constant-time HMAC check); the Prism rules around it
 * (HS256 only, strict base64url, required claims, clock skew, maximum lifetime, saturating NumericDate arithmetic) are
 * Prism's own. {@link dev.prism.signaling.auth.AccessToken} keeps its display name display-safe; its
 * {@link dev.prism.signaling.auth.TokenGrants} (sources, hidden, quality cap, room publisher limit; {@code canData}
 * is an {@code AccessToken} component) are read and written strictly by {@code GrantClaims}. The WebSocket
 * handshake handler calls {@link dev.prism.signaling.auth.TokenService#verify(String)} and answers HTTP 401 with
 * {@link dev.prism.signaling.auth.TokenException#reason()} as the body. All classes are immutable or stateless and
 * safe to call from any event-loop thread.
 */
package dev.prism.signaling.auth;
