package dev.prism.rtp.router.downlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.packet.CaptureFile;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.testutil.Allocations;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RedForwarder} on Chromium 156's captured RED packet (#3: one redundant block of 81 bytes, a 64-byte Opus
 * primary), on a copy made the way the send stage makes it: the strip and the forward-as-is allocate nothing.
 */
class RedForwarderTest {
    private static final int HEADER = 28;

    private final byte[] captured = CaptureFile.packets("/captures/chromium-156-red-packets.txt").get("pub RTP red #3");
    private final ByteBuf source = Unpooled.wrappedBuffer(captured);
    private final RtpPacket packet = new RtpPacket();
    private final ByteBuf copy = Unpooled.buffer(512);
    private final byte[] extensionMap = new byte[256];

    private static MediaDescription publisher() {
        return new MediaDescription("0", MediaKind.AUDIO,
                List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of()),
                        new RtpCodec(63, "red", 48000, 2, Map.of("111/111", ""), List.of())),
                List.of(), List.of(new RtpEncoding(1, 0, null)), "s", "t");
    }

    /** The send stage's copy (no extensions kept), edited by {@code red}; returns the payload length it reports. */
    private int forward(RedForwarder red) {
        int pt = red.payloadType(packet);
        copy.clear();
        packet.copyRewritten(copy, 7, 1, 2, pt, extensionMap);
        return red.finish(copy, packet);
    }

    @Test
    void stripsToTheOpusPrimaryWithoutAllocating() {
        assertThat(packet.wrap(source)).isTrue();
        RedForwarder red = new RedForwarder(publisher(), 111, new MediaCounters());
        assertThat(forward(red)).isEqualTo(64);
        assertThat(copy.getUnsignedByte(1) & 0x7F).isEqualTo(111);
        byte[] payload = new byte[64];
        copy.getBytes(RtpPacket.FIXED_HEADER_LENGTH, payload);
        assertThat(payload).isEqualTo(Arrays.copyOfRange(captured, captured.length - 64, captured.length));
        assertThat(copy.readableBytes()).isEqualTo(RtpPacket.FIXED_HEADER_LENGTH + 64);

        double bytes = Allocations.bytesPerRun(100_000, () -> forward(red));
        assertThat(bytes).as("heap bytes per stripped packet").isLessThan(1);
    }

    @Test
    void forwardsRedAsItIsWithoutAllocating() {
        assertThat(packet.wrap(source)).isTrue();
        RedForwarder red = new RedForwarder(publisher(), 109, new MediaCounters());
        red.setSubscriberRedPayloadType(63);
        assertThat(forward(red)).isEqualTo(captured.length - HEADER);
        assertThat(copy.getUnsignedByte(1) & 0x7F).isEqualTo(63);
        assertThat((int) copy.getUnsignedByte(RtpPacket.FIXED_HEADER_LENGTH)).as("block header: F=1, Opus now 109")
                .isEqualTo(0x80 | 109);
        assertThat((int) copy.getUnsignedByte(RtpPacket.FIXED_HEADER_LENGTH + 4)).as("primary header").isEqualTo(109);

        double bytes = Allocations.bytesPerRun(100_000, () -> forward(red));
        assertThat(bytes).as("heap bytes per RED packet forwarded").isLessThan(1);
    }
}
