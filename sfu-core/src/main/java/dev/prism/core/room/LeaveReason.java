package dev.prism.core.room;

/**
 * Why a participant left; the protocol sends {@link #wireName()}. {@link #MIGRATED}: the node told it to join again
 * (its room is moving, e.g. while the node drains); {@link #SERVER_SHUTDOWN}: the node stopped with it still there.
 */
public enum LeaveReason {
    LEFT, DISCONNECTED, MEDIA_TIMEOUT, REPLACED, REMOVED, ROOM_CLOSED, MIGRATED, SERVER_SHUTDOWN;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
