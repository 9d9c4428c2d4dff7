package dev.prism.signaling.sdp;

import dev.prism.core.rtp.RtcpFeedback;

import java.util.List;

/** Writes one codec as Chrome does: a=rtpmap, its a=rtcp-fb lines, then a=fmtp. */
final class CodecLines {
    private CodecLines() {
    }

    static void write(MediaSection.Builder b, int pt, String name, int clockRate, int channels,
                      List<RtcpFeedback> feedback, String fmtp) {
        b.attribute("rtpmap", pt + " " + name + "/" + clockRate + (channels > 1 ? "/" + channels : ""));
        for (RtcpFeedback f : feedback) {
            b.attribute("rtcp-fb", pt + " " + f);
        }
        if (fmtp != null && !fmtp.isEmpty()) {
            b.attribute("fmtp", pt + " " + fmtp);
        }
    }
}
