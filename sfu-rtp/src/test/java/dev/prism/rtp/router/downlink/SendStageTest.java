package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.packet.Hex;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.transport.DropReason;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * The send stage numbers each copy for transport-wide feedback as it makes it, in the element it appended: the copy
 * leaves with its number written, and nobody parses the packet again to find where it goes.
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
    private final SendStage stage = new SendStage(downlink, UnpooledByteBufAllocator.DEFAULT, counters);

    @Test
    void everyCopyCarriesTheNextTransportWideNumber() {
        downlink.configure(true, false);
        stage.setTransportCcExtensionId(3);
        ByteBuf src = Hex.buf(SOURCE);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(src)).isTrue();
        ByteBuf first = stage.copy(view, 0x0b0b, 7, 9000, 100, null);
        ByteBuf second = stage.copy(view, 0x0b0b, 8, 9000, 100, null);
        try {
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
            assertThat(next.getUnsignedShort(17)).as("no number lost to the dropped copy").isZero();
            next.release();
        } finally {
            view.clear();
            bigView.clear();
            src.release();
            big.release();
        }
    }
}
