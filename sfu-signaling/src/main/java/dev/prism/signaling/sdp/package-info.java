/**
 * Prism's SDP: a line-preserving parser/writer ({@link dev.prism.signaling.sdp.SessionDescription}) and the pure
 * negotiation logic between SDP text and the RTP parameter records of {@code dev.prism.core.rtp}.
 *
 * <ul>
 *   <li>{@link dev.prism.signaling.sdp.PublishNegotiator} answers a publisher's offer: keeps Opus, VP8 and its RTX,
 *       the feedback and header extensions Prism uses, with the offerer's payload types and ids.</li>
 *   <li>{@link dev.prism.signaling.sdp.SubscriberOfferWriter} writes the subscriber offer with Prism's fixed payload
 *       types and extension ids; {@link dev.prism.signaling.sdp.SubscriberAnswerReader} checks the browser's
 *       answer.</li>
 * </ul>
 *
 * Prism is ICE-lite, never trickles, is always the DTLS server, and needs BUNDLE, rtcp-mux and unified plan on both
 * connections. A port-0 section with {@code a=bundle-only} (Firefox's offers) is bundled, not rejected, when the
 * BUNDLE group names it ({@link dev.prism.signaling.sdp.MediaSection#isRejected()}); docs/PROTOCOL.md has the rules. Everything here is pure Java without I/O or shared state: every class is immutable or stateless and may
 * be used from any thread (in practice the signaling verticle's event loop). Readers throw only
 * {@link dev.prism.signaling.sdp.SdpParseException} (unreadable text) and
 * {@link dev.prism.signaling.sdp.NegotiationException} (readable but unusable), whose {@code code()} is the protocol's
 * error code; both map to an {@code error} message, never to a crash.
 */
package dev.prism.signaling.sdp;
