/**
 * Per-room forwarding: {@link dev.prism.rtp.router.Producer}s (one per published track) fan packets out to
 * {@link dev.prism.rtp.router.Consumer}s (one per subscriber per track), which rewrite SSRC, sequence number,
 * timestamp, payload type and header-extension ids to what that subscriber negotiated.
 *
 * <h2>Threads</h2>
 * Everything here runs on the media event loop; consumer lists are arrays replaced on change, so the fan-out loop
 * needs neither a lock nor an iterator.
 *
 * <h2>Who owns a buffer</h2>
 * A producer borrows the decrypted packet from its transport for the duration of {@code onRtp}. Each consumer copies
 * it into one fresh pooled buffer (each subscriber has its own SRTP keys, so one copy per receiver is the floor) and
 * hands that buffer to the subscriber's transport, which owns it from then on.
 */
package dev.prism.rtp.router;
