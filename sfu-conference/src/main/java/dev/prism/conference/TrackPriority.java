package dev.prism.conference;

import dev.prism.core.room.TrackSource;
import dev.prism.rtp.alloc.Priority;

/** The allocator priority a subscription starts with, from the source its publisher declared. */
final class TrackPriority {
    private TrackPriority() {
    }

    /** A shared screen is served first (its text must stay readable); everything else starts as normal video. */
    static Priority of(TrackSource source) {
        return source == TrackSource.SCREEN ? Priority.SCREEN_SHARE : Priority.NORMAL;
    }
}
