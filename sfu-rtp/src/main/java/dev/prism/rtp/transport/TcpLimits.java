package dev.prism.rtp.transport;

import java.time.Duration;

/**
 * What one engine's ICE-TCP listener accepts. A connection is <i>checking</i> from accept until a STUN binding request
 * on it passes a transport's ICE check (then it is <i>bound</i> to that transport for its life); checking connections
 * cost the node something before anyone has authenticated, so they are bounded per address and in all and given a
 * deadline; bound ones are bounded per transport (the oldest one not carrying media is closed) and live as long as
 * their transport, whose ICE consent (RFC 7675) closes it when the browser goes quiet.
 *
 * @param maxFrameLength        the longest RFC 4571 frame accepted; longer closes the connection. A frame is one
 *                              datagram's worth (STUN, a DTLS record, an SRTP packet): Chrome keeps them under 1,500
 *                              bytes, and the UDP side reads at most 2,048
 * @param iceDeadline           a connection that has not passed an ICE check by then is closed (silent, garbage, or
 *                              bytes trickled too slowly to complete a frame)
 * @param maxCheckingPerAddress checking connections one remote IP address may have at once (beyond: refused). Not a
 *                              limit on bound ones, so a whole school behind one NAT address can use ICE-TCP
 * @param maxChecking           checking connections of the engine at once
 * @param maxConnections        open connections of the engine in all
 * @param maxPerTransport       bound connections one transport keeps (a browser makes one per local interface)
 * @param sendQueueBytes        bytes queued toward a connection above which media to it is dropped
 *                              ({@code drop.tcp_send_queue_full}) until the queue drains below half of it
 */
public record TcpLimits(int maxFrameLength, Duration iceDeadline, int maxCheckingPerAddress, int maxChecking,
                        int maxConnections, int maxPerTransport, int sendQueueBytes) {
    /** Production limits. */
    public static final TcpLimits DEFAULT = new TcpLimits(2048, Duration.ofSeconds(10), 32, 1024, 8192, 4,
            1024 * 1024);

    public TcpLimits {
        if (maxFrameLength < 1 || maxFrameLength > 0xFFFF || iceDeadline.isNegative() || iceDeadline.isZero()
                || maxCheckingPerAddress < 1 || maxChecking < 1 || maxConnections < 1 || maxPerTransport < 1
                || sendQueueBytes < 2 * maxFrameLength) {
            throw new IllegalArgumentException("bad ICE-TCP limits: " + maxFrameLength + ", " + iceDeadline + ", "
                    + maxCheckingPerAddress + ", " + maxChecking + ", " + maxConnections + ", " + maxPerTransport
                    + ", " + sendQueueBytes);
        }
    }
}
