package dev.prism.core.room;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** Single-node room registry: rooms in a map, each pinned to the executor the given function picks for it. */
public final class InMemoryRoomRegistry implements RoomRegistry {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Function<String, Executor> executorForRoom;
    private final List<RoomListener> observers;

    /**
     * @param executorForRoom picks the owner thread of a new room (e.g. the next media event loop)
     * @param observers       added to every new room (metrics, admin)
     */
    public InMemoryRoomRegistry(Function<String, Executor> executorForRoom, List<RoomListener> observers) {
        this.executorForRoom = executorForRoom;
        this.observers = List.copyOf(observers);
    }

    @Override
    public Room getOrCreate(String roomId) {
        return rooms.compute(roomId, (id, existing) -> {
            if (existing != null && !existing.isClosed()) {
                return existing;
            }
            Room r = new Room(id, executorForRoom.apply(id));
            observers.forEach(r::addObserver);
            return r;
        });
    }

    @Override
    public Room get(String roomId) {
        return rooms.get(roomId);
    }

    @Override
    public void removeIfEmpty(Room room) {
        rooms.computeIfPresent(room.id(), (id, r) -> {
            if (r == room && r.isEmpty()) {
                r.close(); // a join still queued on the room's executor now fails and asks the registry again
                return null;
            }
            return r;
        });
    }

    @Override
    public Collection<Room> rooms() {
        return List.copyOf(rooms.values());
    }
}
