package dev.prism.server.capture;

import dev.prism.rtp.codec.Vp8Payload;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.rtcp.RtcpCompoundParser;
import dev.prism.rtp.rtcp.RtcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decrypted packets the capture kept, a few of each kind, and their annotated hex dump.
 *
 * <p>A kind is a label such as {@code pub RTP opus} or {@code sub RTCP RR+SDES+PSFB/15}: the connection, then for RTP
 * what the packet is (Opus, VP8 keyframe start, VP8 continuation, RTX, padding-only probe), for RTCP the sequence of
 * packet types in the compound. Each kind keeps its first {@link #PER_KIND} packets.
 *
 * <p>Threading: {@link #rtp} and {@link #rtcp} are called on the media event loop; the other methods from the main
 * thread; everything is synchronized.
 */
final class CapturedPackets {
    static final int PER_KIND = 3;

    private final Map<String, List<byte[]>> byKind = new LinkedHashMap<>();
    private final RtcpCompoundParser rtcpParser = new RtcpCompoundParser();

    /** Records one decrypted RTP packet; {@code ptNames} maps the payload types of the offer to codec names. */
    synchronized void rtp(String side, RtpPacket p, Map<Integer, String> ptNames) {
        String codec = ptNames.getOrDefault(p.payloadType(), "pt" + p.payloadType());
        String what;
        if (p.payloadLength() == 0 && p.padding()) {
            what = codec + " padding-only";
        } else if (codec.equals("VP8")) {
            int descriptor = Vp8Payload.descriptorLength(p.buffer(), p.payloadOffset(), p.payloadLength());
            boolean start = (p.buffer().getByte(p.payloadOffset()) & 0x10) != 0;
            if (Vp8Payload.isKeyframeStart(p.buffer(), p.payloadOffset(), p.payloadLength())) {
                what = "VP8 keyframe start";
            } else if (descriptor > 0 && !start) {
                what = "VP8 continuation" + (p.marker() ? " marker" : "");
            } else {
                what = "VP8 delta start";
            }
        } else if (codec.equals("H264") && p.payloadLength() > 0) {
            what = "H264 " + h264Label(p.buffer(), p.payloadOffset(), p.payloadLength())
                    + (p.marker() ? " marker" : "");
        } else {
            what = codec;
        }
        keep(side + " RTP " + what, p.buffer(), p.offset(), p.length());
    }

    /**
     * What an H.264 payload is by its RTP packetization (RFC 6184), read here byte by byte, independently of the
     * parser under test: "single nal 1", "STAP-A 7,8,5", "FU-A start 5", "FU-A middle 5", "FU-A end 1".
     */
    private static String h264Label(ByteBuf b, int at, int length) {
        int type = b.getUnsignedByte(at) & 0x1F;
        if (type == 24) {
            StringBuilder sb = new StringBuilder("STAP-A ");
            int i = at + 1;
            String sep = "";
            while (i + 2 < at + length) {
                int size = b.getUnsignedShort(i);
                sb.append(sep).append(b.getUnsignedByte(i + 2) & 0x1F);
                sep = ",";
                i += 2 + size;
            }
            return sb.toString();
        }
        if (type == 28 && length > 1) {
            int fu = b.getUnsignedByte(at + 1);
            String pos = (fu & 0x80) != 0 ? "start" : (fu & 0x40) != 0 ? "end" : "middle";
            return "FU-A " + pos + " " + (fu & 0x1F);
        }
        return "single nal " + type;
    }

    /** Records one decrypted compound RTCP packet (its readable bytes). */
    synchronized void rtcp(String side, ByteBuf compound) {
        StringBuilder kind = new StringBuilder(side).append(" RTCP ");
        rtcpParser.reset(compound);
        String sep = "";
        while (rtcpParser.next()) {
            kind.append(sep).append(RtcpHeader.name(rtcpParser.packetType(), rtcpParser.countOrFormat()));
            sep = "+";
        }
        if (rtcpParser.malformed()) {
            kind.append(sep).append("MALFORMED");
        }
        keep(kind.toString(), compound, compound.readerIndex(), compound.readableBytes());
    }

    private void keep(String kind, ByteBuf buf, int offset, int length) {
        List<byte[]> list = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < PER_KIND) {
            list.add(ByteBufUtil.getBytes(buf, offset, length));
        }
    }

    /** Whether a kind whose label contains {@code fragment} was seen. */
    synchronized boolean seen(String fragment) {
        return byKind.keySet().stream().anyMatch(k -> k.contains(fragment));
    }

    synchronized Set<String> kinds() {
        return Set.copyOf(byKind.keySet());
    }

    /** Every kept packet as hex, 16 bytes a line, under a header naming its kind. */
    synchronized String dump(String header) {
        StringBuilder sb = new StringBuilder(header);
        byKind.forEach((kind, packets) -> {
            for (int i = 0; i < packets.size(); i++) {
                byte[] b = packets.get(i);
                sb.append("\n### ").append(kind).append(" #").append(i + 1).append(" (").append(b.length)
                        .append(" bytes)\n");
                for (int off = 0; off < b.length; off += 16) {
                    int n = Math.min(16, b.length - off);
                    for (int j = 0; j < n; j++) {
                        sb.append(j == 0 ? "" : " ").append(String.format("%02x", b[off + j] & 0xff));
                    }
                    sb.append('\n');
                }
            }
        });
        return sb.toString();
    }
}
