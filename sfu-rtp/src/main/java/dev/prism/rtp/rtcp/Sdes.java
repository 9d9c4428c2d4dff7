package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Source description, PT 202 (RFC 3550 section 6.5): one chunk per source, each a list of typed text items.
 *
 * <pre>
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * |                          SSRC/CSRC_1                          |   chunk 1
 * |    CNAME=1    |     length    | user and domain name        ...
 * |  item type 0 (end of list), then zero bytes to a 32-bit boundary
 * |                          SSRC/CSRC_2 ...                      |   chunk 2
 * </pre>
 *
 * Item text is UTF-8; a packet with invalid UTF-8 is malformed. Every item type is kept (PRIV items as raw text,
 * prefix included).
 */
public record Sdes(List<Chunk> chunks) implements RtcpMessage {
    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;

    /** One SDES item; {@code text} must be at most 255 bytes in UTF-8 when written. */
    public record Item(int type, String text) {
        public Item {
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("item type " + type);
            }
            if (text == null) {
                throw new NullPointerException("text");
            }
        }
    }

    /** The items of one source. */
    public record Chunk(long ssrc, List<Item> items) {
        public Chunk {
            Rtcp.checkU32("ssrc", ssrc);
            items = List.copyOf(items);
        }

        /** The CNAME of this source, or null when the chunk has none. */
        public String cname() {
            for (Item i : items) {
                if (i.type() == CNAME) {
                    return i.text();
                }
            }
            return null;
        }

        /** Bytes on the wire: SSRC, items, then 1..4 null bytes to the next 32-bit boundary. */
        int length() {
            int raw = 4;
            for (Item i : items) {
                raw += 2 + Rtcp.utf8Max255("SDES item", i.text()).length;
            }
            return raw + 4 - raw % 4;
        }
    }

    public Sdes {
        chunks = List.copyOf(chunks);
        if (chunks.size() > RtcpHeader.MAX_COUNT) {
            throw new IllegalArgumentException(chunks.size() + " chunks; at most 31 fit");
        }
    }

    /** An SDES with a single CNAME chunk, what every WebRTC endpoint sends. */
    public static Sdes ofCname(long ssrc, String cname) {
        return new Sdes(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    public static Sdes parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The SDES at {@code offset} with at most {@code length} bytes available; null when malformed or not SDES. */
    public static Sdes parse(ByteBuf buf, int offset, int length) {
        int end = RtcpHeader.contentEnd(buf, offset, length, RtcpHeader.PT_SDES);
        if (end < 0) {
            return null;
        }
        int sc = RtcpHeader.countOrFormat(buf, offset);
        List<Chunk> chunks = new ArrayList<>(sc);
        int pos = offset + RtcpHeader.LENGTH;
        for (int c = 0; c < sc; c++) {
            if (pos + 4 > end) {
                return null;
            }
            long ssrc = buf.getUnsignedInt(pos);
            pos += 4;
            List<Item> items = new ArrayList<>(1);
            while (true) {
                if (pos >= end) {
                    return null; // no end-of-list null byte
                }
                int type = buf.getUnsignedByte(pos);
                if (type == 0) {
                    break;
                }
                if (pos + 2 > end) {
                    return null;
                }
                int len = buf.getUnsignedByte(pos + 1);
                if (pos + 2 + len > end) {
                    return null;
                }
                String text = Rtcp.text(buf, pos + 2, len);
                if (text == null) {
                    return null;
                }
                items.add(new Item(type, text));
                pos += 2 + len;
            }
            // Skip the terminating null and the padding up to the next 32-bit boundary (chunks start aligned).
            pos = offset + ((pos + 1 - offset + 3) & ~3);
            if (pos > end) {
                return null;
            }
            chunks.add(new Chunk(ssrc, items));
        }
        return new Sdes(chunks);
    }

    @Override
    public int length() {
        int len = RtcpHeader.LENGTH;
        for (Chunk c : chunks) {
            len += c.length();
        }
        return len;
    }

    @Override
    public int write(ByteBuf dst) {
        int len = length();
        RtcpHeader.write(dst, chunks.size(), RtcpHeader.PT_SDES, len);
        for (Chunk c : chunks) {
            int raw = 4;
            dst.writeInt((int) c.ssrc());
            for (Item i : c.items()) {
                byte[] text = Rtcp.utf8Max255("SDES item", i.text());
                dst.writeByte(i.type());
                dst.writeByte(text.length);
                dst.writeBytes(text);
                raw += 2 + text.length;
            }
            dst.writeZero(4 - raw % 4);
        }
        return len;
    }
}
