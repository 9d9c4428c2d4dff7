package dev.prism.signaling.sdp;

import dev.prism.core.rtp.MediaKind;

import java.util.Objects;

/**
 * One m-line of a subscriber offer. An active line carries one remote track that Prism sends: its SSRC, its RTX SSRC
 * (video only; 0 for none) and the msid stream/track ids the browser will see. An inactive line is the slot of a
 * removed track, kept as {@code a=inactive} so that m-lines are never removed (unified plan only recycles them); its
 * SSRCs and ids are ignored. A slot keeps its mid and kind for the life of the connection.
 *
 * <p>Browsers fix a receiver track's id when its transceiver is created, so a reused slot shows the new stream id
 * but not the new track id (Chromium 156, see test resources sdp/CAPTURED.md): clients must map tracks by mid.
 *
 * <p>Active lines are validated on construction: SSRC 1..2^32-1, RTX SSRC 0 or different from the SSRC, and stream
 * and track ids that are single SDP tokens; violations throw {@link IllegalArgumentException}.
 */
public record SubscriberTrackLine(String mid, MediaKind kind, boolean active, long ssrc, long rtxSsrc,
                                  String streamId, String trackId) {
    public SubscriberTrackLine {
        Tokens.requireToken(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        if (active) {
            if (ssrc < 1 || ssrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ssrc out of range: " + ssrc);
            }
            if (rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL || rtxSsrc == ssrc) {
                throw new IllegalArgumentException("bad rtx ssrc: " + rtxSsrc);
            }
            Tokens.requireToken(streamId, "streamId");
            Tokens.requireToken(trackId, "trackId");
        }
    }

    /** An active line. */
    public static SubscriberTrackLine active(String mid, MediaKind kind, long ssrc, long rtxSsrc, String streamId,
                                             String trackId) {
        return new SubscriberTrackLine(mid, kind, true, ssrc, rtxSsrc, streamId, trackId);
    }

    /** The slot of a removed track. */
    public static SubscriberTrackLine inactive(String mid, MediaKind kind) {
        return new SubscriberTrackLine(mid, kind, false, 0, 0, null, null);
    }

    /** This slot made inactive (the track was removed); mid and kind stay. */
    public SubscriberTrackLine deactivated() {
        return inactive(mid, kind);
    }
}
