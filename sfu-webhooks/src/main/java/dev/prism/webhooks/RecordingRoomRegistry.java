package dev.prism.webhooks;

import dev.prism.core.room.Room;
import dev.prism.core.room.RoomRegistry;
import java.util.Collection;

/**
 * A {@link RoomRegistry} that lets a {@link RoomEventRecorder} watch every room it hands out and hear a room end just
 * before the registry forgets it, so {@code room_finished} is numbered before any event of a room opened afresh under
 * the same name (that room cannot exist until this one is forgotten).
 */
public final class RecordingRoomRegistry implements RoomRegistry {
    private final RoomRegistry delegate;
    private final RoomEventRecorder recorder;

    public RecordingRoomRegistry(RoomRegistry delegate, RoomEventRecorder recorder) {
        this.delegate = delegate;
        this.recorder = recorder;
    }

    @Override
    public Room getOrCreate(String roomId) {
        Room room = delegate.getOrCreate(roomId);
        recorder.watch(room);
        return room;
    }

    @Override
    public Room get(String roomId) {
        return delegate.get(roomId);
    }

    /** On the room's loop, as the contract says: the room cannot change under this check. */
    @Override
    public void removeIfEmpty(Room room) {
        if (room.isEmpty() && delegate.get(room.id()) == room) {
            recorder.roomEnding(room);
        }
        delegate.removeIfEmpty(room);
    }

    @Override
    public Collection<Room> rooms() {
        return delegate.rooms();
    }
}
