package dev.prism.srtp;

import static dev.prism.srtp.SrtpTestPackets.readable;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each implementation against the other and itself: protect with one, unprotect with the other, for every profile
 * Prism negotiates, on random packets (different sizes, CSRCs and header extensions, sequence numbers across a
 * rollover, some reordering), RTP and RTCP. Both are deterministic, so the protected bytes must also be equal byte for
 * byte. jitsi-srtp interoperates with browsers; with Prism's own as the sender and jitsi's as the receiver this is
 * Prism's SRTP checked against an independent implementation.
 */
class SrtpCrossTest {
    private static final int SSRC = 0x5eed1234;

    /** (sender, receiver, profile) for every pair of implementations, same ones included. */
    static Stream<Arguments> pairs() {
        List<Arguments> rows = new ArrayList<>();
        for (SrtpImplementation sender : SrtpImplementation.values()) {
            for (SrtpImplementation receiver : SrtpImplementation.values()) {
                for (SrtpProfile profile : SrtpProfile.values()) {
                    rows.add(Arguments.of(sender, receiver, profile));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @MethodSource("pairs")
    void rtpAcrossARolloverWithReordering(SrtpImplementation senderImpl, SrtpImplementation receiverImpl,
                                          SrtpProfile profile) {
        SrtpKeyingMaterial keys = SrtpTestPackets.sampleKeys(profile);
        SrtpSession sender = senderImpl.create(profile, keys, false);     // the DTLS client: sends with client keys
        SrtpSession receiver = receiverImpl.create(profile, keys, true);
        SrtpSession receiversOwnSender = receiverImpl.create(profile, keys, false);
        Random random = new Random(profile.ordinal() + 1);
        List<byte[]> plains = new ArrayList<>();
        List<byte[]> wires = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                byte[] plain = randomRtp(random, (65400 + i) & 0xFFFF);
                plains.add(plain);
                byte[] wire = protectRtp(sender, plain);
                wires.add(wire);
                assertThat(wire).as("packet %d: same bytes from both", i).isEqualTo(protectRtp(receiversOwnSender, plain));
            }
            // some reordering inside the replay window
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < plains.size(); i += 10) {
                List<Integer> group = new ArrayList<>();
                for (int j = i; j < Math.min(i + 10, plains.size()); j++) {
                    group.add(j);
                }
                Collections.shuffle(group, random);
                order.addAll(group);
            }
            for (int i : order) {
                ByteBuf in = Unpooled.wrappedBuffer(wires.get(i));
                try {
                    assertThat(receiver.unprotectRtp(in)).as("packet %d", i).isEqualTo(SrtpStatus.OK);
                    assertThat(readable(in)).isEqualTo(plains.get(i));
                } finally {
                    in.release();
                }
            }
        } finally {
            sender.close();
            receiver.close();
            receiversOwnSender.close();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @MethodSource("pairs")
    void rtcp(SrtpImplementation senderImpl, SrtpImplementation receiverImpl, SrtpProfile profile) {
        SrtpKeyingMaterial keys = SrtpTestPackets.sampleKeys(profile);
        SrtpSession sender = senderImpl.create(profile, keys, true);      // the DTLS server: sends with server keys
        SrtpSession receiver = receiverImpl.create(profile, keys, false);
        SrtpSession receiversOwnSender = receiverImpl.create(profile, keys, true);
        Random random = new Random(40 + profile.ordinal());
        SrtpTestPackets.startSrtcpAtIndexOne(senderImpl, sender, SSRC);
        SrtpTestPackets.startSrtcpAtIndexOne(receiverImpl, receiversOwnSender, SSRC);
        try {
            for (int i = 0; i < 50; i++) {
                byte[] plain = randomRtcp(random);
                ByteBuf buf = Unpooled.buffer(plain.length + SrtpSession.MAX_TRAILER);
                try {
                    buf.writeBytes(plain);
                    assertThat(sender.protectRtcp(buf)).isEqualTo(SrtpStatus.OK);
                    byte[] reference = protectRtcp(receiversOwnSender, plain);
                    assertThat(readable(buf)).as("packet %d: same bytes from both", i).isEqualTo(reference);
                    assertThat(receiver.unprotectRtcp(buf)).as("packet %d", i).isEqualTo(SrtpStatus.OK);
                    assertThat(readable(buf)).isEqualTo(plain);
                } finally {
                    buf.release();
                }
            }
        } finally {
            sender.close();
            receiver.close();
            receiversOwnSender.close();
        }
    }

    private static byte[] protectRtp(SrtpSession session, byte[] plain) {
        ByteBuf buf = Unpooled.buffer(plain.length + SrtpSession.MAX_TRAILER);
        try {
            buf.writeBytes(plain);
            assertThat(session.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            return readable(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] protectRtcp(SrtpSession session, byte[] plain) {
        ByteBuf buf = Unpooled.buffer(plain.length + SrtpSession.MAX_TRAILER);
        try {
            buf.writeBytes(plain);
            assertThat(session.protectRtcp(buf)).isEqualTo(SrtpStatus.OK);
            return readable(buf);
        } finally {
            buf.release();
        }
    }

    /** V=2, random marker/PT, CSRCs, an optional one-byte-header extension, a payload of 0-1400 bytes. */
    private static byte[] randomRtp(Random random, int seq) {
        int csrcs = random.nextInt(4);
        boolean extension = random.nextBoolean();
        int extWords = extension ? 1 + random.nextInt(4) : 0;
        int payload = random.nextInt(1401);
        int header = 12 + 4 * csrcs + (extension ? 4 + 4 * extWords : 0);
        byte[] p = new byte[header + payload];
        random.nextBytes(p);
        p[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (SSRC >>> 24);
        p[9] = (byte) (SSRC >>> 16);
        p[10] = (byte) (SSRC >>> 8);
        p[11] = (byte) SSRC;
        if (extension) {
            int at = 12 + 4 * csrcs;
            p[at] = (byte) 0xBE;
            p[at + 1] = (byte) 0xDE;
            p[at + 2] = 0;
            p[at + 3] = (byte) extWords;
        }
        return p;
    }

    /** A receiver report with 0-3 report blocks, sometimes followed by an SDES chunk. */
    private static byte[] randomRtcp(Random random) {
        int blocks = random.nextInt(4);
        byte[] rr = new byte[8 + 24 * blocks];
        random.nextBytes(rr);
        rr[0] = (byte) (0x80 | blocks);
        rr[1] = (byte) 201;
        rr[2] = 0;
        rr[3] = (byte) (1 + 6 * blocks);
        rr[4] = (byte) (SSRC >>> 24);
        rr[5] = (byte) (SSRC >>> 16);
        rr[6] = (byte) (SSRC >>> 8);
        rr[7] = (byte) SSRC;
        if (random.nextBoolean()) {
            return rr;
        }
        return AesGcmTest.concat(rr, SrtpTestPackets.hex("81ca0003" + "5eed1234" + "0104707269730000"));
    }
}
