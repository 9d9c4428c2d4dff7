package dev.prism.signaling.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What the server API remembers of rooms beyond what the conference holds: rooms created ahead of their first join
 * with their options ({@code maxParticipants}, {@code emptyTimeout}, {@code metadata}), and participants' metadata.
 *
 * <p>A Prism room exists while someone is in it; a created room is remembered while it is empty for up to its
 * {@code emptyTimeout} (counted from its creation, or from the moment its last participant left), then forgotten with
 * its options: {@link #sweep}. Participant metadata is forgotten when its participant is no longer in the room.
 * Node-local: in a cluster, each room's options live on the node that owns it.
 *
 * <p>Thread-safe.
 */
public final class RoomDirectory {
    /** Used when a create names no {@code emptyTimeout}, in seconds. */
    public static final int DEFAULT_EMPTY_TIMEOUT_SECONDS = 300;
    public static final int MAX_EMPTY_TIMEOUT_SECONDS = 86_400;
    public static final int MAX_METADATA_CHARS = 4096;

    /**
     * @param maxParticipants 0 = the node's limit
     */
    public record RoomOptions(int maxParticipants, int emptyTimeoutSeconds, String metadata, long createdAtMillis) {
    }

    private static final class Entry {
        volatile RoomOptions options;
        /** Wall millis since which the room has been empty; 0 while someone is in it. */
        volatile long emptySinceMillis;
        final Map<String, String> participantMetadata = new ConcurrentHashMap<>();

        Entry(RoomOptions options, long emptySinceMillis) {
            this.options = options;
            this.emptySinceMillis = emptySinceMillis;
        }
    }

    private final Map<String, Entry> rooms = new ConcurrentHashMap<>();
    private final LongSupplier wallMillis;

    public RoomDirectory(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    /**
     * Creates the room's entry or replaces its options (keeping its creation time).
     *
     * @return true when the room was not known before
     */
    public boolean put(String roomId, int maxParticipants, int emptyTimeoutSeconds, String metadata) {
        long now = wallMillis.getAsLong();
        boolean[] created = {false};
        rooms.compute(roomId, (id, e) -> {
            if (e == null) {
                created[0] = true;
                return new Entry(new RoomOptions(maxParticipants, emptyTimeoutSeconds, metadata, now), now);
            }
            e.options = new RoomOptions(maxParticipants, emptyTimeoutSeconds, metadata, e.options.createdAtMillis());
            return e;
        });
        return created[0];
    }

    /** The room's options, or null when it was never created through the API (or was forgotten). */
    public RoomOptions options(String roomId) {
        Entry e = rooms.get(roomId);
        return e == null ? null : e.options;
    }

    /** The room's own participant limit, 0 for the node's. Any thread; cheap (called at every join). */
    public int maxParticipants(String roomId) {
        Entry e = rooms.get(roomId);
        return e == null ? 0 : e.options.maxParticipants();
    }

    /** Room ids remembered, in no order. */
    public List<String> roomIds() {
        return List.copyOf(rooms.keySet());
    }

    /** Forgets a room and its participants' metadata. @return whether it was known */
    public boolean remove(String roomId) {
        return rooms.remove(roomId) != null;
    }

    /**
     * Sets a participant's metadata; creates the room's entry (node defaults) when the room was not created through
     * the API. Null clears it.
     */
    public void participantMetadata(String roomId, String identity, String metadata) {
        Entry e = rooms.computeIfAbsent(roomId, id -> new Entry(new RoomOptions(0, DEFAULT_EMPTY_TIMEOUT_SECONDS, null,
                wallMillis.getAsLong()), 0));
        if (metadata == null) {
            e.participantMetadata.remove(identity);
        } else {
            e.participantMetadata.put(identity, metadata);
        }
    }

    /** The participant's metadata, or null. */
    public String participantMetadata(String roomId, String identity) {
        Entry e = rooms.get(roomId);
        return e == null ? null : e.participantMetadata.get(identity);
    }

    /**
     * Forgets rooms empty for longer than their {@code emptyTimeout} and the metadata of participants who left.
     *
     * @param occupied whether the room of that id has participants now, on this node
     * @param present  whether a participant ({@code roomId + "\u0000" + identity}) is in its room now
     * @return the ids forgotten
     */
    public List<String> sweep(Predicate<String> occupied, Predicate<String> present) {
        long now = wallMillis.getAsLong();
        List<String> forgotten = new java.util.ArrayList<>();
        for (Map.Entry<String, Entry> me : rooms.entrySet()) {
            String id = me.getKey();
            Entry e = me.getValue();
            e.participantMetadata.keySet().removeIf(identity -> !present.test(id + "\u0000" + identity));
            if (occupied.test(id)) {
                e.emptySinceMillis = 0;
            } else if (e.emptySinceMillis == 0) {
                e.emptySinceMillis = now;
            } else if (now - e.emptySinceMillis >= e.options.emptyTimeoutSeconds() * 1000L) {
                if (rooms.remove(id, e)) {
                    forgotten.add(id);
                }
            }
        }
        return forgotten;
    }
}
