package dev.prism.server.cluster;

import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import java.util.Collection;

/**
 * The node's room registry in cluster mode: the in-memory one, telling cluster mode when a room comes to exist here
 * and when it ends (its record is then released). Thread-safe; the hooks only start asynchronous work.
 */
final class ClusterRoomRegistry implements RoomRegistry {
    /** What cluster mode hears. Called on the creating thread / the room's loop; must not block. */
    interface Lifecycle {
        void created(String roomId);

        void ended(String roomId);
    }

    private final RoomRegistry rooms;
    private volatile Lifecycle lifecycle = new Lifecycle() {
        @Override
        public void created(String roomId) {
        }

        @Override
        public void ended(String roomId) {
        }
    };

    ClusterRoomRegistry(RoomRegistry rooms) {
        this.rooms = rooms;
    }

    void lifecycle(Lifecycle l) {
        this.lifecycle = l;
    }

    @Override
    public Room getOrCreate(String roomId) {
        Room before = rooms.get(roomId);
        Room room = rooms.getOrCreate(roomId);
        if (room != before) {
            lifecycle.created(roomId);
        }
        return room;
    }

    @Override
    public Room get(String roomId) {
        return rooms.get(roomId);
    }

    @Override
    public void removeIfEmpty(Room room) {
        rooms.removeIfEmpty(room);
        if (rooms.get(room.id()) == null) {
            lifecycle.ended(room.id());
        }
    }

    @Override
    public Collection<Room> rooms() {
        return rooms.rooms();
    }
}
