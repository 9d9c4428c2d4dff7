package dev.prism.core.room;

import dev.prism.core.rtp.MediaKind;

/**
 * A published track as the room knows it: the authoritative record of who publishes what and whether it is muted.
 * Mutable only through {@link Room}, on the room's executor.
 */
public final class Track {
    private final String id;
    private final String participantId;
    private final MediaKind kind;
    private final TrackSource source;
    private final String publisherMid;
    private boolean muted;

    Track(String id, String participantId, MediaKind kind, TrackSource source, String publisherMid, boolean muted) {
        this.id = id;
        this.participantId = participantId;
        this.kind = kind;
        this.source = source;
        this.publisherMid = publisherMid;
        this.muted = muted;
    }

    public String id() {
        return id;
    }

    public String participantId() {
        return participantId;
    }

    public MediaKind kind() {
        return kind;
    }

    public TrackSource source() {
        return source;
    }

    /** The m-line of this track in its publisher's publisher connection. */
    public String publisherMid() {
        return publisherMid;
    }

    public boolean muted() {
        return muted;
    }

    void setMuted(boolean muted) {
        this.muted = muted;
    }

    @Override
    public String toString() {
        return "Track[" + id + " " + kind + " " + source + (muted ? " muted" : "") + "]";
    }
}
