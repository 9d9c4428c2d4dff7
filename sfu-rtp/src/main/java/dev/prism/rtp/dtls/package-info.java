/**
 * DTLS-SRTP for WebRTC transports (RFC 5763, RFC 5764) on BouncyCastle bctls: the server certificate and its SDP
 * fingerprint ({@link dev.prism.rtp.dtls.DtlsCertificate}) and one handshake per transport, in either role
 * ({@link dev.prism.rtp.dtls.DtlsSession}), ending in SRTP keys for {@link dev.prism.srtp.SrtpSession}.
 *
 * <p>Ownership: {@link dev.prism.rtp.dtls.DtlsSession#onDatagram} borrows the {@link io.netty.buffer.ByteBuf} it is
 * given, copies the bytes and returns; the caller releases the buffer. Outgoing datagrams are handed to the
 * {@link dev.prism.rtp.dtls.DtlsSession.DatagramSender} as a byte range that is only valid during the call.
 *
 * <p>Threads: the blocking bctls handshake runs on a {@link dev.prism.rtp.dtls.DtlsHandshakePool}, one task per
 * session and only while a handshake is in progress, never longer than its deadline (5 s by default); after it the
 * transport's event loop drives the session through {@code onDatagram}.
 */
package dev.prism.rtp.dtls;
