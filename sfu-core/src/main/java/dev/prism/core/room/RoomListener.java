package dev.prism.core.room;

/**
 * Receives a room's events. Called on the room's executor thread; implementations must not block and should hand
 * I/O off (a WebSocket write is fine: it is asynchronous).
 */
@FunctionalInterface
public interface RoomListener {
    void onRoomEvent(RoomEvent event);
}
