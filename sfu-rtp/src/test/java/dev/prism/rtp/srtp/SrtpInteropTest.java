package dev.prism.rtp.srtp;

import static dev.prism.rtp.srtp.SrtpTestPackets.readable;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prism's SRTP against an independent implementation, jitsi-srtp (which Prism used before and which interoperates
 * with browsers), on random packets: different sizes, CSRCs and header extensions, sequence numbers across a
 * rollover, some reordering. Both directions, RTP and RTCP, byte for byte where both are deterministic.
 */
class SrtpInteropTest {
    private static final int SSRC = 0x5eed1234;

    @BeforeAll
    static void pinJitsiToTheJdk() {
        // jitsi otherwise benchmarks its AES providers (seconds) before its first packet
        Aes.setFactoryClassName(Aes.SunJCECipherFactory.class.getName());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpBothWaysAcrossARollover(SrtpProfile profile) throws Exception {
        SrtpKeyingMaterial keys = SrtpTestPackets.sampleKeys(profile);
        SrtpSession ours = SrtpSession.create(profile, keys, false);      // the DTLS client: sends with client keys
        SrtpSession oursPeer = SrtpSession.create(profile, keys, true);
        SrtpContextFactory jitsiOut = jitsi(profile, keys.clientMasterKey(), keys.clientMasterSalt(), true);
        SrtpContextFactory jitsiIn = jitsi(profile, keys.clientMasterKey(), keys.clientMasterSalt(), false);
        SrtpCryptoContext jitsiSender = jitsiOut.deriveContext(SSRC, 0);
        SrtpCryptoContext jitsiReceiver = jitsiIn.deriveContext(SSRC, 0);
        Random random = new Random(profile.ordinal() + 1);
        List<byte[]> plains = new ArrayList<>();
        List<byte[]> protectedByUs = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                byte[] plain = randomRtp(random, (65400 + i) & 0xFFFF);
                plains.add(plain);

                ByteBuf buf = Unpooled.buffer(plain.length + SrtpSession.MAX_TRAILER);
                buf.writeBytes(plain);
                assertThat(ours.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
                byte[] wire = readable(buf);
                buf.release();
                protectedByUs.add(wire);

                ArrayBuffer theirs = new ArrayBuffer(plain, SrtpSession.MAX_TRAILER);
                assertThat(jitsiSender.transformPacket(theirs)).isEqualTo(SrtpErrorStatus.OK);
                assertThat(wire).as("packet %d: same bytes as jitsi", i).isEqualTo(theirs.bytes());

                // jitsi -> ours
                ByteBuf in = Unpooled.wrappedBuffer(theirs.bytes());
                assertThat(oursPeer.unprotectRtp(in)).as("packet %d", i).isEqualTo(SrtpStatus.OK);
                assertThat(readable(in)).isEqualTo(plain);
                in.release();
            }
            // ours -> jitsi, with some reordering inside the replay window
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
                ArrayBuffer b = new ArrayBuffer(protectedByUs.get(i), 0);
                assertThat(jitsiReceiver.reverseTransformPacket(b, false)).as("packet %d", i)
                    .isEqualTo(SrtpErrorStatus.OK);
                assertThat(b.bytes()).isEqualTo(plains.get(i));
            }
        } finally {
            ours.close();
            oursPeer.close();
            jitsiOut.close();
            jitsiIn.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpBothWays(SrtpProfile profile) throws Exception {
        SrtpKeyingMaterial keys = SrtpTestPackets.sampleKeys(profile);
        SrtpSession ours = SrtpSession.create(profile, keys, true);       // the DTLS server: sends with server keys
        SrtpSession oursPeer = SrtpSession.create(profile, keys, false);
        SrtpContextFactory jitsiIn = jitsi(profile, keys.serverMasterKey(), keys.serverMasterSalt(), false);
        SrtpContextFactory jitsiOut = jitsi(profile, keys.serverMasterKey(), keys.serverMasterSalt(), true);
        SrtcpCryptoContext jitsiReceiver = jitsiIn.deriveControlContext(SSRC);
        SrtcpCryptoContext jitsiSender = jitsiOut.deriveControlContext(SSRC);
        Random random = new Random(40 + profile.ordinal());
        try {
            for (int i = 0; i < 50; i++) {
                byte[] plain = randomRtcp(random);
                ByteBuf buf = Unpooled.buffer(plain.length + SrtpSession.MAX_TRAILER);
                buf.writeBytes(plain);
                assertThat(ours.protectRtcp(buf)).isEqualTo(SrtpStatus.OK);
                ArrayBuffer wire = new ArrayBuffer(readable(buf), 0);
                buf.release();
                assertThat(jitsiReceiver.reverseTransformPacket(wire)).as("ours -> jitsi %d", i)
                    .isEqualTo(SrtpErrorStatus.OK);
                assertThat(wire.bytes()).isEqualTo(plain);

                ArrayBuffer theirs = new ArrayBuffer(plain, SrtpSession.MAX_TRAILER);
                assertThat(jitsiSender.transformPacket(theirs)).isEqualTo(SrtpErrorStatus.OK);
                ByteBuf in = Unpooled.wrappedBuffer(theirs.bytes());
                assertThat(oursPeer.unprotectRtcp(in)).as("jitsi -> ours %d", i).isEqualTo(SrtpStatus.OK);
                assertThat(readable(in)).isEqualTo(plain);
                in.release();
            }
        } finally {
            ours.close();
            oursPeer.close();
            jitsiIn.close();
            jitsiOut.close();
        }
    }

    private static SrtpContextFactory jitsi(SrtpProfile profile, byte[] key, byte[] salt, boolean sender) {
        return new SrtpContextFactory(sender, key, salt, policy(profile), policy(profile),
            new LoggerImpl("srtp-interop-test", Level.OFF));
    }

    private static SrtpPolicy policy(SrtpProfile profile) {
        return switch (profile) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION,
                0, 16, 12);
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        };
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

    /** jitsi's buffer interface over a plain array, with spare room after the packet. */
    static final class ArrayBuffer implements ByteArrayBuffer {
        private byte[] array;
        private int offset;
        private int length;

        ArrayBuffer(byte[] packet, int room) {
            array = Arrays.copyOf(packet, packet.length + room);
            length = packet.length;
        }

        byte[] bytes() {
            return Arrays.copyOfRange(array, offset, offset + length);
        }

        @Override
        public byte[] getBuffer() {
            return array;
        }

        @Override
        public int getOffset() {
            return offset;
        }

        @Override
        public int getLength() {
            return length;
        }

        @Override
        public void setLength(int len) {
            length = len;
        }

        @Override
        public void setOffset(int off) {
            offset = off;
        }

        @Override
        public boolean isInvalid() {
            return false;
        }

        @Override
        public void readRegionToBuff(int off, int len, byte[] out) {
            System.arraycopy(array, offset + off, out, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            if (offset + length + howMuch > array.length) {
                array = Arrays.copyOf(array, offset + length + howMuch);
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, array, offset + length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
