package dev.prism.rtp.transport;

import dev.prism.rtp.packet.RtpPacket;
import io.netty.buffer.ByteBuf;

/**
 * What a {@link WebRtcTransport} tells its owner. Every method is called on the media event loop.
 *
 * <p>Buffer contract: {@code onRtp} and {@code onRtcp} lend the decrypted packet for the duration of the call only;
 * the transport releases it afterwards. Keep a reference only by {@code retain()}ing it (and releasing it later).
 */
public interface TransportListener {
    /**
     * The peer's first valid ICE check arrived (the transport left NEW): DTLS follows. Called once per transport,
     * before {@link #onConnected}; lets the owner start work that takes a round trip elsewhere (a key frame request).
     */
    default void onIceChecking(WebRtcTransport transport) {
    }

    /** ICE, DTLS and SRTP are ready: media can flow both ways. */
    default void onConnected(WebRtcTransport transport) {
    }

    /**
     * The media path moved to another address (or ICE-TCP connection) under the credentials of an ICE restart: the
     * peer's network changed. What was sent on the old path meanwhile is lost, and what was measured of the old path
     * (the downlink estimate) says nothing of the new one. Called once per restart, after the path moved, while
     * connected.
     */
    default void onPathMoved(WebRtcTransport transport) {
    }

    /** One decrypted, validated RTP packet. */
    default void onRtp(WebRtcTransport transport, RtpPacket packet) {
    }

    /** One decrypted compound RTCP packet, {@code [readerIndex, writerIndex)}. */
    default void onRtcp(WebRtcTransport transport, ByteBuf compound) {
    }

    /** The transport closed (consent expired, DTLS failure or close_notify, or {@link WebRtcTransport#close}). */
    default void onClosed(WebRtcTransport transport, String reason) {
    }
}
