/**
 * SRTP/SRTCP protect and unprotect in place (RFC 3711, RFC 7714) behind one interface, {@link dev.prism.srtp.SrtpSession}
 * (one per transport, both directions), with two implementations chosen by {@link dev.prism.srtp.SrtpImplementation}
 * from {@code PrismConfig.srtpImplementation()}:
 * <ul>
 *   <li>{@code PrismSrtpSession} (the default): Prism's own AEAD_AES_128_GCM and AES_CM_128_HMAC_SHA1_80 over the
 *   JDK's AES, SHA-1 and GHASH intrinsics, which allocates nothing per packet. Layers: the session (streams, replay,
 *   buffers) uses one {@code SrtpTransform} per direction and kind ({@code GcmTransform}, {@code CmTransform}: packet
 *   layouts and nonces), which use the primitives {@code GcmCipher} ({@code AesGcm}, or the JDK's cipher in
 *   {@code JdkGcm} when the JVM does not open the JDK's GHASH to us), {@code AesCm}, {@code HmacSha1} and
 *   {@code AesEcb}; session keys come from {@code SrtpKdf} once per session. {@code Ghash} is the only class that
 *   reaches into the JDK's internals, and {@code AesGcm} uses it only after checking it against the JDK's cipher.</li>
 *   <li>{@code JitsiSrtpSession}: jitsi-srtp, what Jitsi Videobridge ships, over OpenSSL through its bundled native
 *   library (else the JDK's ciphers), with Prism's header checks and stream rules around it
 *   ({@code JitsiPacketView} adapts a {@code ByteBuf} to jitsi's array view).</li>
 * </ul>
 * The tests hold both to the same published vectors and session rules, and each to the other byte for byte.
 *
 * <p>Ownership: a session borrows every {@link io.netty.buffer.ByteBuf} it is given; it never retains or releases one
 * and keeps no reference after the call returns. The caller (the transport's receive handler, or the send path that
 * allocated the copy) releases it. Heap buffers are transformed in their own array; direct buffers too, through a
 * reused bounce copy.
 *
 * <p>Threads: one session per transport, used only by that transport's event-loop thread. Prism's working arrays are
 * per thread ({@code CryptoScratch}) and shared by all sessions of that thread.
 *
 * <p>Keys come from the DTLS handshake ({@code dev.prism.rtp.dtls.DtlsSession} in sfu-rtp) as
 * {@link dev.prism.srtp.SrtpKeyingMaterial}.
 */
package dev.prism.srtp;
