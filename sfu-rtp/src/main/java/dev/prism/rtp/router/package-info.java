/**
 * Per-room forwarding: {@link dev.prism.rtp.router.Producer}s (one per published track) fan packets out to
 * {@link dev.prism.rtp.router.Consumer}s (one per subscriber per track), which rewrite SSRC, sequence number,
 * timestamp, payload type and header-extension ids to what that subscriber negotiated.
 *
 * <h2>Loss recovery and RTCP</h2>
 * A video producer keeps a {@link dev.prism.rtp.router.PacketHistory} of the last second and NACKs the publisher for
 * gaps ({@link dev.prism.rtp.router.NackGenerator}); the publisher's RTX packets are unwrapped in place into the
 * originals. A consumer logs what it sent ({@link dev.prism.rtp.router.SentPacketLog}) and answers its subscriber's
 * NACKs over RTX, rebuilding each packet from the producer's history. Keyframe requests are coalesced and throttled per
 * producer ({@link dev.prism.rtp.router.KeyframeRequestThrottle}). Publishers get receiver reports and REMB every
 * second; subscribers get sender reports whose NTP/RTP mapping follows the publisher's own (lip sync), and their
 * receiver reports give the round-trip time.
 *
 * <h2>Threads</h2>
 * Everything here runs on the media event loop; consumer lists are arrays replaced on change, so the fan-out loop
 * needs neither a lock nor an iterator. Timers (reports, NACK retries) are scheduled on that loop too.
 *
 * <h2>Who owns a buffer</h2>
 * A producer borrows the decrypted packet from its transport for the duration of {@code onRtp}. The video producer's
 * history {@code retain()}s it and owns that reference until the slot is reused, the packet expires or the producer
 * closes; nobody writes to a buffer once it is in the history (RTX unwrapping happens in place before it goes in).
 * Each consumer copies a packet into one fresh pooled buffer (each subscriber has its own SRTP keys, so one copy per
 * receiver is the floor) and hands that buffer to the subscriber's transport, which owns it from then on;
 * retransmissions are such copies too, rebuilt from the history plus the consumer's per-packet log, never stored per
 * consumer.
 */
package dev.prism.rtp.router;
