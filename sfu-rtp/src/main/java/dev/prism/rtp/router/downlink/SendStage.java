package dev.prism.rtp.router.downlink;

import dev.prism.rtp.bwe.TransportWideSeq;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The last stage of one subscriber's send path, shared by its consumers: it makes each packet's pooled copy, numbers
 * it for transport-wide feedback in the same step (it wrote the element, so it knows where it is: no second parse),
 * records it for the downlink estimator and hands it to the transport. A pacer would go here: {@link #send} would queue
 * and a timer drain; numbering would then move to the drain, which is why it stays in this one class.
 *
 * <p>The number is taken when the copy is made, so a copy must be sent: callers decide to drop before they copy (the
 * video consumer's VP8 descriptor is known to be valid when its layer selector forwards it).
 *
 * <p>Threading: the media event loop only. Buffers: {@link #copy} borrows the source packet and returns a new pooled
 * heap buffer with {@link SrtpSession#MAX_TRAILER} bytes of tail room, owned by the caller until it passes it to
 * {@link #send}, which takes ownership in every outcome (see {@link WebRtcTransport#sendRtp}).
 */
public final class SendStage {
    /** Room for header-extension growth when one-byte elements become two-byte ones, and the transport-wide element. */
    static final int EXTENSION_SLACK = 32;

    private final DownlinkController downlink;
    private final ByteBufAllocator allocator;
    private final MediaCounters counters;
    private WebRtcTransport transport;
    private int transportCcExtensionId;
    private long numbered;

    SendStage(DownlinkController downlink, ByteBufAllocator allocator, MediaCounters counters) {
        this.downlink = downlink;
        this.allocator = allocator;
        this.counters = counters;
    }

    void bind(WebRtcTransport transport) {
        this.transport = transport;
    }

    /** The id of the transport-wide sequence number element every packet carries, 0 for none. */
    public int transportCcExtensionId() {
        return transportCcExtensionId;
    }

    void setTransportCcExtensionId(int id) {
        this.transportCcExtensionId = id;
    }

    /**
     * A pooled copy of {@code packet} rewritten for this subscriber (SSRC, sequence number, timestamp, payload type,
     * extension ids through {@code extensionIdMap}) with Prism's transport-wide sequence number in it; null, and the
     * drop counted, when it does not fit. Hot path: the copy is the only allocation.
     */
    ByteBuf copy(RtpPacket packet, long ssrc, int seq, long timestamp, int payloadType, byte[] extensionIdMap) {
        ByteBuf out = allocator.heapBuffer(packet.length() + EXTENSION_SLACK + SrtpSession.MAX_TRAILER);
        int tcc = transportCcExtensionId;
        if (packet.copyRewritten(out, ssrc, seq, timestamp, payloadType, extensionIdMap, tcc,
                tcc == 0 ? 0 : TransportWideSeq.LENGTH) < 0) {
            out.release();
            counters.drop(DropReason.SEND_NO_ROOM);
            return null;
        }
        stamp(out, packet.appendedDataOffset());
        return out;
    }

    /**
     * Numbers a packet built elsewhere (a retransmission, probe padding) whose transport-wide element's data is at
     * {@code elementDataOffset} (-1: it has none), and records it for the estimator. Call once, right before
     * {@link #send}, when the packet has its final size.
     *
     * @return the transport-wide sequence number written, -1 when none was
     */
    int stamp(ByteBuf packet, int elementDataOffset) {
        if (elementDataOffset >= 0 && downlink.numbersPackets()) {
            int transportSeq = downlink.onPacketSent(packet.readableBytes() + Producer.WIRE_OVERHEAD_BYTES);
            packet.setShort(elementDataOffset, transportSeq);
            numbered++;
            return transportSeq;
        }
        return -1;
    }

    /** Hands a copy to the transport (encrypt, write), which owns it from now on. */
    void send(ByteBuf packet) {
        transport.sendRtp(packet);
    }

    /** Packets numbered for transport-wide feedback so far. */
    public long numbered() {
        return numbered;
    }
}
