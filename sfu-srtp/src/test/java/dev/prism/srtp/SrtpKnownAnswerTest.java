package dev.prism.srtp;

import static dev.prism.srtp.SrtpTestPackets.clientKeys;
import static dev.prism.srtp.SrtpTestPackets.hex;
import static dev.prism.srtp.SrtpTestPackets.readable;
import static dev.prism.srtp.SrtpTestPackets.withTailRoom;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer tests: fixed master keys and packets whose protected form is published. The AES-CM vector uses the
 * master key and salt of RFC 3711 Appendix B.3; the packets and expected outputs are the validation vectors libsrtp
 * and other SRTP stacks check against. The GCM vector is the matching AEAD_AES_128_GCM one. Both directions: our
 * protect must produce these exact bytes, our unprotect must restore the plain packet; each implementation.
 */
class SrtpKnownAnswerTest {
    // RTP: V=2 PT=15 seq=0x1234 ts=0xdecafbad SSRC=0xcafebabe, 16 payload bytes of 0xab
    private static final byte[] RTP_PLAIN = hex("800f1234 decafbad cafebabe abababab abababab abababab abababab");
    // RTCP: SR (PT=200), RC=1, length 11, SSRC=0xcafebabe, then 16 bytes of 0xab
    private static final byte[] RTCP_PLAIN = hex("81c8000b cafebabe abababab abababab abababab abababab");

    // RFC 3711 B.3 master key and salt
    private static final byte[] CM_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] CM_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
    private static final byte[] CM_RTP = hex(
        "800f1234 decafbad cafebabe"                 // header, unchanged
        + "4e55dc4c e79978d8 8ca4d215 949d2402"      // encrypted payload
        + "b78d6acc 99ea179b 8dbb");                 // HMAC-SHA1-80 tag
    private static final byte[] CM_RTCP = hex(
        "81c8000b cafebabe"                          // header and sender SSRC, unencrypted
        + "7128035b e487b9bd bef89041 f977a5a8"      // encrypted body
        + "80000001"                                 // E=1, SRTCP index 1
        + "993e08cd 54d6c123 0798");                 // tag

    private static final byte[] GCM_KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = hex("a0a1a2a3a4a5a6a7a8a9aaab");
    private static final byte[] GCM_RTP = hex(
        "800f1234 decafbad cafebabe"
        + "c5002ede 04cfdd2e b91159e0 880aa06e"      // ciphertext
        + "d2976826 f796b201 df3131a1 27e8a392");    // GCM tag
    private static final byte[] GCM_RTCP = hex(
        "81c8000b cafebabe"
        + "c98b8b5d f0392a55 852b6c21 ac8e7025"      // ciphertext
        + "c52c6fbe a2b3b446 ea31123b a88ce61e"      // GCM tag
        + "80000001");                               // E=1, SRTCP index 1

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void aesCmRtpMatchesPublishedVector(SrtpImplementation impl) {
        checkRtp(impl, SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT, CM_RTP);
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void aesCmRtcpMatchesPublishedVector(SrtpImplementation impl) {
        checkRtcp(impl, SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT, CM_RTCP);
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void aesGcmRtpMatchesPublishedVector(SrtpImplementation impl) {
        checkRtp(impl, SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, GCM_RTP);
    }

    @ParameterizedTest
    @EnumSource(SrtpImplementation.class)
    void aesGcmRtcpMatchesPublishedVector(SrtpImplementation impl) {
        checkRtcp(impl, SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, GCM_RTCP);
    }

    private static void checkRtp(SrtpImplementation impl, SrtpProfile profile, byte[] key, byte[] salt, byte[] expected) {
        SrtpKeyingMaterial keys = clientKeys(profile, key, salt);
        SrtpSession sender = impl.create(profile, keys, false);
        SrtpSession receiver = impl.create(profile, keys, true);
        ByteBuf buf = withTailRoom(RTP_PLAIN);
        try {
            assertThat(sender.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(buf)).isEqualTo(expected);

            assertThat(receiver.unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(buf)).isEqualTo(RTP_PLAIN);
        } finally {
            buf.release();
            sender.close();
            receiver.close();
        }
    }

    private static void checkRtcp(SrtpImplementation impl, SrtpProfile profile, byte[] key, byte[] salt, byte[] expected) {
        SrtpKeyingMaterial keys = clientKeys(profile, key, salt);
        SrtpSession receiver = impl.create(profile, keys, true);
        SrtpSession sender = impl.create(profile, keys, false);
        ByteBuf published = withTailRoom(expected);
        ByteBuf ours = withTailRoom(RTCP_PLAIN);
        try {
            assertThat(receiver.unprotectRtcp(published)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(published)).isEqualTo(RTCP_PLAIN);

            // At SRTCP index 1, as Prism and libsrtp start, the sender reproduces the published packet exactly.
            SrtpTestPackets.startSrtcpAtIndexOne(impl, sender, 0xcafebabe);
            assertThat(sender.protectRtcp(ours)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(ours)).isEqualTo(expected);
            SrtpSession receiver2 = impl.create(profile, keys, true);
            assertThat(receiver2.unprotectRtcp(ours)).isEqualTo(SrtpStatus.OK);
            assertThat(readable(ours)).isEqualTo(RTCP_PLAIN);
            receiver2.close();
        } finally {
            published.release();
            ours.release();
            sender.close();
            receiver.close();
        }
    }
}
