/**
 * SRTP/SRTCP protect and unprotect in place (RFC 3711, RFC 7714): Prism's own implementation of
 * AEAD_AES_128_GCM and AES_CM_128_HMAC_SHA1_80 over the JDK's AES, SHA-1 and GHASH intrinsics, built so that the
 * packet path allocates nothing.
 *
 * <p>Layers: {@link dev.prism.srtp.SrtpSession} (streams, replay, buffers) uses one {@code SrtpTransform} per
 * direction and kind ({@code GcmTransform}, {@code CmTransform}: packet layouts and nonces), which use the primitives
 * {@code GcmCipher} ({@code AesGcm}, or the JDK's cipher in {@code JdkGcm} when the JVM does not open the JDK's GHASH
 * to us), {@code AesCm}, {@code HmacSha1} and {@code AesEcb}; session keys come from {@code SrtpKdf} once per
 * session. jitsi-srtp is a test dependency only: the tests check every profile against it both ways, besides the
 * published vectors.
 *
 * <p>Ownership: {@link dev.prism.srtp.SrtpSession} borrows every {@link io.netty.buffer.ByteBuf} it is given; it
 * never retains or releases one and keeps no reference after the call returns. The caller (the transport's receive
 * handler, or the send path that allocated the copy) releases it. Heap buffers are transformed in their own array;
 * direct buffers too, through a per-thread bounce copy (no allocation).
 *
 * <p>Threads: one {@code SrtpSession} per transport, used only by that transport's event-loop thread. Working arrays
 * are per thread ({@code CryptoScratch}) and shared by all sessions of that thread.
 *
 * <p>Keys come from {@link dev.prism.rtp.dtls.DtlsSession} as {@link dev.prism.srtp.SrtpKeyingMaterial}.
 */
package dev.prism.srtp;
