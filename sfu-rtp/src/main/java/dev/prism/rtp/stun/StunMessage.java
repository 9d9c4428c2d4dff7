package dev.prism.rtp.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * One decoded STUN message (RFC 5389) carried in one UDP datagram.
 *
 * <p>{@link #parse} validates the 20-byte header and every attribute TLV (lengths, 32-bit padding, value sizes of the
 * attributes it understands) and copies out what ICE needs; it keeps no reference to the buffer. It does not check
 * MESSAGE-INTEGRITY or FINGERPRINT: it records where they are so {@link StunIntegrity} can check them against the same
 * buffer afterwards. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored, as RFC 5389 section 15.4
 * requires (they are not covered by the HMAC); anything after FINGERPRINT makes the message malformed. For an
 * attribute that occurs twice only the first occurrence counts.
 *
 * <p>STUN is not on the media hot path (a few checks per second per peer), so this class allocates freely. Instances
 * are immutable and may be shared between threads.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;

    public static final int METHOD_BINDING = 0x001;

    public static final int CLASS_REQUEST = 0b00;
    public static final int CLASS_INDICATION = 0b01;
    public static final int CLASS_SUCCESS_RESPONSE = 0b10;
    public static final int CLASS_ERROR_RESPONSE = 0b11;

    public static final int BINDING_REQUEST = messageType(METHOD_BINDING, CLASS_REQUEST);                   // 0x0001
    public static final int BINDING_INDICATION = messageType(METHOD_BINDING, CLASS_INDICATION);             // 0x0011
    public static final int BINDING_SUCCESS_RESPONSE = messageType(METHOD_BINDING, CLASS_SUCCESS_RESPONSE); // 0x0101
    public static final int BINDING_ERROR_RESPONSE = messageType(METHOD_BINDING, CLASS_ERROR_RESPONSE);     // 0x0111

    private static final long ABSENT = -1L;

    private final int messageType;
    private final byte[] transactionId;
    private final int length;
    private final String username;
    private final long priority;
    private final boolean hasIceControlling;
    private final long iceControlling;
    private final boolean hasIceControlled;
    private final long iceControlled;
    private final boolean useCandidate;
    private final InetSocketAddress xorMappedAddress;
    private final int errorCode;
    private final int messageIntegrityOffset;
    private final int fingerprintOffset;

    private StunMessage(Builder b) {
        this.messageType = b.messageType;
        this.transactionId = b.transactionId;
        this.length = b.length;
        this.username = b.username;
        this.priority = b.priority;
        this.hasIceControlling = b.controllingSeen;
        this.iceControlling = b.iceControlling;
        this.hasIceControlled = b.controlledSeen;
        this.iceControlled = b.iceControlled;
        this.useCandidate = b.useCandidate;
        this.xorMappedAddress = b.xorMappedAddress;
        this.errorCode = b.errorCode;
        this.messageIntegrityOffset = b.messageIntegrityOffset;
        this.fingerprintOffset = b.fingerprintOffset;
    }

    /**
     * Cheap classifier for the socket demux: at least 20 readable bytes, the two top bits zero and the magic cookie at
     * offset 4. Does not move the buffer's indices.
     */
    public static boolean looksLikeStun(ByteBuf buf) {
        int at = buf.readerIndex();
        return buf.readableBytes() >= HEADER_LENGTH
                && (buf.getByte(at) & 0xC0) == 0
                && buf.getInt(at + 4) == MAGIC_COOKIE;
    }

    /**
     * Decodes the readable bytes of {@code buf} as exactly one STUN message.
     *
     * @return the message, or {@code null} when the bytes are not a well-formed STUN message (short, bad cookie or top
     *     bits, length field not a multiple of 4 or not matching the datagram, an attribute running past the end, a known
     *     attribute with a wrong value size, anything after FINGERPRINT). Never throws; does not move the indices.
     */
    public static StunMessage parse(ByteBuf buf) {
        if (!looksLikeStun(buf)) {
            return null;
        }
        int start = buf.readerIndex();
        int bodyLength = buf.getUnsignedShort(start + 2);
        // One datagram carries one message, so the length field must account for every byte after the header.
        if ((bodyLength & 3) != 0 || HEADER_LENGTH + bodyLength != buf.readableBytes()) {
            return null;
        }
        Builder b = new Builder();
        b.messageType = buf.getUnsignedShort(start);
        b.length = HEADER_LENGTH + bodyLength;
        b.transactionId = new byte[TRANSACTION_ID_LENGTH];
        buf.getBytes(start + 8, b.transactionId);

        int end = start + b.length;
        int at = start + HEADER_LENGTH;
        while (at < end) {
            if (end - at < 4) {
                return null;
            }
            int type = buf.getUnsignedShort(at);
            int valueLength = buf.getUnsignedShort(at + 2);
            int value = at + 4;
            if (StunAttributes.padded(valueLength) > end - value) {
                return null;
            }
            if (b.fingerprintOffset >= 0) {
                return null; // FINGERPRINT must be the last attribute
            }
            if (type == StunAttributes.FINGERPRINT) {
                if (valueLength != StunAttributes.FINGERPRINT_LENGTH) {
                    return null;
                }
                b.fingerprintOffset = at - start;
            } else if (b.messageIntegrityOffset < 0 && !b.readAttribute(buf, type, value, valueLength, at - start)) {
                return null;
            }
            at = value + StunAttributes.padded(valueLength);
        }
        return new StunMessage(b);
    }

    /**
     * For the socket demux: the local (first) part of the USERNAME attribute, {@code "local:remote" -> "local"}.
     * Walks the attribute TLVs only as far as USERNAME, with bounds checks, and copies nothing else.
     *
     * @return the local ufrag, or {@code null} when the buffer is not STUN, has no USERNAME before MESSAGE-INTEGRITY,
     *     the USERNAME has no colon or an empty local part, or the TLVs are malformed. Never throws; does not move the
     *     indices.
     */
    public static String localUfragOf(ByteBuf buf) {
        if (!looksLikeStun(buf)) {
            return null;
        }
        int start = buf.readerIndex();
        int bodyLength = buf.getUnsignedShort(start + 2);
        if ((bodyLength & 3) != 0 || HEADER_LENGTH + bodyLength != buf.readableBytes()) {
            return null;
        }
        int end = start + HEADER_LENGTH + bodyLength;
        int at = start + HEADER_LENGTH;
        while (end - at >= 4) {
            int type = buf.getUnsignedShort(at);
            int valueLength = buf.getUnsignedShort(at + 2);
            int value = at + 4;
            if (StunAttributes.padded(valueLength) > end - value
                    || type == StunAttributes.MESSAGE_INTEGRITY || type == StunAttributes.FINGERPRINT) {
                return null;
            }
            if (type == StunAttributes.USERNAME) {
                if (valueLength > StunAttributes.MAX_USERNAME_BYTES) {
                    return null;
                }
                int colon = buf.indexOf(value, value + valueLength, (byte) ':');
                return colon <= value ? null : buf.toString(value, colon - value, StandardCharsets.UTF_8);
            }
            at = value + StunAttributes.padded(valueLength);
        }
        return null;
    }

    /** The 14-bit message type field for a method and class (RFC 5389 section 6: the class bits are interleaved). */
    public static int messageType(int method, int messageClass) {
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((messageClass & 0b01) << 4) | ((messageClass & 0b10) << 7);
    }

    /** The raw 14-bit message type, e.g. {@link #BINDING_REQUEST}. */
    public int messageType() {
        return messageType;
    }

    /** The method, e.g. {@link #METHOD_BINDING}. */
    public int method() {
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }

    /** The class: {@link #CLASS_REQUEST}, {@link #CLASS_INDICATION}, {@link #CLASS_SUCCESS_RESPONSE} or {@link #CLASS_ERROR_RESPONSE}. */
    public int messageClass() {
        return ((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10);
    }

    public boolean isBindingRequest() {
        return messageType == BINDING_REQUEST;
    }

    /** A copy of the 96-bit transaction id. */
    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** Total length of the message including the header, in bytes. */
    public int length() {
        return length;
    }

    /** The USERNAME value decoded as UTF-8, or {@code null} if absent. */
    public String username() {
        return username;
    }

    public boolean hasUseCandidate() {
        return useCandidate;
    }

    public boolean hasMessageIntegrity() {
        return messageIntegrityOffset >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintOffset >= 0;
    }

    public boolean hasPriority() {
        return priority != ABSENT;
    }

    /** The PRIORITY value (unsigned 32-bit), or -1 if absent. */
    public long priority() {
        return priority;
    }

    public boolean hasIceControlling() {
        return hasIceControlling;
    }

    /** The ICE-CONTROLLING tie-breaker; meaningful only when {@link #hasIceControlling()}. */
    public long iceControlling() {
        return iceControlling;
    }

    public boolean hasIceControlled() {
        return hasIceControlled;
    }

    /** The ICE-CONTROLLED tie-breaker; meaningful only when {@link #hasIceControlled()}. */
    public long iceControlled() {
        return iceControlled;
    }

    /** The decoded XOR-MAPPED-ADDRESS (responses), or {@code null} if absent. */
    public InetSocketAddress xorMappedAddress() {
        return xorMappedAddress;
    }

    /** The ERROR-CODE number (class * 100 + number, e.g. 487), or -1 if absent. */
    public int errorCode() {
        return errorCode;
    }

    /** Offset of the MESSAGE-INTEGRITY attribute header from the start of the message, or -1. */
    int messageIntegrityOffset() {
        return messageIntegrityOffset;
    }

    /** Offset of the FINGERPRINT attribute header from the start of the message, or -1. */
    int fingerprintOffset() {
        return fingerprintOffset;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("StunMessage{type=0x")
                .append(String.format("%04X", messageType))
                .append(", tid=").append(ByteBufUtil.hexDump(transactionId))
                .append(", length=").append(length);
        if (username != null) {
            s.append(", username=").append(username);
        }
        if (hasPriority()) {
            s.append(", priority=").append(priority);
        }
        if (hasIceControlling()) {
            s.append(", iceControlling=").append(Long.toHexString(iceControlling));
        }
        if (hasIceControlled()) {
            s.append(", iceControlled=").append(Long.toHexString(iceControlled));
        }
        if (useCandidate) {
            s.append(", useCandidate");
        }
        if (xorMappedAddress != null) {
            s.append(", xorMapped=").append(xorMappedAddress);
        }
        if (errorCode >= 0) {
            s.append(", error=").append(errorCode);
        }
        return s.append(", integrity=").append(hasMessageIntegrity())
                .append(", fingerprint=").append(hasFingerprint()).append('}').toString();
    }

    /** Mutable accumulator used while parsing. */
    private static final class Builder {
        int messageType;
        byte[] transactionId;
        int length;
        String username;
        long priority = ABSENT;
        boolean controllingSeen;
        long iceControlling;
        boolean controlledSeen;
        long iceControlled;
        boolean useCandidate;
        InetSocketAddress xorMappedAddress;
        int errorCode = -1;
        int messageIntegrityOffset = -1;
        int fingerprintOffset = -1;

        /** Records one attribute before MESSAGE-INTEGRITY; false when its value is malformed. */
        boolean readAttribute(ByteBuf buf, int type, int value, int valueLength, int offsetInMessage) {
            switch (type) {
                case StunAttributes.MESSAGE_INTEGRITY -> {
                    if (valueLength != StunAttributes.MESSAGE_INTEGRITY_LENGTH) {
                        return false;
                    }
                    messageIntegrityOffset = offsetInMessage;
                }
                case StunAttributes.USERNAME -> {
                    if (valueLength > StunAttributes.MAX_USERNAME_BYTES) {
                        return false;
                    }
                    if (username == null) {
                        username = buf.toString(value, valueLength, StandardCharsets.UTF_8);
                    }
                }
                case StunAttributes.PRIORITY -> {
                    if (valueLength != 4) {
                        return false;
                    }
                    if (priority == ABSENT) {
                        priority = buf.getUnsignedInt(value);
                    }
                }
                case StunAttributes.USE_CANDIDATE -> {
                    if (valueLength != 0) {
                        return false;
                    }
                    useCandidate = true;
                }
                case StunAttributes.ICE_CONTROLLING -> {
                    if (valueLength != 8) {
                        return false;
                    }
                    if (!controllingSeen) {
                        controllingSeen = true;
                        iceControlling = buf.getLong(value);
                    }
                }
                case StunAttributes.ICE_CONTROLLED -> {
                    if (valueLength != 8) {
                        return false;
                    }
                    if (!controlledSeen) {
                        controlledSeen = true;
                        iceControlled = buf.getLong(value);
                    }
                }
                case StunAttributes.XOR_MAPPED_ADDRESS -> {
                    if (xorMappedAddress == null) {
                        xorMappedAddress = readXorAddress(buf, value, valueLength, transactionId);
                        return xorMappedAddress != null;
                    }
                }
                case StunAttributes.ERROR_CODE -> {
                    if (valueLength < 4) {
                        return false;
                    }
                    if (errorCode < 0) {
                        errorCode = (buf.getByte(value + 2) & 0x07) * 100 + (buf.getByte(value + 3) & 0xFF);
                    }
                }
                default -> {
                    // Unknown or informational (SOFTWARE, GOOG-NETWORK-INFO, REALM, NONCE...): skipped.
                }
            }
            return true;
        }
    }

    /** Decodes an XOR-MAPPED-ADDRESS value; null when family or length is wrong. */
    private static InetSocketAddress readXorAddress(ByteBuf buf, int value, int valueLength, byte[] transactionId) {
        if (valueLength < 4) {
            return null; // the family byte is not even there (found by StunFuzzTest: a zero-length attribute last)
        }
        int family = buf.getUnsignedByte(value + 1);
        int addressLength = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (addressLength < 0 || valueLength != 4 + addressLength) {
            return null;
        }
        int port = buf.getUnsignedShort(value + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address = new byte[addressLength];
        for (int i = 0; i < addressLength; i++) {
            address[i] = (byte) (buf.getByte(value + 4 + i) ^ xorPad(i, transactionId));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null; // unreachable: the length is 4 or 16
        }
    }

    /** Byte {@code i} of the XOR pad for addresses: magic cookie then transaction id (RFC 5389 section 15.2). */
    static int xorPad(int i, byte[] transactionId) {
        return i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : transactionId[i - 4] & 0xFF;
    }
}
