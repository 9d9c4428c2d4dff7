package dev.prism.perf.load;

/**
 * What each simulated publisher sends: one VP8 video stream and one Opus audio stream at rates like a browser's.
 *
 * @param videoKbps         average video bitrate
 * @param fps               video frames per second
 * @param keyframeSeconds   a key frame at least this often (and on every PLI/FIR)
 * @param keyframeFactor    a key frame is this many times an average frame
 * @param maxPayload        largest RTP payload per video packet (Chrome stays near 1200 bytes on the wire)
 * @param audioPayload      Opus payload bytes per 20 ms packet (120 B = 48 kbit/s)
 */
record MediaProfile(int videoKbps, int fps, int keyframeSeconds, int keyframeFactor, int maxPayload,
                    int audioPayload) {
    static final int AUDIO_PTIME_MILLIS = 20;
    static final MediaProfile DEFAULT = new MediaProfile(1500, 30, 10, 4, 1150, 120);

    MediaProfile {
        if (videoKbps < 10 || fps < 1 || fps > 120 || keyframeSeconds < 1 || keyframeFactor < 1
                || maxPayload < 100 || maxPayload > 1400 || audioPayload < 20 || audioPayload > 1000) {
            throw new IllegalArgumentException("unreasonable media profile: " + this);
        }
    }

    /** Average bytes of a delta frame. */
    int averageFrameBytes() {
        return videoKbps * 1000 / 8 / fps;
    }

    /** Packets per second one publisher sends, roughly (audio + video). */
    double packetsPerSecond() {
        double perFrame = Math.ceil((double) averageFrameBytes() / maxPayload);
        return perFrame * fps + 1000.0 / AUDIO_PTIME_MILLIS;
    }
}
