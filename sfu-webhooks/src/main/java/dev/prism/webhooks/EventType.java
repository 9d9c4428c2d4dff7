package dev.prism.webhooks;

import java.util.Locale;

/** The kinds of webhook event; the JSON field {@code event} carries {@link #wireName()}. */
public enum EventType {
    ROOM_STARTED, ROOM_FINISHED, PARTICIPANT_JOINED, PARTICIPANT_LEFT, TRACK_PUBLISHED, TRACK_UNPUBLISHED, TRACK_MUTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
