package dev.prism.core.room;

import java.util.Collection;

/**
 * Where rooms live. The single-node default is {@link InMemoryRoomRegistry}; a clustered registry (Redis) can
 * implement the same contract later. Thread-safe.
 */
public interface RoomRegistry {
    /** The room with this id, created (and pinned to an executor) when absent. */
    Room getOrCreate(String roomId);

    /** The room, or null. */
    Room get(String roomId);

    /** Forgets and closes the room when it is empty. Call on the room's executor. */
    void removeIfEmpty(Room room);

    Collection<Room> rooms();
}
