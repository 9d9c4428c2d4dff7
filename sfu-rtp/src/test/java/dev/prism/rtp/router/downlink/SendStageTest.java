package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.pacer.PacingLoop;
import dev.prism.rtp.pacer.PacketClass;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The send stage numbers each packet for transport-wide feedback as it leaves, in the element the copy appended:
 * nobody parses the packet again to find where it goes, and the numbers follow the order on the wire (a paced packet
 * is numbered when the pacer lets it go; one that never leaves takes no number).
 */
class SendStageTest {
    private static final String SOURCE = """
            80 60 00 64              // V=2, PT 96, seq 100
            00 00 07 d0              // timestamp 2000
            00 00 0a 0a              // SSRC
            11 22 33                 // payload
            """;

    private final FakeClock clock = new FakeClock();
    private final MediaCounters counters = new MediaCounters();
    private final DownlinkController downlink = new DownlinkController(clock);
    private final SendStage stage = new SendStage(downlink, UnpooledByteBufAllocator.DEFAULT, counters, clock);
    private final List<ByteBuf> wire = new ArrayList<>();

    SendStageTest() {
        stage.bind(wire::add, null);
    }

    /** The paced stages' clock and the timers their pacing loop drains on. */
    private final FakeClock pacedTime = new FakeClock();
    private final dev.prism.core.clock.ManualTimers pacedTimers = new dev.prism.core.clock.ManualTimers(pacedTime);

    /** A stage with a pacer at 2.5 x {@code rembBps}, numbering with element id 3; {@code repairs} may be null. */
    private SendStage pacedStage(long rembBps, SendStage.RepairSent repairs) {
        DownlinkController d = new DownlinkController(pacedTime);
        d.configure(true, false);
        d.onRemb(rembBps);
        SendStage paced = new SendStage(d, UnpooledByteBufAllocator.DEFAULT, counters, pacedTime);
        if (repairs != null) {
            paced.repairSentTo(repairs);
        }
        paced.bind(wire::add, new PacingLoop(pacedTimers, pacedTime, () -> { }));
        paced.setTransportCcExtensionId(3);
        paced.onEstimate();
        return paced;
    }

    @Test
    void everyCopyCarriesTheNextTransportWideNumber() {
        downlink.configure(true, false);
        stage.setTransportCcExtensionId(3);
        ByteBuf src = Hex.buf(SOURCE);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(src)).isTrue();
        ByteBuf first = stage.copy(view, 0x0b0b, 7, 9000, 100, null);
        stage.sendCopy(first, PacketClass.VIDEO);
        ByteBuf second = stage.copy(view, 0x0b0b, 8, 9000, 100, null);
        stage.sendCopy(second, PacketClass.VIDEO);
        try {
            assertThat(wire).containsExactly(first, second);
            assertThat(Hex.hex(first)).isEqualTo(Hex.hex(Hex.buf("""
                    90 64 00 07              // X set, PT 100, seq 7
                    00 00 23 28              // timestamp 9000
                    00 00 0b 0b              // the subscriber's SSRC
                    be de 00 01              // one-byte extensions, one word
                    31 00 00 00              // id 3, 2 bytes: transport-wide number 0, padding
                    11 22 33
                    """)));
            assertThat(second.getUnsignedShort(17)).as("the next number").isEqualTo(1);
            assertThat(stage.numbered()).isEqualTo(2);
        } finally {
            view.clear();
            src.release();
            first.release();
            second.release();
        }
    }

    @Test
    void withoutTransportWideFeedbackCopiesCarryNoElement() {
        ByteBuf src = Hex.buf(SOURCE);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(src)).isTrue();
        ByteBuf copy = stage.copy(view, 0x0b0b, 7, 9000, 100, null);
        stage.sendCopy(copy, PacketClass.VIDEO);
        try {
            assertThat(Hex.hex(copy)).isEqualTo("806400070000232800000b0b112233");
            assertThat(stage.numbered()).isZero();
        } finally {
            view.clear();
            src.release();
            copy.release();
        }
    }

    @Test
    void aPacketThatDoesNotFitTakesNoNumber() {
        downlink.configure(true, false);
        stage.setTransportCcExtensionId(3);
        ByteBuf src = Hex.buf(SOURCE);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(src)).isTrue();
        // 100 one-byte elements of one data byte, each mapped to an id above 14: the two-byte form they need grows
        // the header by 100 bytes, far beyond the copy's slack.
        ByteBuf big = io.netty.buffer.Unpooled.buffer();
        big.writeBytes(Hex.buf("90 60 00 64 00 00 07 d0 00 00 0a 0a be de 00 32"));
        for (int i = 0; i < 100; i++) {
            big.writeByte((i % 14 + 1) << 4).writeByte(0);
        }
        big.writeBytes(Hex.buf("11 22 33"));
        RtpPacket bigView = new RtpPacket();
        assertThat(bigView.wrap(big)).isTrue();
        byte[] keepAll = new byte[256];
        for (int i = 1; i <= 14; i++) {
            keepAll[i] = (byte) (i + 100);
        }
        try {
            assertThat(stage.copy(bigView, 1, 1, 1, 100, keepAll)).isNull();
            assertThat(counters.drops(DropReason.SEND_NO_ROOM)).isEqualTo(1);
            assertThat(stage.numbered()).isZero();
            ByteBuf next = stage.copy(view, 1, 2, 1, 100, null);
            stage.sendCopy(next, PacketClass.VIDEO);
            assertThat(next.getUnsignedShort(17)).as("no number lost to the dropped copy").isZero();
            next.release();
        } finally {
            view.clear();
            bigView.clear();
            src.release();
            big.release();
        }
    }

    @Test
    void aCopyNotSentTakesNoNumber() {
        downlink.configure(true, false);
        stage.setTransportCcExtensionId(3);
        ByteBuf src = Hex.buf(SOURCE);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(src)).isTrue();
        ByteBuf dropped = stage.copy(view, 0x0b0b, 7, 9000, 100, null);
        dropped.release(); // a caller that decided against sending after all
        ByteBuf sent = stage.copy(view, 0x0b0b, 8, 9000, 100, null);
        stage.sendCopy(sent, PacketClass.VIDEO);
        try {
            assertThat(sent.getUnsignedShort(17)).isZero();
            assertThat(stage.numbered()).isEqualTo(1);
        } finally {
            view.clear();
            src.release();
            sent.release();
        }
    }

    @Test
    void pacedPacketsAreNumberedInTheOrderTheyLeave() {
        // A pacer at 300 kbit/s (the estimate's floor is 100 kbit/s; REMB sets it): video beyond the bucket waits,
        // audio does not; the audio packet takes the number after the video that left before it.
        SendStage paced = pacedStage(300_000, null);
        ByteBuf big = io.netty.buffer.Unpooled.buffer();
        big.writeBytes(Hex.buf("80 60 00 64 00 00 07 d0 00 00 0a 0a")).writeZero(1100);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(big)).isTrue();
        ByteBuf src = Hex.buf(SOURCE);
        RtpPacket audio = new RtpPacket();
        assertThat(audio.wrap(src)).isTrue();
        try {
            for (int i = 0; i < 8; i++) {
                paced.sendCopy(paced.copy(view, 0x0b0b, i, 9000, 100, null), PacketClass.VIDEO);
            }
            int videoOut = wire.size();
            assertThat(videoOut).as("the bucket's worth left at once").isBetween(1, 7);
            paced.sendCopy(paced.copy(audio, 0x0a0a, 1, 1, 111, null), PacketClass.AUDIO);
            assertThat(wire).hasSize(videoOut + 1);
            assertThat(wire.get(videoOut).getUnsignedShort(17)).as("audio's number").isEqualTo(videoOut);
            pacedTimers.advanceMillis(1000);
            assertThat(wire).hasSize(9);
            for (int i = 0; i < 9; i++) {
                assertThat(wire.get(i).getUnsignedShort(17)).as("numbers in wire order").isEqualTo(i);
            }
            assertThat(paced.numbered()).isEqualTo(9);
        } finally {
            view.clear();
            audio.clear();
            big.release();
            src.release();
            paced.close();
            wire.forEach(ByteBuf::release);
            wire.clear();
        }
    }

    @Test
    void aRetransmissionHeldByThePacerIsReportedWithTheNumberItLeavesWith() {
        // The retry of a lost retransmission needs its transport-wide number, known only when the pacer lets it go.
        List<int[]> reported = new ArrayList<>();
        RepairRetries.Target target = (outSeq, n, now) -> true;
        SendStage paced = pacedStage(300_000, (transportSeq, t, outSeq, n) -> {
            assertThat(t).isSameAs(target);
            reported.add(new int[] {transportSeq, outSeq, n});
        });
        ByteBuf big = io.netty.buffer.Unpooled.buffer();
        big.writeBytes(Hex.buf("80 60 00 64 00 00 07 d0 00 00 0a 0a")).writeZero(1100);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(big)).isTrue();
        try {
            for (int i = 0; i < 8; i++) {
                paced.sendCopy(paced.copy(view, 0x0b0b, i, 9000, 100, null), PacketClass.VIDEO);
            }
            ByteBuf rtx = paced.copy(view, 0x0c0c, 500, 9000, 101, null);
            paced.sendRepair(rtx, 17, target, 4242, 2); // the element's data: 12-byte header + 4 + 1
            assertThat(reported).as("held: no number yet").isEmpty();
            pacedTimers.advanceMillis(1000);
            assertThat(wire).contains(rtx);
            assertThat(reported).hasSize(1);
            assertThat(reported.get(0)).containsExactly(rtx.getUnsignedShort(17), 4242, 2);
        } finally {
            view.clear();
            big.release();
            paced.close();
            wire.forEach(ByteBuf::release);
            wire.clear();
        }
    }

    @Test
    void closeReleasesWhatThePacerHolds() {
        SendStage paced = pacedStage(100_000, null);
        List<ByteBuf> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ByteBuf b = io.netty.buffer.Unpooled.buffer(1300).writeZero(1200);
            all.add(b);
            paced.send(b, -1, i % 2 == 0 ? PacketClass.VIDEO : PacketClass.RETRANSMISSION);
        }
        assertThat(paced.pacer().queuedPackets()).isPositive();
        paced.close();
        wire.forEach(ByteBuf::release);
        wire.clear();
        assertThat(all).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }
}
