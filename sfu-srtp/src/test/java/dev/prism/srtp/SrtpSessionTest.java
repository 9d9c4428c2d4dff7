package dev.prism.srtp;

import static dev.prism.srtp.SrtpTestPackets.compoundRtcp;
import static dev.prism.srtp.SrtpTestPackets.hex;
import static dev.prism.srtp.SrtpTestPackets.readable;
import static dev.prism.srtp.SrtpTestPackets.sampleKeys;
import static dev.prism.srtp.SrtpTestPackets.videoRtp;
import static dev.prism.srtp.SrtpTestPackets.withTailRoom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of {@link SrtpSession}, checked against every {@link SrtpImplementation}. */
class SrtpSessionTest {
    private static final int SSRC = 0x1234abcd;

    private SrtpSession client;
    private SrtpSession server;

    private void open(SrtpImplementation impl, SrtpProfile profile) {
        SrtpKeyingMaterial keys = sampleKeys(profile);
        client = impl.create(profile, keys, false);
        server = impl.create(profile, keys, true);
    }

    /** Every implementation with every profile. */
    static Stream<Arguments> implementationsAndProfiles() {
        return Arrays.stream(SrtpImplementation.values())
            .flatMap(i -> Arrays.stream(SrtpProfile.values()).map(p -> Arguments.of(i, p)));
    }

    private static int receiveRtpStreams(SrtpSession session) {
        return session instanceof PrismSrtpSession prism ? prism.receiveRtpStreams()
            : ((JitsiSrtpSession) session).receiveRtpStreams();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void rtpRoundTripRestoresThePacketAndGrowsByTheTag(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        byte[] plain = videoRtp(1000, SSRC);
        ByteBuf buf = withTailRoom(plain);
        try {
            assertThat(client.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(buf.readableBytes()).isEqualTo(plain.length + profile.rtpTrailerLength());
            assertThat(Arrays.copyOf(readable(buf), 24)).as("header stays in the clear")
                .isEqualTo(Arrays.copyOf(plain, 24));
            assertThat(Arrays.copyOfRange(readable(buf), 24, plain.length)).as("payload is encrypted")
                .isNotEqualTo(Arrays.copyOfRange(plain, 24, plain.length));

            assertThat(server.unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(buf)).isEqualTo(plain);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void rtcpRoundTripInBothDirections(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        byte[] plain = compoundRtcp(SSRC);
        for (SrtpSession[] pair : new SrtpSession[][] {{client, server}, {server, client}}) {
            ByteBuf buf = withTailRoom(plain);
            try {
                assertThat(pair[0].protectRtcp(buf)).isEqualTo(SrtpStatus.OK);
                assertThat(buf.readableBytes()).isEqualTo(plain.length + profile.rtcpTrailerLength());
                assertThat(pair[1].unprotectRtcp(buf)).isEqualTo(SrtpStatus.OK);
                assertThat(readable(buf)).isEqualTo(plain);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void serverToClientUsesTheServerKeys(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        byte[] plain = videoRtp(7, SSRC);
        ByteBuf buf = withTailRoom(plain);
        try {
            assertThat(server.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            ByteBuf copy = buf.copy(buf.readerIndex(), buf.readableBytes());
            try {
                assertThat(server.unprotectRtp(copy)).as("our own key does not open our packets")
                    .isEqualTo(SrtpStatus.AUTH_FAIL);
            } finally {
                copy.release();
            }
            assertThat(client.unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(buf)).isEqualTo(plain);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void tamperedByteFailsAuthentication(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        int[] positions = {1, 11, 30, 600}; // marker/PT, SSRC, payload start, payload middle
        for (int i = 0; i < positions.length; i++) {
            ByteBuf buf = withTailRoom(videoRtp(2000 + i, SSRC));
            try {
                assertThat(client.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
                int at = buf.readerIndex() + positions[i];
                buf.setByte(at, buf.getByte(at) ^ 0x01);
                int ssrcBefore = buf.getInt(8);
                SrtpStatus status = server.unprotectRtp(buf);
                assertThat(status).as("flip at %d", positions[i]).isEqualTo(SrtpStatus.AUTH_FAIL);
                assertThat(ssrcBefore).isNotZero();
            } finally {
                buf.release();
            }
        }
        ByteBuf rtcp = withTailRoom(compoundRtcp(SSRC));
        try {
            assertThat(client.protectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
            rtcp.setByte(20, rtcp.getByte(20) ^ 0x80);
            assertThat(server.unprotectRtcp(rtcp)).isEqualTo(SrtpStatus.AUTH_FAIL);
        } finally {
            rtcp.release();
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void replayedPacketsAreRefused(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        ByteBuf first = withTailRoom(videoRtp(3000, SSRC));
        ByteBuf rtcp = withTailRoom(compoundRtcp(SSRC));
        try {
            assertThat(client.protectRtp(first)).isEqualTo(SrtpStatus.OK);
            ByteBuf replay = first.copy();
            try {
                assertThat(server.unprotectRtp(first)).isEqualTo(SrtpStatus.OK);
                assertThat(server.unprotectRtp(replay)).isEqualTo(SrtpStatus.REPLAY_FAIL);
            } finally {
                replay.release();
            }

            assertThat(client.protectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
            ByteBuf rtcpReplay = rtcp.copy();
            try {
                assertThat(server.unprotectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
                assertThat(server.unprotectRtcp(rtcpReplay)).isEqualTo(SrtpStatus.REPLAY_FAIL);
            } finally {
                rtcpReplay.release();
            }
        } finally {
            first.release();
            rtcp.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void packetsOlderThanTheWindowAreRefusedAndReorderingInsideItIsFine(SrtpImplementation impl) {
        open(impl, SrtpProfile.AEAD_AES_128_GCM);
        ByteBuf old = protect(100);
        ByteBuf inWindow = protect(150);
        ByteBuf newest = protect(200);
        try {
            assertThat(server.unprotectRtp(newest)).isEqualTo(SrtpStatus.OK);
            assertThat(server.unprotectRtp(inWindow)).isEqualTo(SrtpStatus.OK);
            assertThat(server.unprotectRtp(old)).isEqualTo(SrtpStatus.REPLAY_OLD);
        } finally {
            old.release();
            inWindow.release();
            newest.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void sequenceNumberWrapKeepsWorking(SrtpImplementation impl) {
        open(impl, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        int[] seqs = {65533, 65534, 65535, 0, 1, 2};
        ByteBuf[] packets = new ByteBuf[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            packets[i] = protect(seqs[i]);
        }
        int[] order = {0, 1, 3, 2, 5, 4}; // some reordering across the wrap
        try {
            for (int i : order) {
                assertThat(server.unprotectRtp(packets[i])).as("seq %d", seqs[i]).isEqualTo(SrtpStatus.OK);
                assertThat(readable(packets[i])).isEqualTo(videoRtp(seqs[i], SSRC));
            }
        } finally {
            for (ByteBuf p : packets) {
                p.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void protectingTheSameSequenceNumberTwiceIsRefused(SrtpImplementation impl) {
        open(impl, SrtpProfile.AEAD_AES_128_GCM);
        ByteBuf once = protect(500);
        ByteBuf twice = withTailRoom(videoRtp(500, SSRC));
        try {
            assertThat(client.protectRtp(twice)).isEqualTo(SrtpStatus.REPLAY_FAIL);
        } finally {
            once.release();
            twice.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void forgedPacketsFromUnknownSsrcsLeaveNoContextBehind(SrtpImplementation impl) {
        open(impl, SrtpProfile.AEAD_AES_128_GCM);
        for (int i = 0; i < 20; i++) {
            ByteBuf forged = withTailRoom(videoRtp(i, 0x7000 + i));
            try {
                assertThat(server.unprotectRtp(forged)).isEqualTo(SrtpStatus.AUTH_FAIL);
            } finally {
                forged.release();
            }
        }
        assertThat(receiveRtpStreams(server)).isZero();

        ByteBuf real = protect(1);
        try {
            assertThat(server.unprotectRtp(real)).isEqualTo(SrtpStatus.OK);
            assertThat(receiveRtpStreams(server)).isEqualTo(1);
        } finally {
            real.release();
        }
    }

    /** Malformed input: a typed status, never an exception. */
    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void malformedPacketsAreInvalid(SrtpImplementation impl) {
        open(impl, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        String[][] rtpRows = {
            // name, hex
            {"empty", ""},
            {"shorter than the fixed header", "80 60 0001 00000000 0000"},
            {"version 1", "40 60 0001 00000000 12345678 abcdef"},
            {"CSRC count runs past the end", "8f 60 0001 00000000 12345678 11111111"},
            {"extension header cut off", "90 60 0001 00000000 12345678 bede"},
            {"extension length runs past the end", "90 60 0001 00000000 12345678 bede 0004 11223344"},
        };
        for (String[] row : rtpRows) {
            ByteBuf buf = withTailRoom(hex(row[1]));
            try {
                assertThat(client.protectRtp(buf)).as("protect: %s", row[0]).isEqualTo(SrtpStatus.INVALID_PACKET);
                assertThat(server.unprotectRtp(buf)).as("unprotect: %s", row[0])
                    .isEqualTo(SrtpStatus.INVALID_PACKET);
            } finally {
                buf.release();
            }
        }
        ByteBuf noRoomForTag = withTailRoom(hex("80 60 0001 00000000 12345678 0102030405"));
        ByteBuf rtcpShort = withTailRoom(hex("80 c8 0006 12345678"));
        ByteBuf rtcpTooShort = withTailRoom(hex("80 c8 00"));
        ByteBuf rtcpVersion0 = withTailRoom(hex("00 c8 0006 12345678 00000000 00000000 00000000"));
        try {
            assertThat(server.unprotectRtp(noRoomForTag)).as("shorter than header + tag")
                .isEqualTo(SrtpStatus.INVALID_PACKET);
            assertThat(server.unprotectRtcp(rtcpShort)).as("SRTCP without index and tag")
                .isEqualTo(SrtpStatus.INVALID_PACKET);
            assertThat(client.protectRtcp(rtcpTooShort)).isEqualTo(SrtpStatus.INVALID_PACKET);
            assertThat(client.protectRtcp(rtcpVersion0)).isEqualTo(SrtpStatus.INVALID_PACKET);
            assertThat(server.unprotectRtcp(rtcpVersion0)).isEqualTo(SrtpStatus.INVALID_PACKET);
        } finally {
            noRoomForTag.release();
            rtcpShort.release();
            rtcpTooShort.release();
            rtcpVersion0.release();
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void directBuffersWorkInPlaceAndMatchHeapResults(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        byte[] plain = videoRtp(1, SSRC);
        byte[] rtcpPlain = compoundRtcp(SSRC);
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(plain.length + SrtpSession.MAX_TRAILER);
        ByteBuf rtcp = PooledByteBufAllocator.DEFAULT.directBuffer(rtcpPlain.length + SrtpSession.MAX_TRAILER);
        ByteBuf heapRef = withTailRoom(plain);
        SrtpSession reference = impl.create(profile, sampleKeys(profile), false);
        try {
            direct.writeZero(5).readerIndex(5); // a reader offset, as after a consumed header
            direct.writeBytes(plain);
            assertThat(client.protectRtp(direct)).isEqualTo(SrtpStatus.OK);
            assertThat(reference.protectRtp(heapRef)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(direct)).as("same bytes as the heap path").isEqualTo(readable(heapRef));
            assertThat(direct.readerIndex()).isEqualTo(5);

            assertThat(server.unprotectRtp(direct)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(direct)).isEqualTo(plain);

            rtcp.writeBytes(rtcpPlain);
            assertThat(client.protectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
            assertThat(server.unprotectRtcp(rtcp)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(rtcp)).isEqualTo(rtcpPlain);
        } finally {
            direct.release();
            rtcp.release();
            heapRef.release();
            reference.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void readOnlyBuffersAreRefusedWithAClearStatus(SrtpImplementation impl) {
        open(impl, SrtpProfile.AEAD_AES_128_GCM);
        ByteBuf buf = withTailRoom(videoRtp(1, SSRC));
        ByteBuf readOnly = buf.asReadOnly();
        try {
            assertThat(client.protectRtp(readOnly)).isEqualTo(SrtpStatus.UNSUPPORTED_BUFFER);
            assertThat(server.unprotectRtp(readOnly)).isEqualTo(SrtpStatus.UNSUPPORTED_BUFFER);
            assertThat(client.protectRtcp(readOnly)).isEqualTo(SrtpStatus.UNSUPPORTED_BUFFER);
            assertThat(server.unprotectRtcp(readOnly)).isEqualTo(SrtpStatus.UNSUPPORTED_BUFFER);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("implementationsAndProfiles")
    void neverWritesPastTheBufferIntoTheSharedArray(SrtpImplementation impl, SrtpProfile profile) {
        open(impl, profile);
        byte[] plain = videoRtp(42, SSRC);
        byte[] shared = new byte[10 + plain.length + SrtpSession.MAX_TRAILER + 10];
        Arrays.fill(shared, (byte) 0xEE);
        int capacity = plain.length + profile.rtcpTrailerLength(); // room for the tag and no more
        ByteBuf slice = Unpooled.wrappedBuffer(shared, 10, capacity);
        slice.clear();
        slice.writeBytes(plain);
        assertThat(client.protectRtp(slice)).isEqualTo(SrtpStatus.OK);
        assertThat(server.unprotectRtp(slice)).isEqualTo(SrtpStatus.OK);
        assertThat(readable(slice)).isEqualTo(plain);
        for (int i = 0; i < 10; i++) {
            assertThat(shared[i]).isEqualTo((byte) 0xEE);
        }
        for (int i = 10 + capacity; i < shared.length; i++) {
            assertThat(shared[i]).as("byte %d after the buffer", i).isEqualTo((byte) 0xEE);
        }
        slice.release();
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void missingTailRoomGrowsTheBufferOrFails(SrtpImplementation impl) {
        open(impl, SrtpProfile.AEAD_AES_128_GCM);
        byte[] plain = videoRtp(1, SSRC);
        ByteBuf growable = Unpooled.buffer(plain.length);
        ByteBuf fixed = Unpooled.buffer(plain.length, plain.length);
        try {
            growable.writeBytes(plain);
            assertThat(client.protectRtp(growable)).isEqualTo(SrtpStatus.OK);
            assertThat(server.unprotectRtp(growable)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(growable)).isEqualTo(plain);

            fixed.writeBytes(videoRtp(2, SSRC));
            assertThat(client.protectRtp(fixed)).isEqualTo(SrtpStatus.FAIL);
        } finally {
            growable.release();
            fixed.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void pooledBuffersWithAReaderOffsetWork(SrtpImplementation impl) {
        open(impl, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] plain = videoRtp(9, SSRC);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(plain.length + 100);
        try {
            buf.writeZero(37).readerIndex(37); // e.g. a demux header already consumed
            buf.writeBytes(plain);
            assertThat(client.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(buf.readerIndex()).isEqualTo(37);
            assertThat(server.unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(buf.readerIndex()).isEqualTo(37);
            assertThat(readable(buf)).isEqualTo(plain);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void closedSessionFailsAndCloseIsIdempotent(SrtpImplementation impl) {
        open(impl, SrtpProfile.AEAD_AES_128_GCM);
        client.close();
        client.close();
        ByteBuf buf = withTailRoom(videoRtp(1, SSRC));
        try {
            assertThat(client.protectRtp(buf)).isEqualTo(SrtpStatus.FAIL);
            assertThat(client.unprotectRtcp(buf)).isEqualTo(SrtpStatus.FAIL);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void keysForAnotherProfileAreRejected(SrtpImplementation impl) {
        SrtpKeyingMaterial cm = sampleKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThatThrownBy(() -> impl.create(SrtpProfile.AEAD_AES_128_GCM, cm, true))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private ByteBuf protect(int seq) {
        ByteBuf buf = withTailRoom(videoRtp(seq, SSRC));
        assertThat(client.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
        return buf;
    }
}
