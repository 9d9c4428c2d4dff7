package dev.prism.srtp;

/** Outcome of one protect or unprotect call. Everything but {@link #OK} means: drop the packet and count it. */
public enum SrtpStatus {
    OK,
    /** The authentication tag did not verify (tampered, wrong keys, or not SRTP at all). */
    AUTH_FAIL,
    /** The packet index was already seen inside the replay window (a duplicate or a replay). */
    REPLAY_FAIL,
    /** The packet index is older than the replay window, so it cannot be checked and is refused. */
    REPLAY_OLD,
    /** Too short, not version 2, or a header length that runs past the end of the packet. */
    INVALID_PACKET,
    /** The buffer is read-only: SRTP works in place, so it cannot transform it. */
    UNSUPPORTED_BUFFER,
    /** Anything else: a crypto provider error, no room for the trailer, too many streams, or a closed session. */
    FAIL;

    public boolean isOk() {
        return this == OK;
    }
}
