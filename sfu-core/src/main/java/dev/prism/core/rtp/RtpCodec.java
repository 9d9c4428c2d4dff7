package dev.prism.core.rtp;

import java.util.List;
import java.util.Map;

/**
 * A negotiated codec: payload type, MIME subtype as written in {@code a=rtpmap} (e.g. "opus", "VP8", "rtx"), clock rate,
 * channel count (1 unless stated), fmtp parameters in order, and RTCP feedback. For RTX, {@code fmtp} holds "apt".
 */
public record RtpCodec(int payloadType, String name, int clockRate, int channels,
                       Map<String, String> fmtp, List<RtcpFeedback> feedback) {
    public RtpCodec {
        fmtp = Map.copyOf(fmtp);
        feedback = List.copyOf(feedback);
    }

    public boolean isRtx() {
        return name.equalsIgnoreCase("rtx");
    }

    /** For an RTX codec, the payload type it repairs; -1 otherwise or when absent. */
    public int associatedPayloadType() {
        String apt = fmtp.get("apt");
        return apt == null ? -1 : Integer.parseInt(apt);
    }
}
