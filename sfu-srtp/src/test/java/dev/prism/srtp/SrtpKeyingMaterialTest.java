package dev.prism.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpKeyingMaterialTest {
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void splitsExporterOutputInRfc5764Order(SrtpProfile profile) {
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        byte[] exported = new byte[profile.keyingMaterialLength()];
        // client key = 1s, server key = 2s, client salt = 3s, server salt = 4s
        java.util.Arrays.fill(exported, 0, k, (byte) 1);
        java.util.Arrays.fill(exported, k, 2 * k, (byte) 2);
        java.util.Arrays.fill(exported, 2 * k, 2 * k + s, (byte) 3);
        java.util.Arrays.fill(exported, 2 * k + s, 2 * k + 2 * s, (byte) 4);

        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExporterOutput(profile, exported);

        assertThat(keys.clientMasterKey()).hasSize(k).containsOnly(1);
        assertThat(keys.serverMasterKey()).hasSize(k).containsOnly(2);
        assertThat(keys.clientMasterSalt()).hasSize(s).containsOnly(3);
        assertThat(keys.serverMasterSalt()).hasSize(s).containsOnly(4);
        assertThat(keys.localMasterKey(true)).isEqualTo(keys.serverMasterKey());
        assertThat(keys.remoteMasterKey(true)).isEqualTo(keys.clientMasterKey());
        assertThat(keys.localMasterSalt(false)).isEqualTo(keys.clientMasterSalt());
        assertThat(keys.remoteMasterSalt(false)).isEqualTo(keys.serverMasterSalt());
        assertThat(keys.toString()).doesNotContain("1, 1").contains(profile.name());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void wrongLengthsAreRejected(SrtpProfile profile) {
        assertThatThrownBy(() -> SrtpKeyingMaterial.fromExporterOutput(profile,
            new byte[profile.keyingMaterialLength() - 1])).isInstanceOf(IllegalArgumentException.class);
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        assertThatThrownBy(() -> SrtpKeyingMaterial.of(profile, key, new byte[3], key, salt))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void profileIdsRoundTrip(SrtpProfile profile) {
        assertThat(SrtpProfile.fromProtectionProfileId(profile.protectionProfileId())).isSameAs(profile);
        assertThat(SrtpProfile.fromProtectionProfileId(0x0002)).isNull(); // AES_CM_128_HMAC_SHA1_32: not offered
    }
}
