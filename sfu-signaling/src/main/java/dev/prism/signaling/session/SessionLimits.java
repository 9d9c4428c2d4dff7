package dev.prism.signaling.session;

/**
 * What one participant may ask of the server (docs/PROTOCOL.md, "Limits"). Each limit refuses the request with its
 * own error code, counted like every error; nothing of the request is applied.
 */
public final class SessionLimits {
    /** Characters of SDP in one {@code publishOffer} or {@code subscriberAnswer} (64 KiB; Chrome's offer for two
     * simulcast tracks is about 6 KiB). Error {@code sdp_too_large}. */
    public static final int MAX_SDP_CHARS = 64 * 1024;
    /** m-lines in one offer or answer, rejected ones included. Error {@code too_many_media_sections}. */
    public static final int MAX_MEDIA_SECTIONS = 16;
    /** Tracks one participant publishes at once (microphone, camera, screen and its audio, with room to spare).
     * Error {@code too_many_tracks}. */
    public static final int MAX_PUBLISHED_TRACKS = 8;
    /** {@code a=candidate} lines in one SDP (one connection's candidates: Prism is ICE-lite and takes no trickled
     * candidates, so these are all a browser sends). Error {@code too_many_candidates}. */
    public static final int MAX_CANDIDATES = 32;

    private SessionLimits() {
    }
}
