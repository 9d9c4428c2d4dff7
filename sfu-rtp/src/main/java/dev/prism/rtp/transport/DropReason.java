package dev.prism.rtp.transport;

/** Why the media plane dropped an incoming datagram or an outgoing packet. Each one is counted, never logged per packet. */
public enum DropReason {
    UNKNOWN_PROTOCOL,
    HANDLER_FAILED,
    STUN_MALFORMED,
    STUN_UNKNOWN_USERNAME,
    STUN_BAD_INTEGRITY,
    STUN_BAD_FINGERPRINT,
    STUN_OTHER,
    DTLS_UNKNOWN_ADDRESS,
    SRTP_UNKNOWN_ADDRESS,
    SRTP_NOT_READY,
    SRTP_AUTH_FAIL,
    SRTP_REPLAY,
    SRTP_OTHER,
    RTP_MALFORMED,
    RTP_UNKNOWN_SSRC,
    RTP_RTX_UNUSED,
    RTCP_MALFORMED,
    SEND_NOT_CONNECTED,
    SEND_NO_ROOM,
    VIDEO_WAITING_FOR_KEYFRAME,
    /** A publisher's retransmission of a packet already received. */
    RTP_RTX_DUPLICATE,
    /** A subscriber NACKed a packet Prism did not send it lately. */
    RETRANSMIT_UNKNOWN,
    /** A subscriber NACKed a packet no longer in the history: too old to help. */
    RETRANSMIT_TOO_OLD,
    /** A subscriber NACKed a packet resent moments ago. */
    RETRANSMIT_THROTTLED,
    /** A subscriber without RTX NACKed a packet: SRTP cannot send one sequence number twice. */
    RETRANSMIT_NO_RTX,
    /**
     * A subscriber NACKed a packet sent before its stream switched to another layer: the decoder starts over from the
     * switch's key frame, so resending it would only take bandwidth from it.
     */
    RETRANSMIT_BEFORE_SWITCH,
    /**
     * A DTLS handshake did not finish by its deadline (a peer that went silent after its ClientHello, or a path that
     * lost too much): the transport is closed. Counted per transport, not per datagram.
     */
    DTLS_HANDSHAKE_TIMEOUT,
    /** A DTLS datagram from a peer whose SDP said a=setup:passive, before Prism (the client) started its handshake. */
    DTLS_UNEXPECTED_ROLE,
    /** A DTLS handshake was refused because the handshake pool was at its limit: the transport is closed. */
    DTLS_POOL_FULL,
    /**
     * Transport-cc feedback from a subscriber that does not parse: the subscriber's downlink estimate falls back to its
     * REMB or its receiver reports ({@code DownlinkController}).
     */
    TRANSPORT_CC_MALFORMED,
    /** ICE-TCP: a frame length above the maximum ({@link TcpLimits#maxFrameLength()}); the connection is closed. */
    TCP_FRAME_TOO_LONG,
    /** ICE-TCP: a zero-length frame (carries no packet; skipped). */
    TCP_EMPTY_FRAME,
    /**
     * ICE-TCP: a connection that passed no ICE check within {@link TcpLimits#iceDeadline()} (silent, garbage, or bytes
     * trickled too slowly to make a frame); closed. Counted per connection.
     */
    TCP_ICE_TIMEOUT,
    /** ICE-TCP: a connection refused because its address has too many connections still checking. */
    TCP_ADDRESS_LIMIT,
    /** ICE-TCP: a connection refused because the engine has too many (checking, or in all). */
    TCP_CONNECTION_LIMIT,
    /** ICE-TCP: DTLS or SRTP on a connection before it passed an ICE check. */
    TCP_BEFORE_ICE,
    /**
     * ICE-TCP: a packet not sent because the connection's send queue is above its limit (a peer that does not read,
     * or a path slower than the media): TCP cannot drop, so Prism does.
     */
    TCP_SEND_QUEUE_FULL,
    /** Probe padding not queued because the pacer's padding queue was full (probing is best effort). */
    PACER_PADDING_OVERFLOW,
    /**
     * A publisher's Opus RED packet (RFC 2198) that could not be stripped to Opus for a subscriber without RED: its
     * block headers do not parse, or its primary block is not Opus. Counted per subscriber.
     */
    RED_UNUSABLE,
    /** An audio packet top-N audio withheld from a subscriber: the stream is not among its N loudest now. */
    AUDIO_TOP_N;

    public String metricName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
