package dev.prism.core.room;

/** Why a participant left; the protocol sends {@link #wireName()}. */
public enum LeaveReason {
    LEFT, DISCONNECTED, MEDIA_TIMEOUT, REPLACED, REMOVED, ROOM_CLOSED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
