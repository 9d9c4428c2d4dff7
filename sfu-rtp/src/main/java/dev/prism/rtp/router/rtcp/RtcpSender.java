package dev.prism.rtp.router.rtcp;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.bwe.TransportCcFeedbackGenerator;
import dev.prism.rtp.rtcp.GenericNack;
import dev.prism.rtp.rtcp.Pli;
import dev.prism.rtp.rtcp.ReceiverReport;
import dev.prism.rtp.rtcp.Remb;
import dev.prism.rtp.rtcp.ReportBlock;
import dev.prism.rtp.rtcp.RtcpMessage;
import dev.prism.rtp.rtcp.SenderReport;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the RTCP Prism originates (PLI and NACK toward publishers, receiver reports and REMB to publishers, sender
 * reports to subscribers) and sends it through a transport. Also the room's clocks for RTCP: the monotonic clock and
 * the {@link NtpClock} every report of the room is stamped with.
 *
 * <p>Media event loop only; each datagram is one pooled buffer handed to {@link WebRtcTransport#sendRtcp}. These
 * messages go out per loss, per keyframe request or per second, not per packet: building them may allocate. The
 * exception is transport-wide feedback, 20 times a second per publisher: {@link #sendTransportFeedback(WebRtcTransport,
 * TransportCcFeedbackGenerator)} writes it from the generator's builder into the pooled buffer, allocating nothing.
 */
public final class RtcpSender {
    /** The SSRC Prism's own RTCP feedback is sent from (RFC 4585 allows any; 1 is what many SFUs use). */
    public static final long SENDER_SSRC = 1;
    /** Keeps one compound datagram well under a 1200-byte MTU. */
    static final int MAX_COMPOUND_BYTES = 1000;

    private final ByteBufAllocator allocator;
    private final MonoClock clock;
    private final NtpClock ntp;
    private final FeedbackPacker feedbackPacker = new FeedbackPacker();

    public RtcpSender(ByteBufAllocator allocator, MonoClock clock) {
        this.allocator = allocator;
        this.clock = clock;
        this.ntp = new NtpClock(clock);
    }

    /** The room's pooled allocator (the engine's), which RTCP and the subscribers' send stages take buffers from. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    public MonoClock clock() {
        return clock;
    }

    public NtpClock ntp() {
        return ntp;
    }

    /** Asks the sender of {@code mediaSsrc} on {@code transport} for a keyframe. */
    public void sendPli(WebRtcTransport transport, long mediaSsrc) {
        send(transport, List.of(new Pli(SENDER_SSRC, mediaSsrc)));
    }

    /** Asks the sender of {@code mediaSsrc} for the first {@code n} sequence numbers of {@code lost} again. */
    public void sendNack(WebRtcTransport transport, long mediaSsrc, int[] lost, int n) {
        if (n <= 0) {
            return;
        }
        int[] seqs = n == lost.length ? lost : java.util.Arrays.copyOf(lost, n);
        send(transport, List.of(GenericNack.of(SENDER_SSRC, mediaSsrc, seqs)));
    }

    /** Tells a publisher the bitrate it may send for {@code ssrcs}. */
    public void sendRemb(WebRtcTransport transport, long bitrateBps, long[] ssrcs) {
        send(transport, List.of(remb(bitrateBps, ssrcs)));
    }

    /**
     * One receiver report per 31 blocks (at least one, possibly empty), followed by a REMB when {@code rembSsrcs} is
     * not empty: the compound a publisher gets every second.
     */
    public void sendReceiverReports(WebRtcTransport transport, List<ReportBlock> blocks, long rembBps,
                                    long[] rembSsrcs) {
        List<RtcpMessage> messages = new ArrayList<>();
        int i = 0;
        do {
            int end = Math.min(blocks.size(), i + 31);
            // The report copies its blocks: a view is only needed when they do not fit in one.
            List<ReportBlock> part = i == 0 && end == blocks.size() ? blocks : blocks.subList(i, end);
            messages.add(new ReceiverReport(SENDER_SSRC, part));
            i = end;
        } while (i < blocks.size());
        if (rembSsrcs.length > 0) {
            messages.add(remb(rembBps, rembSsrcs));
        }
        send(transport, messages);
    }

    /** Sender reports, as many per datagram as fit. */
    public void sendSenderReports(WebRtcTransport transport, List<SenderReport> reports) {
        send(transport, new ArrayList<>(reports));
    }

    private static Remb remb(long bitrateBps, long[] ssrcs) {
        List<Long> list = new ArrayList<>(ssrcs.length);
        for (long s : ssrcs) {
            list.add(s);
        }
        return Remb.of(SENDER_SSRC, bitrateBps, list);
    }

    /** Sends transport-wide congestion control feedback (uplink estimation is the publisher's, fed by this). */
    public void sendTransportFeedback(WebRtcTransport transport, List<TransportCcFeedback> feedback) {
        if (!feedback.isEmpty()) {
            send(transport, feedback);
        }
    }

    /**
     * Sends the transport-wide feedback {@code generator} has for what arrived since its previous build, packed as
     * {@link #sendTransportFeedback(WebRtcTransport, List)} packs built messages (as many per datagram as fit in
     * {@link #MAX_COMPOUND_BYTES}, in order). Allocates no object: the messages are written straight from the
     * generator's builder into pooled buffers.
     */
    public void sendTransportFeedback(WebRtcTransport transport, TransportCcFeedbackGenerator generator) {
        feedbackPacker.transport = transport;
        try {
            generator.build(feedbackPacker);
            feedbackPacker.flush();
        } finally {
            feedbackPacker.release();
        }
    }

    /**
     * Collects feedback messages into one datagram until the next would pass {@link #MAX_COMPOUND_BYTES}; one per
     * sender, reused (the event loop runs one {@link #sendTransportFeedback} at a time).
     */
    private final class FeedbackPacker implements TransportCcFeedbackGenerator.Sink {
        WebRtcTransport transport;
        private ByteBuf buf;

        @Override
        public void accept(TransportCcFeedback.Builder feedback) {
            int length = feedback.length();
            if (buf != null && buf.readableBytes() + length > MAX_COMPOUND_BYTES) {
                flush();
            }
            if (buf == null) {
                buf = allocator.heapBuffer(Math.max(length, MAX_COMPOUND_BYTES) + SrtpSession.MAX_TRAILER);
            }
            feedback.write(buf);
        }

        void flush() {
            if (buf != null) {
                ByteBuf b = buf;
                buf = null;
                transport.sendRtcp(b); // takes ownership
            }
        }

        /** After a failure: the partial datagram goes back to the pool; the transport is not kept. */
        void release() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
            transport = null;
        }
    }

    /** Packs {@code messages} into as few datagrams of at most {@link #MAX_COMPOUND_BYTES} as the order allows. */
    private void send(WebRtcTransport transport, List<? extends RtcpMessage> messages) {
        int i = 0;
        while (i < messages.size()) {
            int bytes = 0;
            int end = i;
            while (end < messages.size() && (end == i || bytes + messages.get(end).length() <= MAX_COMPOUND_BYTES)) {
                bytes += messages.get(end).length();
                end++;
            }
            ByteBuf buf = allocator.heapBuffer(bytes + SrtpSession.MAX_TRAILER);
            for (int k = i; k < end; k++) {
                messages.get(k).write(buf);
            }
            transport.sendRtcp(buf);
            i = end;
        }
    }
}
