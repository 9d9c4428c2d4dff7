package dev.prism.srtp;

import io.netty.buffer.ByteBuf;

/**
 * SRTP and SRTCP for one transport (one DTLS association), both directions: protect what we send with our side's
 * master key, unprotect what the peer sends with theirs (RFC 3711, RFC 7714). Made by an {@link SrtpImplementation};
 * both implementations keep every rule below, and the tests of this module check each rule against both.
 *
 * <h2>Buffers</h2>
 * Every method transforms the readable bytes of the given buffer in place and borrows it: the caller keeps ownership,
 * the reference count is never touched and no reference is kept after the call returns. On {@code OK} the reader
 * index is unchanged and the writer index marks the new end; on any failure the indices are unchanged and so are the
 * bytes, except after {@link SrtpStatus#FAIL}, which leaves them unspecified: drop the packet. A read-only buffer gets
 * {@link SrtpStatus#UNSUPPORTED_BUFFER}. Heap buffers are transformed in their own array; direct and composite ones
 * through a copy into a reused array and back (two copies of the packet, no allocation by Prism).
 *
 * <h2>Trailer room</h2>
 * Protect appends up to {@link #MAX_TRAILER} bytes after the writer index. The caller allocates that tail room
 * ({@code writableBytes() >= MAX_TRAILER}); if it is missing, the buffer is grown within its max capacity, which
 * costs a reallocation, or the call fails with {@link SrtpStatus#FAIL}.
 *
 * <h2>Replay and streams</h2>
 * Unprotect refuses duplicates ({@link SrtpStatus#REPLAY_FAIL}) and packets older than a 64-packet window
 * ({@link SrtpStatus#REPLAY_OLD}). Protect refuses to protect the same RTP sequence number of an SSRC twice (send
 * retransmissions as RTX), because re-encrypting one index with different header bytes would reuse an AES-GCM nonce.
 * A received stream's state is kept only once a packet of it authenticated: forged SSRCs leave nothing behind. At
 * most {@link #MAX_STREAMS} SSRCs per direction and kind; beyond that, packets of new SSRCs get {@code FAIL}.
 *
 * <h2>Threads and allocation</h2>
 * Not thread-safe: one thread (the transport's event loop) makes every call, including {@link #close()}. Prism's
 * implementation allocates nothing per packet (once per new SSRC); jitsi-srtp's allocates inside the JDK ciphers and
 * takes an uncontended lock per call (see {@link SrtpImplementation}).
 */
public interface SrtpSession {
    /** Most bytes any protect call appends: AES-GCM tag (16) plus the SRTCP E flag and index (4). */
    int MAX_TRAILER = 20;

    /** Bound on streams (SSRCs) per direction and kind, so a peer cannot make us keep state without limit. */
    int MAX_STREAMS = 1024;

    /**
     * A session of the {@linkplain SrtpImplementation#DEFAULT default implementation}, for tools and tests. The media
     * transports use the implementation their engine's configuration names.
     *
     * @see SrtpImplementation#create
     */
    static SrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
        return SrtpImplementation.DEFAULT.create(profile, keys, weAreDtlsServer);
    }

    /**
     * Loads and warms up the default implementation off the event loops ({@link SrtpImplementation#prepare()}).
     * Called by the DTLS handshake thread before it reports keys; engines prepare their configured implementation.
     */
    static void prepareBackend() {
        SrtpImplementation.DEFAULT.prepare();
    }

    /** The protection profile the keys were negotiated for. */
    SrtpProfile profile();

    /** Which implementation this is (for logs and stats). */
    SrtpImplementation implementation();

    /** Encrypts an RTP packet in place and appends its tag. */
    SrtpStatus protectRtp(ByteBuf packet);

    /** Authenticates, replay-checks and decrypts an SRTP packet in place; on OK the tag is cut off. */
    SrtpStatus unprotectRtp(ByteBuf packet);

    /** Encrypts a (compound) RTCP packet in place and appends the tag, the E flag and the SRTCP index. */
    SrtpStatus protectRtcp(ByteBuf packet);

    /** Authenticates, replay-checks and decrypts an SRTCP packet in place; on OK index and tag are cut off. */
    SrtpStatus unprotectRtcp(ByteBuf packet);

    /**
     * Forgets all streams and drops the session keys. Idempotent; later calls to the other methods return
     * {@link SrtpStatus#FAIL}.
     */
    void close();
}
