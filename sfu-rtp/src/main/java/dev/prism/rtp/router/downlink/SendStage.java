package dev.prism.rtp.router.downlink;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.alloc.Allocation;
import dev.prism.rtp.bwe.TransportWideSeq;
import dev.prism.rtp.pacer.PacedOutput;
import dev.prism.rtp.pacer.PacketClass;
import dev.prism.rtp.pacer.Pacer;
import dev.prism.rtp.pacer.PacingLoop;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * The last stage of one subscriber's send path, shared by its consumers: it makes each packet's pooled copy (with room
 * for the transport-wide sequence number element), passes it through the subscriber's {@link Pacer} (when the engine
 * runs one) and, when the packet leaves, numbers it for transport-wide feedback and records it for the downlink
 * estimator: the send time the estimator sees is the one the packet really left at. Without a pacer a packet leaves
 * the moment it is sent here.
 *
 * <p>Numbering happens as the packet leaves, so a copy that is dropped before (not sent, or dropped by the pacer's
 * bounded queues) takes no number: the subscriber's feedback sees no hole that was never on the wire.
 *
 * <p>Threading: the media event loop only. Buffers: {@link #copy} borrows the source packet and returns a new pooled
 * heap buffer with {@link SrtpSession#MAX_TRAILER} bytes of tail room, owned by the caller until it passes it to
 * {@link #sendCopy} or {@link #send}, which take ownership in every outcome: the pacer queues it (released on
 * {@link #close}) or it goes to the transport ({@link WebRtcTransport#sendRtp}).
 */
public final class SendStage implements PacedOutput {
    /** Room for header-extension growth when one-byte elements become two-byte ones, and the transport-wide element. */
    static final int EXTENSION_SLACK = 32;

    private final DownlinkController downlink;
    private final ByteBufAllocator allocator;
    private final MediaCounters counters;
    private final MonoClock clock;
    private Consumer<ByteBuf> wire;
    private Pacer pacer;
    private int transportCcExtensionId;
    /** Where the element of the latest {@link #copy} is, for {@link #sendCopy}. */
    private int copyElementOffset = -1;
    private long numbered;
    private final RepairMarks repairMarks = new RepairMarks(Pacer.RTX_CAPACITY);
    private RepairSent repairSent;

    SendStage(DownlinkController downlink, ByteBufAllocator allocator, MediaCounters counters, MonoClock clock) {
        this.downlink = downlink;
        this.allocator = allocator;
        this.counters = counters;
        this.clock = clock;
    }

    /** Sends to {@code transport}, paced when its engine runs pacers. */
    void bind(WebRtcTransport transport) {
        bind(transport::sendRtp, transport.pacing());
    }

    /**
     * Sends to {@code wire} (which takes ownership of each packet), through a pacer drained by {@code pacing}, or
     * unpaced when it is null.
     */
    void bind(Consumer<ByteBuf> wire, PacingLoop pacing) {
        this.wire = wire;
        this.pacer = pacing == null ? null : new Pacer(this, pacing, downlink.estimateBps());
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
     * extension ids through {@code extensionIdMap}) with room for Prism's transport-wide sequence number, filled in
     * when it leaves; null, and the drop counted, when it does not fit. Hot path: the copy is the only allocation.
     */
    ByteBuf copy(RtpPacket packet, long ssrc, int seq, long timestamp, int payloadType, byte[] extensionIdMap) {
        ByteBuf out = allocator.heapBuffer(packet.length() + EXTENSION_SLACK + SrtpSession.MAX_TRAILER);
        int tcc = transportCcExtensionId;
        if (packet.copyRewritten(out, ssrc, seq, timestamp, payloadType, extensionIdMap, tcc,
                tcc == 0 ? 0 : TransportWideSeq.LENGTH) < 0) {
            out.release();
            counters.drop(DropReason.SEND_NO_ROOM);
            copyElementOffset = -1;
            return null;
        }
        copyElementOffset = packet.appendedDataOffset();
        return out;
    }

    /**
     * Sends retransmission {@code rtx} of output packet {@code outSeq} (try {@code n}) like {@link #send}; when it
     * leaves numbered, the subscriber is told ({@link RepairSent}) so that a loss its feedback reports is retried.
     */
    void sendRepair(ByteBuf rtx, int elementDataOffset, RepairRetries.Target target, int outSeq, int n) {
        repairMarks.add(rtx, target, outSeq, n);
        send(rtx, elementDataOffset, PacketClass.RETRANSMISSION);
    }

    /** Who hears of each retransmission's transport-wide number (the subscriber endpoint). */
    void repairSentTo(RepairSent listener) {
        this.repairSent = listener;
    }

    /** A retransmission left with transport-wide number {@code transportSeq}. Event loop only. */
    interface RepairSent {
        void onRepairSent(int transportSeq, RepairRetries.Target target, int outSeq, int n);
    }

    /** Sends the copy the latest {@link #copy} returned (nothing else copied in between). Takes ownership. */
    void sendCopy(ByteBuf copy, PacketClass type) {
        send(copy, copyElementOffset, type);
    }

    /**
     * Sends a packet built elsewhere (a retransmission, probe padding) whose transport-wide element's data is at
     * {@code elementDataOffset} (-1: it has none), with its final size. Takes ownership.
     */
    void send(ByteBuf packet, int elementDataOffset, PacketClass type) {
        if (pacer == null) {
            emit(packet, elementDataOffset, type);
        } else {
            pacer.send(packet, elementDataOffset, type, clock.nanos());
        }
    }

    /** The packet leaves now: numbered (when the subscriber estimates from transport-cc), then to the transport. */
    @Override
    public void emit(ByteBuf packet, int elementDataOffset, PacketClass type) {
        int transportSeq = -1;
        if (elementDataOffset >= 0 && downlink.numbersPackets()) {
            transportSeq = downlink.onPacketSent(packet.readableBytes() + Producer.WIRE_OVERHEAD_BYTES);
            packet.setShort(elementDataOffset, transportSeq);
            numbered++;
        }
        if (type == PacketClass.RETRANSMISSION && repairMarks.take(packet) && transportSeq >= 0
                && repairSent != null) {
            repairSent.onRepairSent(transportSeq, repairMarks.target(), repairMarks.outSeq(), repairMarks.tries());
        }
        wire.accept(packet);
    }

    @Override
    public void dropped(PacketClass type) {
        counters.drop(DropReason.PACER_PADDING_OVERFLOW); // the pacer drops nothing else
    }

    /**
     * The downlink estimate or the allocation may have moved: the pacer paces at a multiple of the larger of the
     * estimate and what the allocation forwards. Audio and video sent as one encoding are served whole whatever the
     * estimate (the allocator cannot make them smaller); pacing them below their own rate would only queue them up to
     * the pacer's age bound (measured: a load run's video waited ~250 ms behind a low estimate).
     */
    void onEstimate() {
        if (pacer != null) {
            Allocation a = downlink.lastAllocation();
            pacer.setEstimate(Math.max(downlink.estimateBps(), a == null ? 0 : a.allocatedBps()));
        }
    }

    /** Probe padding still waiting in the pacer (a probe tops up by what has not left, not again); 0 unpaced. */
    long queuedPaddingBytes() {
        return pacer == null ? 0 : pacer.queuedPaddingBytes();
    }

    /** The probe ended: padding still queued is released. */
    void discardPadding() {
        if (pacer != null) {
            pacer.discardPadding();
        }
    }

    /** The transport closed: every packet the pacer holds is released. Idempotent. */
    void close() {
        if (pacer != null) {
            pacer.close();
        }
        repairMarks.clear();
    }

    /** The subscriber's pacer, null when the engine runs none. */
    public Pacer pacer() {
        return pacer;
    }

    /** Packets numbered for transport-wide feedback so far. */
    public long numbered() {
        return numbered;
    }
}
