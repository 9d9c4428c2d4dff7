/**
 * The HTTP server's own defences, below the signaling protocol: size limits on WebSocket messages, a deadline for a
 * request head and an idle timeout for HTTP connections, WebSocket keep-alive pings, the {@code Origin} check on the
 * signaling upgrade, and the security headers of the pages Prism serves.
 *
 * <p>Each refusal is counted in {@link dev.prism.signaling.http.HttpGuardCounters} (a fixed set of reasons) and
 * logged at most once per interval. Threading: everything here runs on the Vert.x event loop of the connection it
 * guards; the counters are read from any thread.
 */
package dev.prism.signaling.http;
