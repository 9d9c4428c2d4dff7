package dev.prism.cluster.link;

import dev.prism.cluster.link.LinkProtocolException.Reason;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes of the link's frames. A frame is a fixed 9-byte header, then its body:
 *
 * <pre>
 *   u32 body length | u8 type | u32 channel | body (length bytes)
 * </pre>
 *
 * A message longer than one frame's body travels as data-part frames (type 13, each whole UTF-8 characters) followed
 * by one data frame ({@link #encodeMessage}).
 *
 * <p>All integers big-endian; strings are UTF-8 with a u8 ({@code str8}) or u16 ({@code str16}) length prefix. Bodies per
 * type are listed in docs/CLUSTER.md. Decoding checks the header first ({@link #checkHeader}: type known, length within
 * the maximum, channel allowed for the type), so an oversize frame is refused before its body is read, then every
 * field of the body ({@link #decodeBody}); any violation is a {@link LinkProtocolException}, never another exception.
 * Pure and stateless; any thread.
 */
final class FrameCodec {
    static final int HEADER_BYTES = 9;
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;
    static final int MAX_NODE_ID = 100;
    static final int MAX_REASON = 64;
    static final int MAX_DETAIL = 1024;

    static final int HELLO = 1;
    static final int CHALLENGE = 2;
    static final int AUTH = 3;
    static final int AUTH_OK = 4;
    static final int OPEN = 5;
    static final int OPEN_OK = 6;
    static final int OPEN_REFUSED = 7;
    static final int DATA = 8;
    static final int WINDOW = 9;
    static final int CLOSE = 10;
    static final int PING = 11;
    static final int PONG = 12;
    static final int DATA_PART = 13;

    private FrameCodec() {
    }

    /** Validates a header; {@code length} and {@code channel} are the raw (signed) header fields. */
    static void checkHeader(int type, int length, int channel, int maxBody) throws LinkProtocolException {
        if (type < HELLO || type > DATA_PART) {
            throw new LinkProtocolException(Reason.UNKNOWN_TYPE, "frame type " + type);
        }
        if (length < 0 || length > maxBody) {
            throw new LinkProtocolException(Reason.FRAME_TOO_LARGE,
                    "body of " + Integer.toUnsignedString(length) + " bytes, maximum " + maxBody);
        }
        boolean connectionFrame = type <= AUTH_OK || type == PING || type == PONG;
        if (connectionFrame ? channel != 0 : type == CLOSE ? channel < 0 : channel <= 0) {
            throw new LinkProtocolException(Reason.BAD_CHANNEL, "channel " + Integer.toUnsignedString(channel)
                    + " for frame type " + type);
        }
    }

    /** Decodes a body whose header passed {@link #checkHeader}. */
    static LinkFrame decodeBody(int type, int channel, Buffer body) throws LinkProtocolException {
        Reader r = new Reader(body);
        LinkFrame frame = switch (type) {
            case HELLO -> helloLike(r, true);
            case CHALLENGE -> helloLike(r, false);
            case AUTH -> new LinkFrame.Auth(r.bytes(MAC_BYTES));
            case AUTH_OK -> new LinkFrame.AuthOk(r.bytes(MAC_BYTES));
            case OPEN -> new LinkFrame.Open(channel, r.credit(), openRequest(r));
            case OPEN_OK -> new LinkFrame.OpenOk(channel, r.credit());
            case OPEN_REFUSED -> new LinkFrame.OpenRefused(channel, r.str8(1, MAX_REASON), r.str16(MAX_DETAIL));
            case DATA -> new LinkFrame.Data(channel, r.rest(), body.length(), false);
            case DATA_PART -> new LinkFrame.Data(channel, r.rest(), body.length(), true);
            case WINDOW -> new LinkFrame.Window(channel, r.credit());
            case CLOSE -> new LinkFrame.Close(channel, r.u16(), r.str16(MAX_DETAIL));
            case PING -> new LinkFrame.Ping(r.u64());
            case PONG -> new LinkFrame.Pong(r.u64());
            default -> throw new LinkProtocolException(Reason.UNKNOWN_TYPE, "frame type " + type);
        };
        r.end();
        return frame;
    }

    private static LinkFrame helloLike(Reader r, boolean hello) throws LinkProtocolException {
        int version = r.u16();
        byte[] nonce = r.bytes(NONCE_BYTES);
        String nodeId = r.str8(1, MAX_NODE_ID);
        if (!validNodeId(nodeId)) {
            throw new LinkProtocolException(Reason.BAD_FIELD, "node id is not [A-Za-z0-9._-]");
        }
        return hello ? new LinkFrame.Hello(version, nodeId, nonce) : new LinkFrame.Challenge(version, nodeId, nonce);
    }

    private static OpenRequest openRequest(Reader r) throws LinkProtocolException {
        String kind = r.str8(1, OpenRequest.MAX_KIND);
        int count = r.u8();
        if (count > OpenRequest.MAX_HEADERS) {
            throw new LinkProtocolException(Reason.BAD_FIELD, count + " headers");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = r.str8(1, OpenRequest.MAX_NAME);
            String value = r.str16(OpenRequest.MAX_VALUE);
            if (headers.put(name, value) != null) {
                throw new LinkProtocolException(Reason.BAD_FIELD, "header twice");
            }
        }
        return new OpenRequest(kind, headers);
    }

    /** Node ids as the registry makes them: 1-100 of {@code A-Z a-z 0-9 . _ -}. */
    static boolean validNodeId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_NODE_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The whole frame's bytes. Throws IllegalArgumentException when a field exceeds its limit (a caller bug). */
    static Buffer encode(LinkFrame frame) {
        Buffer b = Buffer.buffer(64);
        b.appendInt(0); // length, set below
        b.appendByte((byte) type(frame));
        b.appendInt(frame.channel());
        if (frame instanceof LinkFrame.Hello h) {
            helloBody(b, h.version(), h.nonce(), h.nodeId());
        } else if (frame instanceof LinkFrame.Challenge c) {
            helloBody(b, c.version(), c.nonce(), c.nodeId());
        } else if (frame instanceof LinkFrame.Auth a) {
            b.appendBytes(fixed(a.mac(), MAC_BYTES));
        } else if (frame instanceof LinkFrame.AuthOk a) {
            b.appendBytes(fixed(a.mac(), MAC_BYTES));
        } else if (frame instanceof LinkFrame.Open o) {
            b.appendInt(positive(o.credit()));
            str8(b, o.request().kind(), 1, OpenRequest.MAX_KIND);
            Map<String, String> headers = o.request().headers();
            if (headers.size() > OpenRequest.MAX_HEADERS) {
                throw new IllegalArgumentException(headers.size() + " headers");
            }
            b.appendByte((byte) headers.size());
            for (Map.Entry<String, String> e : headers.entrySet()) {
                str8(b, e.getKey(), 1, OpenRequest.MAX_NAME);
                str16(b, e.getValue(), OpenRequest.MAX_VALUE);
            }
        } else if (frame instanceof LinkFrame.OpenOk o) {
            b.appendInt(positive(o.credit()));
        } else if (frame instanceof LinkFrame.OpenRefused o) {
            str8(b, o.reason(), 1, MAX_REASON);
            str16(b, o.detail(), MAX_DETAIL);
        } else if (frame instanceof LinkFrame.Data d) {
            b.appendString(d.text(), "UTF-8");
        } else if (frame instanceof LinkFrame.Window w) {
            b.appendInt(positive(w.credit()));
        } else if (frame instanceof LinkFrame.Close c) {
            b.appendUnsignedShort(c.code());
            str16(b, c.reason(), MAX_DETAIL);
        } else if (frame instanceof LinkFrame.Ping p) {
            b.appendLong(p.value());
        } else if (frame instanceof LinkFrame.Pong p) {
            b.appendLong(p.value());
        }
        b.setInt(0, b.length() - HEADER_BYTES);
        return b;
    }

    static int type(LinkFrame frame) {
        if (frame instanceof LinkFrame.Data d) {
            return d.more() ? DATA_PART : DATA;
        } else if (frame instanceof LinkFrame.Window) {
            return WINDOW;
        } else if (frame instanceof LinkFrame.Ping) {
            return PING;
        } else if (frame instanceof LinkFrame.Pong) {
            return PONG;
        } else if (frame instanceof LinkFrame.Open) {
            return OPEN;
        } else if (frame instanceof LinkFrame.OpenOk) {
            return OPEN_OK;
        } else if (frame instanceof LinkFrame.OpenRefused) {
            return OPEN_REFUSED;
        } else if (frame instanceof LinkFrame.Close) {
            return CLOSE;
        } else if (frame instanceof LinkFrame.Hello) {
            return HELLO;
        } else if (frame instanceof LinkFrame.Challenge) {
            return CHALLENGE;
        } else if (frame instanceof LinkFrame.Auth) {
            return AUTH;
        } else {
            return AUTH_OK;
        }
    }

    /**
     * The frames of one message on {@code channel}: one data frame when its UTF-8 fits {@code maxBody}, else data-part
     * frames of at most {@code maxBody} bytes, each cut at a character boundary, then a data frame with the rest.
     * Returns new buffers the caller owns. Any thread.
     */
    static Buffer[] encodeMessage(int channel, String text, int maxBody) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        if (all.length <= maxBody) {
            return new Buffer[] {dataFrame(DATA, channel, all, 0, all.length)};
        }
        List<Buffer> frames = new ArrayList<>(all.length / maxBody + 2);
        int off = 0;
        while (all.length - off > maxBody) {
            int end = off + maxBody;
            while ((all[end] & 0xC0) == 0x80) {
                end--; // never split a character: every frame's body is valid UTF-8 on its own
            }
            frames.add(dataFrame(DATA_PART, channel, all, off, end - off));
            off = end;
        }
        frames.add(dataFrame(DATA, channel, all, off, all.length - off));
        return frames.toArray(new Buffer[0]);
    }

    private static Buffer dataFrame(int type, int channel, byte[] bytes, int off, int len) {
        return Buffer.buffer(HEADER_BYTES + len).appendInt(len).appendByte((byte) type).appendInt(channel)
                .appendBytes(bytes, off, len);
    }

    /** UTF-8 length of {@code s} without encoding it. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // a lone surrogate is encoded as '?' (1 byte) by the JDK; 3 over-counts, which is safe
            }
        }
        return n;
    }

    private static void helloBody(Buffer b, int version, byte[] nonce, String nodeId) {
        b.appendUnsignedShort(version);
        b.appendBytes(fixed(nonce, NONCE_BYTES));
        str8(b, nodeId, 1, MAX_NODE_ID);
    }

    private static byte[] fixed(byte[] bytes, int length) {
        if (bytes.length != length) {
            throw new IllegalArgumentException(bytes.length + " bytes, expected " + length);
        }
        return bytes;
    }

    private static int positive(int credit) {
        if (credit <= 0) {
            throw new IllegalArgumentException("credit " + credit);
        }
        return credit;
    }

    private static void str8(Buffer b, String s, int min, int max) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(bytes.length + " bytes, allowed " + min + ".." + max);
        }
        b.appendByte((byte) bytes.length).appendBytes(bytes);
    }

    private static void str16(Buffer b, String s, int max) {
        byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new IllegalArgumentException(bytes.length + " bytes, maximum " + max);
        }
        b.appendUnsignedShort(bytes.length).appendBytes(bytes);
    }

    /** Reads a body front to back; every read checks what is left first. */
    private static final class Reader {
        private final Buffer body;
        int pos;

        Reader(Buffer body) {
            this.body = body;
        }

        private void need(int n) throws LinkProtocolException {
            if (body.length() - pos < n) {
                throw new LinkProtocolException(Reason.BAD_LENGTH,
                        "body of " + body.length() + " bytes ends at " + pos + ", " + n + " more needed");
            }
        }

        int u8() throws LinkProtocolException {
            need(1);
            return body.getUnsignedByte(pos++);
        }

        int u16() throws LinkProtocolException {
            need(2);
            int v = body.getUnsignedShort(pos);
            pos += 2;
            return v;
        }

        long u64() throws LinkProtocolException {
            need(8);
            long v = body.getLong(pos);
            pos += 8;
            return v;
        }

        int credit() throws LinkProtocolException {
            need(4);
            int v = body.getInt(pos);
            pos += 4;
            if (v <= 0) {
                throw new LinkProtocolException(Reason.BAD_FIELD, "credit " + Integer.toUnsignedString(v));
            }
            return v;
        }

        byte[] bytes(int n) throws LinkProtocolException {
            need(n);
            byte[] v = body.getBytes(pos, pos + n);
            pos += n;
            return v;
        }

        String str8(int min, int max) throws LinkProtocolException {
            int n = u8();
            if (n < min || n > max) {
                throw new LinkProtocolException(Reason.BAD_FIELD, "string of " + n + " bytes, allowed " + min + ".." + max);
            }
            return utf8(bytes(n));
        }

        String str16(int max) throws LinkProtocolException {
            int n = u16();
            if (n > max) {
                throw new LinkProtocolException(Reason.BAD_FIELD, "string of " + n + " bytes, maximum " + max);
            }
            return utf8(bytes(n));
        }

        String rest() throws LinkProtocolException {
            return utf8(bytes(body.length() - pos));
        }

        void end() throws LinkProtocolException {
            if (pos != body.length()) {
                throw new LinkProtocolException(Reason.BAD_LENGTH,
                        (body.length() - pos) + " bytes after the last field");
            }
        }

        private static String utf8(byte[] bytes) throws LinkProtocolException {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new LinkProtocolException(Reason.BAD_FIELD, "not UTF-8");
            }
        }
    }
}
