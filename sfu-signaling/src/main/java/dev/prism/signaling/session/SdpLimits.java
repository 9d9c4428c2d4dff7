package dev.prism.signaling.session;

/**
 * Checks a client's SDP against {@link SessionLimits} before anything parses it: one pass over the characters,
 * counting {@code m=} and {@code a=candidate:} lines. Pure; any thread.
 */
final class SdpLimits {
    private SdpLimits() {
    }

    /**
     * @param what "offer" or "answer", for the message
     * @throws SignalingError {@code sdp_too_large}, {@code too_many_media_sections} or {@code too_many_candidates}
     */
    static void check(String sdp, String what) throws SignalingError {
        check(sdp, what, SessionLimits.MAX_SDP_CHARS, SessionLimits.MAX_MEDIA_SECTIONS, SessionLimits.MAX_CANDIDATES);
    }

    /** SDP characters allowed per m-line that an answer has beyond {@link SessionLimits#MAX_MEDIA_SECTIONS}. */
    static final int ANSWER_CHARS_PER_EXTRA_LINE = 2048;

    /**
     * A subscriber's answer to an offer of {@code offeredLines} m-lines. The server chose how many lines it offered (a
     * large room: one per track received), so the answer may have as many, with {@value #ANSWER_CHARS_PER_EXTRA_LINE}
     * more characters and one more candidate for each line beyond the base limits; below them the base limits hold.
     */
    static void checkAnswer(String sdp, int offeredLines) throws SignalingError {
        int extra = Math.max(0, offeredLines - SessionLimits.MAX_MEDIA_SECTIONS);
        check(sdp, "answer", SessionLimits.MAX_SDP_CHARS + extra * ANSWER_CHARS_PER_EXTRA_LINE,
                SessionLimits.MAX_MEDIA_SECTIONS + extra, SessionLimits.MAX_CANDIDATES + extra);
    }

    private static void check(String sdp, String what, int maxChars, int maxSections, int maxCandidates)
            throws SignalingError {
        if (sdp.length() > maxChars) {
            throw new SignalingError("sdp_too_large", "the " + what + " has " + sdp.length()
                    + " characters; the limit is " + maxChars);
        }
        int sections = 0;
        int candidates = 0;
        for (int i = 0; i < sdp.length(); i++) {
            if (i == 0 || sdp.charAt(i - 1) == '\n') {
                if (sdp.startsWith("m=", i)) {
                    sections++;
                } else if (sdp.startsWith("a=candidate:", i)) {
                    candidates++;
                }
            }
        }
        if (sections > maxSections) {
            throw new SignalingError("too_many_media_sections", "the " + what + " has " + sections
                    + " m-lines; the limit is " + maxSections);
        }
        if (candidates > maxCandidates) {
            throw new SignalingError("too_many_candidates", "the " + what + " has " + candidates
                    + " ICE candidates; the limit is " + maxCandidates);
        }
    }
}
