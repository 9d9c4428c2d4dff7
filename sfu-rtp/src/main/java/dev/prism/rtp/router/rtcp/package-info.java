/**
 * What the uplink and the downlink of a room share for RTCP: {@link dev.prism.rtp.router.rtcp.RtcpSender} (builds
 * compound RTCP into pooled buffers and hands them to a transport), {@link dev.prism.rtp.router.rtcp.NtpClock} (Prism's
 * NTP time over the injected monotonic clock) and {@link dev.prism.rtp.router.rtcp.RttEstimate}. Depends on neither
 * side.
 *
 * <h2>Threads</h2>
 * The room's media event loop.
 *
 * <h2>Who owns a buffer</h2>
 * The sender allocates each RTCP packet and hands it to {@code WebRtcTransport.sendRtcp}, which owns it from then on.
 */
package dev.prism.rtp.router.rtcp;
