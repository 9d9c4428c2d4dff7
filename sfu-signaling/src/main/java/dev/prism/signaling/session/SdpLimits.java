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
        if (sdp.length() > SessionLimits.MAX_SDP_CHARS) {
            throw new SignalingError("sdp_too_large", "the " + what + " has " + sdp.length()
                    + " characters; the limit is " + SessionLimits.MAX_SDP_CHARS);
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
        if (sections > SessionLimits.MAX_MEDIA_SECTIONS) {
            throw new SignalingError("too_many_media_sections", "the " + what + " has " + sections
                    + " m-lines; the limit is " + SessionLimits.MAX_MEDIA_SECTIONS);
        }
        if (candidates > SessionLimits.MAX_CANDIDATES) {
            throw new SignalingError("too_many_candidates", "the " + what + " has " + candidates
                    + " ICE candidates; the limit is " + SessionLimits.MAX_CANDIDATES);
        }
    }
}
