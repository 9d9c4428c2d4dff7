/**
 * Access tokens for joining rooms: HS256 JWTs issued and verified by {@link dev.prism.signaling.auth.TokenService},
 * built on the JDK's HmacSHA256 and Vert.x's JSON. The WebSocket handshake handler calls
 * {@link dev.prism.signaling.auth.TokenService#verify(String)} and answers HTTP 401 with
 * {@link dev.prism.signaling.auth.TokenException#reason()} as the body. All classes are immutable or stateless and
 * safe to call from any event-loop thread.
 */
package dev.prism.signaling.auth;
