/**
 * The send side of a room: {@link dev.prism.rtp.router.downlink.SubscriberEndpoint} (one per subscriber connection)
 * owns that subscriber's consumers, routes its RTCP to them (PLI/FIR, NACK, receiver reports;
 * {@link dev.prism.rtp.router.downlink.RtcpFeedbackRouter}), sends it sender reports, and runs its downlink estimate and
 * allocation ({@link dev.prism.rtp.router.downlink.DownlinkController}) and probes.
 *
 * <p>A {@link dev.prism.rtp.router.downlink.Consumer} is one subscriber's copy of one producer, either an
 * {@link dev.prism.rtp.router.downlink.AudioConsumer} (fixed offsets; Opus RED forwarded as is or stripped to Opus
 * by its {@link dev.prism.rtp.router.downlink.RedForwarder}, which edits the copy before it is sent; top-N audio's
 * per-packet decision in its {@link dev.prism.rtp.router.downlink.TopNAudioGate}, a withheld run resynchronising the
 * output so it is no gap) or a
 * {@link dev.prism.rtp.router.downlink.VideoConsumer} (simulcast layer selection, VP8 continuity, RTX answers from the
 * producer's history through its {@link dev.prism.rtp.router.downlink.Retransmitter} and
 * {@link dev.prism.rtp.router.downlink.SentPacketLog}). Every packet leaves through the subscriber's
 * {@link dev.prism.rtp.router.downlink.SendStage}, which makes the copy, passes it through the subscriber's pacer
 * ({@code dev.prism.rtp.pacer}) and, when it leaves, writes Prism's transport-wide sequence number into it and hands
 * it to the transport.
 *
 * <p>The downlink depends on the uplink (a consumer reads its producer: extension ids, history, sender-report
 * mapping, keyframe requests), never the other way.
 *
 * <h2>Threads</h2>
 * The media event loop of the room only; consumers by SSRC live in a primitive-keyed map read per RTCP packet.
 *
 * <h2>Who owns a buffer</h2>
 * <ol>
 * <li>A consumer borrows the producer's packet for the call. Each subscriber has its own SRTP keys, so one copy per
 *     receiver is the floor: the send stage allocates it from the pool with tail room for the SRTP tag, and
 *     {@code SendStage.sendCopy}/{@code send} take it in every outcome: the pacer holds it (releasing it when a full
 *     queue drops it or the transport closes) or the transport owns it from then on.</li>
 * <li>A copy is numbered for transport-wide feedback when it leaves the pacer, so the estimator sees the real send
 *     time and a copy that never leaves takes no number.</li>
 * <li>Retransmissions and probe copies are such copies too, rebuilt from the producer's history plus the consumer's
 *     per-packet log (original sequence number, output timestamp, the VP8 counters the rewriter reported), never
 *     stored per consumer. The history's packet is only borrowed while the copy is built.</li>
 * </ol>
 */
package dev.prism.rtp.router.downlink;
