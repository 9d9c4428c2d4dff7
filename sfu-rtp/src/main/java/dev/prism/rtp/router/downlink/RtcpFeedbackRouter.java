package dev.prism.rtp.router.downlink;

import dev.prism.rtp.router.rtcp.NtpClock;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.rtcp.Fir;
import dev.prism.rtp.rtcp.GenericNack;
import dev.prism.rtp.rtcp.Pli;
import dev.prism.rtp.rtcp.ReceiverReport;
import dev.prism.rtp.rtcp.Remb;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.RtcpCompoundParser;
import dev.prism.rtp.rtcp.RtcpHeader;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Routes a subscriber's RTCP to the consumers behind the SSRCs Prism sends it: PLI and FIR become (coalesced,
 * throttled) keyframe requests upstream, generic NACKs become retransmissions, and receiver report blocks give each
 * consumer the subscriber's view (loss, jitter) and the round-trip time (RFC 3550 section 6.4.1: arrival - LSR - DLSR).
 * Transport-cc feedback and REMB go to the subscriber's downlink estimator.
 * Media event loop only.
 */
final class RtcpFeedbackRouter {
    private final IntObjectHashMap<Consumer> consumersBySsrc;
    private final MediaCounters counters;
    private final RtcpSender rtcp;
    private final LongConsumer rttSamples;
    private final LongSupplier rttNanos;
    private final RtcpCompoundParser parser = new RtcpCompoundParser();
    private final java.util.function.Consumer<TransportCcFeedback> transportFeedback;
    /** Re-read for every transport-cc message; handed to {@code transportFeedback}, which must not keep it. */
    private final TransportCcFeedback transportCc = TransportCcFeedback.reusable();
    private final LongConsumer remb;
    private final Listener listener;

    /** What the downlink learns from the subscriber's RTCP besides transport-cc and REMB. */
    interface Listener {
        /**
         * A transport-cc message that does not parse (counted as {@code drop.transport_cc_malformed}).
         *
         * @param buffer the compound packet, borrowed for the call
         * @param offset where the message starts
         * @param length its length in bytes
         */
        void onMalformedTransportFeedback(ByteBuf buffer, int offset, int length);

        /** The worst "fraction lost" (0..255) among one report's blocks about the streams Prism sends. */
        void onReceiverLoss(int fractionLost);
    }

    /**
     * @param rttSamples        told each round-trip sample in nanoseconds
     * @param rttNanos          the smoothed round trip, which spaces repeated retransmissions of one packet
     * @param transportFeedback told each transport-cc feedback message (the downlink estimator); it borrows the
     *                          message for the call (the router reads the next one into the same instance)
     * @param remb              told each REMB bitrate in bits per second
     * @param listener          told malformed transport-cc and receiver-report loss
     */
    RtcpFeedbackRouter(IntObjectHashMap<Consumer> consumersBySsrc, MediaCounters counters, RtcpSender rtcp,
                       LongConsumer rttSamples, LongSupplier rttNanos,
                       java.util.function.Consumer<TransportCcFeedback> transportFeedback, LongConsumer remb,
                       Listener listener) {
        this.consumersBySsrc = consumersBySsrc;
        this.counters = counters;
        this.rtcp = rtcp;
        this.rttSamples = rttSamples;
        this.rttNanos = rttNanos;
        this.transportFeedback = transportFeedback;
        this.remb = remb;
        this.listener = listener;
    }

    void onRtcp(ByteBuf compound) {
        long now = rtcp.clock().nanos();
        parser.reset(compound);
        while (parser.next()) {
            int type = parser.packetType();
            int fmt = parser.countOrFormat();
            if (type == RtcpHeader.PT_PSFB && fmt == RtcpHeader.FMT_PLI) {
                Pli pli = Pli.parse(parser.buffer(), parser.offset(), parser.length());
                if (pli != null) {
                    keyframeRequest(pli.mediaSsrc());
                }
            } else if (type == RtcpHeader.PT_PSFB && fmt == RtcpHeader.FMT_FIR) {
                Fir fir = Fir.parse(parser.buffer(), parser.offset(), parser.length());
                if (fir != null) {
                    for (Fir.Entry e : fir.entries()) {
                        keyframeRequest(e.ssrc());
                    }
                }
            } else if (type == RtcpHeader.PT_RTPFB && fmt == RtcpHeader.FMT_NACK) {
                GenericNack nack = GenericNack.parse(parser.buffer(), parser.offset(), parser.length());
                if (nack != null) {
                    onNack(nack, now);
                }
            } else if (type == RtcpHeader.PT_RTPFB && fmt == RtcpHeader.FMT_TCC) {
                // Read in place: every subscriber sends one ten times a second. The consumer borrows it for the call.
                if (transportCc.readFrom(parser.buffer(), parser.offset(), parser.length())) {
                    transportFeedback.accept(transportCc);
                } else {
                    counters.drop(DropReason.TRANSPORT_CC_MALFORMED);
                    listener.onMalformedTransportFeedback(parser.buffer(), parser.offset(), parser.length());
                }
            } else if (type == RtcpHeader.PT_PSFB && fmt == RtcpHeader.FMT_AFB) {
                Remb r = Remb.parse(parser.buffer(), parser.offset(), parser.length());
                if (r != null) {
                    remb.accept(r.bitrate());
                }
            } else if (type == RtcpHeader.PT_RR) {
                ReceiverReport rr = ReceiverReport.parse(parser.buffer(), parser.offset(), parser.length());
                if (rr != null) {
                    onReportBlocks(rr.reportBlocks(), now);
                }
            } else if (type == RtcpHeader.PT_SR) {
                // A subscriber that also sends (it does not on a recvonly connection) may carry blocks in an SR.
                SenderReport sr = SenderReport.parse(parser.buffer(), parser.offset(), parser.length());
                if (sr != null) {
                    onReportBlocks(sr.reportBlocks(), now);
                }
            }
        }
        if (parser.malformed()) {
            counters.drop(DropReason.RTCP_MALFORMED);
        }
    }

    private void onNack(GenericNack nack, long now) {
        Consumer c = consumersBySsrc.get((int) nack.mediaSsrc());
        if (c == null) {
            return;
        }
        int[] lost = nack.lostSequenceNumbers();
        counters.nacksReceived(lost.length);
        // Repeats of one packet closer than half an RTT are the subscriber re-asking before our answer could land.
        long minInterval = Math.max(0, rttNanos.getAsLong() / 2);
        for (int seq : lost) {
            c.retransmit(seq, now, minInterval);
        }
    }

    private void onReportBlocks(List<ReportBlock> blocks, long now) {
        long arrival = NtpClock.compact(rtcp.ntp().ntp(now));
        int worstLoss = -1;
        for (ReportBlock b : blocks) {
            Consumer c = consumersBySsrc.get((int) b.ssrc());
            if (c == null) {
                continue;
            }
            worstLoss = Math.max(worstLoss, b.fractionLost());
            long rtt = -1;
            if (b.lastSr() != 0) {
                long compact = (arrival - b.lastSr() - b.delaySinceLastSr()) & 0xFFFF_FFFFL;
                // A negative difference wraps to a huge value: clock trouble or a forged block; ignore above 60 s.
                if (compact < 60L << 16) {
                    rtt = NtpClock.compactToNanos(compact);
                    rttSamples.accept(rtt);
                }
            }
            c.onReceiverReport(b, rtt);
        }
        if (worstLoss >= 0) {
            listener.onReceiverLoss(worstLoss);
        }
    }

    private void keyframeRequest(long ssrc) {
        Consumer c = consumersBySsrc.get((int) ssrc);
        if (c != null) {
            c.requestKeyframe();
        }
    }
}
