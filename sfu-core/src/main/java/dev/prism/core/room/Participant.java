package dev.prism.core.room;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A member of a room with its grants and published tracks. Mutable only through {@link Room}, on the room's executor;
 * read it there too.
 */
public final class Participant {
    private final String id;
    private final String name;
    private boolean canPublish;
    private boolean canSubscribe;
    private final boolean hidden;
    private final RoomListener listener;
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private int nextTrackIndex;

    Participant(String id, String name, boolean canPublish, boolean canSubscribe, boolean hidden,
                RoomListener listener) {
        this.id = id;
        this.hidden = hidden;
        this.name = name;
        this.canPublish = canPublish;
        this.canSubscribe = canSubscribe;
        this.listener = listener;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean canPublish() {
        return canPublish;
    }

    public boolean canSubscribe() {
        return canSubscribe;
    }

    /**
     * A participant the others do not see (a recorder, a bot: the token's {@code hidden} grant): its joining and
     * leaving reach only the room's observers, and room state sent to clients leaves it out.
     */
    public boolean hidden() {
        return hidden;
    }

    /** Tracks in publication order; unmodifiable view. */
    public Collection<Track> tracks() {
        return Collections.unmodifiableCollection(tracks.values());
    }

    public Track track(String trackId) {
        return tracks.get(trackId);
    }

    /** The server API changed the grants live ({@link Room#setGrants}). */
    void setGrants(boolean publish, boolean subscribe) {
        this.canPublish = publish;
        this.canSubscribe = subscribe;
    }

    RoomListener listener() {
        return listener;
    }

    Map<String, Track> mutableTracks() {
        return tracks;
    }

    String nextTrackId() {
        return id + ":" + (nextTrackIndex++);
    }

    @Override
    public String toString() {
        return "Participant[" + id + " '" + name + "']";
    }
}
