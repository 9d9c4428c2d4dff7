package dev.prism.rtp.dtls;

import io.netty.buffer.ByteBuf;

/**
 * Drops datagrams that would make bctls tear the connection down instead of ignoring them. RFC 6347 4.1.2.7 says
 * invalid records should be discarded silently, but bctls treats an encrypted record too short to hold the AEAD nonce
 * and tag as a fatal decode_error, and would then send a fatal alert to the real peer: one spoofed datagram could end
 * a session. Since Prism negotiates only AES-GCM suites, every protected record (epoch 1 and later) has at least
 * {@value #MIN_PROTECTED_RECORD} bytes of body; anything shorter, or a datagram whose record framing does not add up,
 * is dropped before bctls sees it.
 */
final class DtlsDatagramFilter {
    static final int RECORD_HEADER = 13;
    /** AES-GCM in DTLS 1.2: 8-byte explicit nonce + 16-byte tag (RFC 5288). */
    static final int MIN_PROTECTED_RECORD = 8 + 16;

    private static final int FIRST_CONTENT_TYPE = 20; // change_cipher_spec
    private static final int LAST_CONTENT_TYPE = 24;  // heartbeat

    private DtlsDatagramFilter() {
    }

    /** True if the readable bytes are one or more well-framed DTLS records bctls can safely be given. */
    static boolean isAcceptable(ByteBuf datagram) {
        int at = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (at == end) {
            return false;
        }
        while (at < end) {
            if (end - at < RECORD_HEADER) {
                return false;
            }
            int type = datagram.getUnsignedByte(at);
            if (type < FIRST_CONTENT_TYPE || type > LAST_CONTENT_TYPE) {
                return false;
            }
            int version = datagram.getUnsignedShort(at + 1);
            // DTLS versions are 0xFEFF (1.0) and 0xFEFD (1.2); bctls ends a connected session on any other (fuzzing).
            if (version != 0xFEFF && version != 0xFEFD) {
                return false;
            }
            int epoch = datagram.getUnsignedShort(at + 3);
            int length = datagram.getUnsignedShort(at + 11);
            if (length > end - at - RECORD_HEADER) {
                return false;
            }
            if (epoch != 0 && length < MIN_PROTECTED_RECORD) {
                return false;
            }
            at += RECORD_HEADER + length;
        }
        return true;
    }
}
