package dev.prism.rtp.router;

import dev.prism.rtp.rtcp.Fir;
import dev.prism.rtp.rtcp.Pli;
import dev.prism.rtp.rtcp.RtcpCompoundParser;
import dev.prism.rtp.rtcp.RtcpHeader;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Routes a subscriber's RTCP feedback to the producers behind the SSRCs Prism sends it: PLI and FIR become
 * (throttled) keyframe requests upstream. Media event loop only.
 */
final class RtcpFeedbackRouter {
    private final IntObjectHashMap<Consumer> consumersBySsrc;
    private final MediaCounters counters;
    private final RtcpCompoundParser parser = new RtcpCompoundParser();

    RtcpFeedbackRouter(IntObjectHashMap<Consumer> consumersBySsrc, MediaCounters counters) {
        this.consumersBySsrc = consumersBySsrc;
        this.counters = counters;
    }

    void onRtcp(ByteBuf compound) {
        parser.reset(compound);
        while (parser.next()) {
            if (parser.packetType() != RtcpHeader.PT_PSFB) {
                continue;
            }
            if (parser.countOrFormat() == RtcpHeader.FMT_PLI) {
                Pli pli = Pli.parse(parser.buffer(), parser.offset(), parser.length());
                if (pli != null) {
                    keyframeRequest(pli.mediaSsrc());
                }
            } else if (parser.countOrFormat() == RtcpHeader.FMT_FIR) {
                Fir fir = Fir.parse(parser.buffer(), parser.offset(), parser.length());
                if (fir != null) {
                    for (Fir.Entry e : fir.entries()) {
                        keyframeRequest(e.ssrc());
                    }
                }
            }
        }
        if (parser.malformed()) {
            counters.drop(DropReason.RTCP_MALFORMED);
        }
    }

    private void keyframeRequest(long ssrc) {
        Consumer c = consumersBySsrc.get((int) ssrc);
        if (c != null) {
            c.requestKeyframe();
        }
    }
}
