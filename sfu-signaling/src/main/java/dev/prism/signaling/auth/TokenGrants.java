package dev.prism.signaling.auth;

import dev.prism.core.room.TrackSource;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The grants of an access token beyond {@code canPublish} / {@code canSubscribe} / {@code canData} (docs/PROTOCOL.md,
 * token claims), read and written by {@link GrantClaims}. Immutable.
 *
 * @param sources           the sources the holder may publish ({@code sources}); every source when the claim is absent
 * @param hidden            the others do not see the holder: not in room state, no join/leave events, and it may not
 *                          publish ({@code hidden}, default false; for recorders and bots)
 * @param maxVideoHeight    the largest picture height the holder receives, and of its own video forwarded to anyone
 *                          ({@code maxVideo.height}); 0 for none
 * @param maxBitrateBps     the same ceiling as a layer bitrate in bits per second ({@code maxBitrate}); 0 for none
 * @param roomMaxPublishers publishers the room allows at once if the holder's join creates it
 *                          ({@code roomMaxPublishers}); 0 for the node's setting
 */
public record TokenGrants(Set<TrackSource> sources, boolean hidden, int maxVideoHeight, long maxBitrateBps,
                          int roomMaxPublishers) {
    /** Every publishable source. */
    public static final Set<TrackSource> ALL_SOURCES = Set.copyOf(
            EnumSet.of(TrackSource.MICROPHONE, TrackSource.CAMERA, TrackSource.SCREEN, TrackSource.SCREEN_AUDIO));
    /** What a token without any of these claims grants. */
    public static final TokenGrants DEFAULT = new TokenGrants(ALL_SOURCES, false, 0, 0, 0);

    /** @throws IllegalArgumentException on a negative limit or an {@code unknown} source */
    public TokenGrants {
        Objects.requireNonNull(sources, "sources");
        if (sources.contains(TrackSource.UNKNOWN)) {
            throw new IllegalArgumentException("'unknown' is not a source a token can grant");
        }
        sources = sources.isEmpty() ? Set.of() : Set.copyOf(sources);
        if (maxVideoHeight < 0 || maxBitrateBps < 0 || roomMaxPublishers < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /** Whether the holder may publish a track of {@code source}. */
    public boolean allows(TrackSource source) {
        return sources.contains(source);
    }

    /** Whether every source is granted (the claim can be left out). */
    public boolean allSources() {
        return sources.containsAll(ALL_SOURCES);
    }

    public TokenGrants withSources(Set<TrackSource> s) {
        return new TokenGrants(s, hidden, maxVideoHeight, maxBitrateBps, roomMaxPublishers);
    }

    public TokenGrants withHidden(boolean h) {
        return new TokenGrants(sources, h, maxVideoHeight, maxBitrateBps, roomMaxPublishers);
    }

    /** @param height 0 for none @param bitrateBps 0 for none */
    public TokenGrants withQualityCap(int height, long bitrateBps) {
        return new TokenGrants(sources, hidden, height, bitrateBps, roomMaxPublishers);
    }

    public TokenGrants withRoomMaxPublishers(int max) {
        return new TokenGrants(sources, hidden, maxVideoHeight, maxBitrateBps, max);
    }
}
