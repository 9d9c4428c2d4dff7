/**
 * SRTP/SRTCP protect and unprotect in place (RFC 3711, RFC 7714), on top of jitsi-srtp's crypto contexts.
 *
 * <p>Ownership: {@link dev.prism.rtp.srtp.SrtpSession} borrows every {@link io.netty.buffer.ByteBuf} it is given; it
 * never retains or releases one and keeps no reference after the call returns. The caller (the transport's receive
 * handler, or the send path that allocated the copy) releases it.
 *
 * <p>Threads: one {@code SrtpSession} per transport, used only by that transport's event-loop thread.
 *
 * <p>Keys come from {@link dev.prism.rtp.dtls.DtlsSession} as {@link dev.prism.rtp.srtp.SrtpKeyingMaterial}.
 */
package dev.prism.rtp.srtp;
