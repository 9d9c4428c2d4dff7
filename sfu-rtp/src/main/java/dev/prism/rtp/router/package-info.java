/**
 * Per-room forwarding. {@link dev.prism.rtp.router.RoomRouter} is the room-level entry: it creates producers on
 * publishers' connections and consumers on subscribers' connections and wires one to the other. The work is split by
 * direction, with dependencies one way only:
 * <pre>
 *   router (RoomRouter) --> router.downlink --> router.uplink --> router.rtcp
 *                      \---------------------------------------/
 * </pre>
 * <ul>
 *   <li>{@link dev.prism.rtp.router.uplink} — the receive side: the publisher's endpoint, one
 *       {@link dev.prism.rtp.router.uplink.Producer} per published track and its receive streams (NACK generation,
 *       keyframe request throttle, packet history, reception statistics). A producer fans out through
 *       {@link dev.prism.rtp.router.uplink.PacketSink} and never names a downlink type.</li>
 *   <li>{@link dev.prism.rtp.router.downlink} — the send side: the subscriber's endpoint, its consumers (audio and
 *       simulcast video under one {@link dev.prism.rtp.router.downlink.Consumer} type), the send stage that copies and
 *       numbers every packet, retransmission, the downlink estimate and allocation, RTCP toward subscribers.</li>
 *   <li>{@link dev.prism.rtp.router.rtcp} — what both sides share: the RTCP sender, the NTP clock, RTT smoothing.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Everything here runs on the room's media event loop; the sub-packages say the same. Timers (reports, NACK retries,
 * allocation rounds) are scheduled on that loop too.
 *
 * <h2>Who owns a buffer</h2>
 * The transport owns each decrypted packet; the uplink borrows it for the call (its history {@code retain()}s what it
 * keeps), the downlink copies it once per subscriber and hands each copy to that subscriber's transport. Details in the
 * sub-packages' documentation.
 */
package dev.prism.rtp.router;
