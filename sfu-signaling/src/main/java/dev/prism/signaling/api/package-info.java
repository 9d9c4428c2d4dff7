/**
 * The server API for backends under {@code /api/v1} (docs/API.md): rooms with options, participants, live grants,
 * metadata, track mutes and data messages, authenticated with {@code roomAdmin} tokens
 * ({@link dev.prism.signaling.auth.ServerApiTokens}).
 *
 * <p>Threading: handlers run on the HTTP server's Vert.x event loop and never block it; every read or change of a room
 * hops to the room's loop ({@link dev.prism.core.room.Room#executor()}) and the reply hops back
 * ({@link ApiReplies}). {@link RoomDirectory} is thread-safe.
 *
 * <p>Extension: other features add authenticated routes with {@link ServerApiRoutes#route} before the router is
 * mounted.
 */
package dev.prism.signaling.api;
