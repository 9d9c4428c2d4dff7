/**
 * Bandwidth estimation, uplink and downlink; pure decision objects with an injected
 * {@link dev.prism.core.clock.MonoClock} and no I/O.
 *
 * <ul>
 *   <li>Uplink (publisher -> Prism): {@link dev.prism.rtp.bwe.TransportCcFeedbackGenerator} records arrivals of
 *       packets carrying the transport-wide sequence number ({@link dev.prism.rtp.bwe.TransportWideSeq}) and builds
 *       transport-cc feedback for the publisher's own estimator, every 50 ms (what libwebrtc receivers do at these
 *       rates). Arrival times are the socket read time ({@code WebRtcTransport.receivedAtNanos}), not the time the
 *       loop got round to the packet: anything the loop does first (decryption, other packets, a GC pause, being
 *       descheduled) shows to the sender's delay-based estimator as queueing on the network and holds its estimate
 *       down. docs/ARCHITECTURE.md ("Why a publisher's estimate stayed low") has the measurements.</li>
 *   <li>Downlink (Prism -> subscriber): {@link dev.prism.rtp.bwe.SendSideEstimator} (delay gradient + AIMD + loss, on
 *       the subscriber's transport-cc feedback about packets Prism numbered), or
 *       {@link dev.prism.rtp.bwe.RembEstimator} for a subscriber that only sends REMB; both are
 *       {@link dev.prism.rtp.bwe.BandwidthEstimator}s for the allocator. {@link dev.prism.rtp.bwe.Prober} decides when
 *       to send padding above the media so the estimate can rise to the next layer.
 *       {@link dev.prism.rtp.bwe.LossClassifier} tells random loss (repaired by retransmission, no queue) from
 *       congestion, so that the loss cap and probing carry on through the former.
 *       {@link dev.prism.rtp.bwe.LinkDropDetector} notices a link that dropped far below what is sent (a full or growing standing queue, arrivals well behind
 *       sending) within one or two feedback messages and measures what it carries, so the estimate falls in one
 *       step and the subscriber switches down once (docs/SIMULCAST.md, "Switching down when a link drops").
 *       A probe whose packets queue up stops at once and fails ({@link dev.prism.rtp.bwe.ProbeObserver#onProbeQueueing}),
 *       so probing a narrow link costs no media (docs/SIMULCAST.md, "Probes that cost no media").</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * One instance of each per transport, on that transport's event loop; none is thread-safe.
 *
 * <h2>Buffers and allocation</h2>
 * Nothing here holds a buffer: feedback messages are parsed objects, packets are described by numbers. The per-packet
 * calls ({@code TransportCcFeedbackGenerator.onPacket}, {@code SendSideEstimator.onPacketSent}, the prober's
 * {@code onSent}/{@code paddingBytesDue}) allocate nothing; feedback building and processing run ~10-20 times a second,
 * and the server builds a publisher's feedback without allocating ({@code TransportCcFeedbackGenerator.build(Sink)}).
 */
package dev.prism.rtp.bwe;
