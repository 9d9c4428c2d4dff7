/**
 * The admin UI and its REST + server-sent-events API, mounted under {@code /admin} by the launcher on the same HTTP
 * server as signaling. It reads and acts only through {@link dev.prism.core.inspect.NodeInspector}: it never sees a
 * media object.
 *
 * <p>Credential: every request under {@code /admin/api} carries {@code Authorization: Bearer <admin secret>}. The
 * event stream may instead carry {@code ?ticket=...}, a short-lived ticket signed with the admin secret and obtained
 * with the bearer credential ({@code POST /admin/api/events/ticket}), because a browser's {@code EventSource} cannot
 * set headers. The static page itself holds no data; it asks for the secret and keeps it in {@code sessionStorage}.
 *
 * <p>Threading: handlers run on a Vert.x event loop and never block; inspector futures are continued back on the
 * handler's Vert.x context.
 */
package dev.prism.admin;
