package dev.prism.rtp.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds one STUN message: attributes are written in the order the methods are called, then {@link #finish} appends
 * MESSAGE-INTEGRITY and FINGERPRINT and copies the result into a buffer from the given allocator.
 *
 * <p>The message is assembled in a small heap array and only becomes a {@link ByteBuf} in {@link #finish}, so a writer
 * that is abandoned halfway (an exception, a validation failure) owns nothing and leaks nothing. A writer is used once,
 * by one thread.
 *
 * <p>Typical use is {@link #bindingSuccessResponse}; tests and the load generator build requests with the fluent
 * methods.
 */
public final class StunMessageWriter {
    private static final int MAX_SOFTWARE_BYTES = 763;

    private final ByteBufAllocator alloc;
    private final byte[] transactionId;
    private byte[] bytes = new byte[128];
    private int length;
    private byte padding;
    private boolean finished;

    private StunMessageWriter(ByteBufAllocator alloc, int messageType, byte[] transactionId) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        if ((messageType & ~0x3FFF) != 0) {
            throw new IllegalArgumentException("message type has 14 bits: " + messageType);
        }
        if (transactionId.length != StunMessage.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes, got " + transactionId.length);
        }
        this.transactionId = transactionId.clone();
        putShort(messageType);
        putShort(0); // length, set in finish
        putInt(StunMessage.MAGIC_COOKIE);
        put(transactionId, 0, transactionId.length);
    }

    /** Starts a message of {@code messageType} (e.g. {@link StunMessage#BINDING_REQUEST}) with a 12-byte transaction id. */
    public static StunMessageWriter start(ByteBufAllocator alloc, int messageType, byte[] transactionId) {
        return new StunMessageWriter(alloc, messageType, transactionId);
    }

    /**
     * A Binding success response: XOR-MAPPED-ADDRESS = {@code mapped}, MESSAGE-INTEGRITY keyed by {@code integrity},
     * FINGERPRINT.
     *
     * @return a new buffer (reference count 1) that the caller owns and must send or release
     */
    public static ByteBuf bindingSuccessResponse(ByteBufAllocator alloc, byte[] transactionId,
                                                 InetSocketAddress mapped, StunIntegrity integrity) {
        return start(alloc, StunMessage.BINDING_SUCCESS_RESPONSE, transactionId)
                .xorMappedAddress(mapped)
                .finish(integrity, true);
    }

    /** SOFTWARE: a description of the sending agent (at most 763 UTF-8 bytes). */
    public StunMessageWriter software(String software) {
        byte[] value = software.getBytes(StandardCharsets.UTF_8);
        if (value.length > MAX_SOFTWARE_BYTES) {
            throw new IllegalArgumentException("SOFTWARE longer than 763 bytes");
        }
        return attribute(StunAttributes.SOFTWARE, value);
    }

    /** USERNAME, for ICE {@code "<receiver ufrag>:<sender ufrag>"} (at most 513 UTF-8 bytes). */
    public StunMessageWriter username(String username) {
        byte[] value = username.getBytes(StandardCharsets.UTF_8);
        if (value.length > StunAttributes.MAX_USERNAME_BYTES) {
            throw new IllegalArgumentException("USERNAME longer than 513 bytes");
        }
        return attribute(StunAttributes.USERNAME, value);
    }

    /** PRIORITY (unsigned 32-bit). */
    public StunMessageWriter priority(long priority) {
        if (priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority is unsigned 32-bit: " + priority);
        }
        attributeHeader(StunAttributes.PRIORITY, 4);
        putInt((int) priority);
        return this;
    }

    /** ICE-CONTROLLING with its tie-breaker. */
    public StunMessageWriter iceControlling(long tieBreaker) {
        attributeHeader(StunAttributes.ICE_CONTROLLING, 8);
        putLong(tieBreaker);
        return this;
    }

    /** ICE-CONTROLLED with its tie-breaker. */
    public StunMessageWriter iceControlled(long tieBreaker) {
        attributeHeader(StunAttributes.ICE_CONTROLLED, 8);
        putLong(tieBreaker);
        return this;
    }

    /** USE-CANDIDATE (no value). */
    public StunMessageWriter useCandidate() {
        attributeHeader(StunAttributes.USE_CANDIDATE, 0);
        return this;
    }

    /** ERROR-CODE, e.g. 487 "Role Conflict" (RFC 5389 section 15.6). */
    public StunMessageWriter errorCode(int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code out of range: " + code);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + text.length];
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(text, 0, value, 4, text.length);
        return attribute(StunAttributes.ERROR_CODE, value);
    }

    /** XOR-MAPPED-ADDRESS for an IPv4 or IPv6 transport address (RFC 5389 section 15.2). */
    public StunMessageWriter xorMappedAddress(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        byte[] ip = address.getAddress().getAddress();
        attributeHeader(StunAttributes.XOR_MAPPED_ADDRESS, 4 + ip.length);
        put((byte) 0);
        put((byte) (ip.length == 4 ? 0x01 : 0x02));
        putShort(address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) {
            put((byte) (ip[i] ^ StunMessage.xorPad(i, transactionId)));
        }
        return this;
    }

    /** Any attribute, value copied as is and padded; for attributes this class has no method for. */
    public StunMessageWriter attribute(int type, byte[] value) {
        attributeHeader(type, value.length);
        put(value, 0, value.length);
        for (int i = value.length; i < StunAttributes.padded(value.length); i++) {
            put(padding);
        }
        return this;
    }

    /**
     * The byte used to pad values to 32 bits; zero by default. Receivers must ignore it; the RFC 5769 vectors pad
     * with spaces to catch receivers that do not, and tests reproduce them byte for byte with this.
     */
    StunMessageWriter paddingByte(int value) {
        padding = (byte) value;
        return this;
    }

    /**
     * Sets the length, appends MESSAGE-INTEGRITY (when {@code integrity} is not null) and FINGERPRINT (when asked),
     * and copies the message into a buffer from the allocator.
     *
     * @return a new buffer (reference count 1, readable bytes = the message) that the caller owns
     */
    public ByteBuf finish(StunIntegrity integrity, boolean fingerprint) {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        if (integrity != null) {
            byte[] hmac = new byte[StunAttributes.MESSAGE_INTEGRITY_LENGTH];
            integrity.hmac(ByteBuffer.wrap(bytes, 0, length), hmac);
            attribute(StunAttributes.MESSAGE_INTEGRITY, hmac);
        }
        if (fingerprint) {
            int crc = StunIntegrity.fingerprint(ByteBuffer.wrap(bytes, 0, length));
            attributeHeader(StunAttributes.FINGERPRINT, StunAttributes.FINGERPRINT_LENGTH);
            putInt(crc);
        }
        int bodyLength = length - StunMessage.HEADER_LENGTH;
        bytes[2] = (byte) (bodyLength >>> 8);
        bytes[3] = (byte) bodyLength;
        finished = true;
        ByteBuf out = alloc.ioBuffer(length, length);
        out.writeBytes(bytes, 0, length); // cannot fail: capacity is exactly length
        return out;
    }

    private void attributeHeader(int type, int valueLength) {
        if (finished) {
            throw new IllegalStateException("message already finished");
        }
        if (length + 4 + StunAttributes.padded(valueLength) - StunMessage.HEADER_LENGTH > 0xFFFF) {
            throw new IllegalArgumentException("STUN message would exceed 65535 bytes");
        }
        putShort(type);
        putShort(valueLength);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    private void put(byte[] src, int from, int count) {
        ensure(count);
        System.arraycopy(src, from, bytes, length, count);
        length += count;
    }

    private void putShort(int v) {
        put((byte) (v >>> 8));
        put((byte) v);
    }

    private void putInt(int v) {
        putShort(v >>> 16);
        putShort(v);
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
