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
 * @param pacingFactor      video leaves through a pacer at this multiple of its bitrate, in 5 ms steps, as
 *                          Chrome's pacer does (2.5); 0 sends each frame as one burst
 */
record MediaProfile(int videoKbps, int fps, int keyframeSeconds, int keyframeFactor, int maxPayload,
                    int audioPayload, double pacingFactor) {
    static final int AUDIO_PTIME_MILLIS = 20;
    static final int PACER_TICK_MILLIS = 5;
    static final MediaProfile DEFAULT = new MediaProfile(1500, 30, 10, 4, 1150, 120, 2.5);

    MediaProfile {
        if (videoKbps < 10 || fps < 1 || fps > 120 || keyframeSeconds < 1 || keyframeFactor < 1
                || maxPayload < 100 || maxPayload > 1400 || audioPayload < 20 || audioPayload > 1000
                || pacingFactor < 0 || (pacingFactor > 0 && pacingFactor < 1)) {
            throw new IllegalArgumentException("unreasonable media profile: " + this);
        }
    }

    /** Average bytes of a delta frame. */
    int averageFrameBytes() {
        return videoKbps * 1000 / 8 / fps;
    }

    /** Video bytes the pacer may send per tick (0 = no pacer). */
    int pacerBytesPerTick() {
        return (int) (pacingFactor * videoKbps * 1000 / 8 * PACER_TICK_MILLIS / 1000);
    }

    /** Packets per second one publisher sends, roughly (audio + video). */
    double packetsPerSecond() {
        double perFrame = Math.ceil((double) averageFrameBytes() / maxPayload);
        return perFrame * fps + 1000.0 / AUDIO_PTIME_MILLIS;
    }
}
