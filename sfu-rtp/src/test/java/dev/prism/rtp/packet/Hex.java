package dev.prism.rtp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Test helper: commented hex dumps to bytes. Each line may end with a {@code //} comment naming its fields;
 * whitespace is ignored.
 */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String dump) {
        StringBuilder hex = new StringBuilder();
        for (String line : dump.split("\n")) {
            int c = line.indexOf("//");
            hex.append((c >= 0 ? line.substring(0, c) : line).replaceAll("\\s+", ""));
        }
        return ByteBufUtil.decodeHexDump(hex);
    }

    /** A heap buffer holding the dump; the caller releases it. */
    public static ByteBuf buf(String dump) {
        return Unpooled.wrappedBuffer(bytes(dump));
    }

    /** A direct buffer holding the dump after {@code prefix} junk bytes (reader index past them); caller releases. */
    public static ByteBuf directBufAt(int prefix, String dump) {
        byte[] b = bytes(dump);
        ByteBuf buf = Unpooled.directBuffer(prefix + b.length);
        buf.writeZero(prefix).writeBytes(b).readerIndex(prefix);
        return buf;
    }

    /** The readable bytes of {@code buf} as lowercase hex (indices untouched). */
    public static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    public static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }
}
