package dev.prism.signaling.session;

import dev.prism.core.room.LeaveReason;
import io.vertx.core.json.JsonObject;

/**
 * What a client is told when the node ends its session ({@link dev.prism.conference.ConferenceListener#onRemoved}):
 * the last message and the close code after it (docs/PROTOCOL.md, close codes). Pure.
 *
 * @param message     sent right before the close
 * @param closeCode   the WebSocket close code
 * @param closeReason the close frame's reason text
 */
record NodeEnding(JsonObject message, short closeCode, String closeReason) {
    /** The {@code migrate} message's reason: the room is moving (a node drain, or an operator's move). */
    static final String ROOM_MOVING = "room_moving";

    static NodeEnding of(LeaveReason reason) {
        return switch (reason) {
            case ROOM_CLOSED -> new NodeEnding(ProtocolJson.error("room_closed", "an operator closed the room", null,
                    null), CloseCodes.ROOM_CLOSED, "room closed");
            case MIGRATED -> new NodeEnding(new JsonObject().put("type", "migrate").put("reason", ROOM_MOVING)
                    .put("message", "the room is moving: join again now"), CloseCodes.MIGRATE, "migrate");
            case SERVER_SHUTDOWN -> new NodeEnding(new JsonObject().put("type", "shutdown")
                    .put("reason", "server_shutdown").put("message", "the server is shutting down"),
                    CloseCodes.SERVER_SHUTDOWN, "server shutdown");
            default -> new NodeEnding(ProtocolJson.error("removed", "an operator removed you from the room", null,
                    null), CloseCodes.REMOVED, "removed");
        };
    }
}
