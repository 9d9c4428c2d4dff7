package dev.prism.conference;

import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.router.downlink.Consumer;

/**
 * One m-line of a participant's subscriber connection. A slot whose track went away stays as an inactive line and is
 * reused by the next track of the same kind, so the SDP never grows without bound.
 */
final class SubscriberSlot {
    final String mid;
    final MediaKind kind;
    String trackId;
    String publisherId;
    long ssrc;
    /** The SSRC of the track's RTX stream (video), 0 for none. */
    long rtxSsrc;
    /** Whether the subscriber's answer accepted RTX on this line (retransmissions then go out on {@link #rtxSsrc}). */
    boolean rtxAccepted;
    /** The RED payload type the subscriber's answer kept on this audio line, -1 for none (RED stripped to Opus). */
    int redPayloadType = -1;
    /** Whether an answer accepted this line since the track was put on it. */
    boolean answered;
    /** The header extensions the subscriber's answer kept on this line; null until answered. */
    java.util.List<dev.prism.core.rtp.HeaderExtension> extensions;
    Consumer consumer;
    /** What the subscriber asked for this track (rendered size, pause); null for the defaults. */
    dev.prism.rtp.alloc.Preferences preferences;

    SubscriberSlot(String mid, MediaKind kind) {
        this.mid = mid;
        this.kind = kind;
    }

    /** The payload type of the Opus RED codec {@code accepted} kept, or -1. */
    static int redPayloadType(dev.prism.core.rtp.MediaDescription accepted) {
        for (dev.prism.core.rtp.RtpCodec c : accepted.codecs()) {
            if (c.name().equalsIgnoreCase("red")) {
                return c.payloadType();
            }
        }
        return -1;
    }

    boolean active() {
        return trackId != null;
    }

    void clear() {
        trackId = null;
        publisherId = null;
        ssrc = 0;
        rtxSsrc = 0;
        rtxAccepted = false;
        redPayloadType = -1;
        answered = false;
        extensions = null;
        consumer = null;
        preferences = null;
    }
}
