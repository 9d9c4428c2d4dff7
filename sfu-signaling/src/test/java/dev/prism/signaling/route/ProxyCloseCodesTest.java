package dev.prism.signaling.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyCloseCodesTest {
    @ParameterizedTest(name = "owner/link code {0} -> client {1}")
    @CsvSource({
            "4700, 4013", // link lost
            "4701, 4013", // link shut down
            "4702, 4013", // channel overflow
            "1000, 1000", "4004, 4004", "4002, 4002", "4011, 4011", "1008, 1008",
            "1005, 1011", "1006, 1011", "1015, 1011", "999, 1011", "5000, 1011", "2000, 1011"})
    void theOwnersCodeAsTheClientSeesIt(int owner, int client) {
        assertThat(ProxyCloseCodes.forClient(owner)).isEqualTo((short) client);
    }

    @org.junit.jupiter.api.Test
    void aClientSocketThatDiedReachesTheOwnerAsAbnormal() {
        assertThat(ProxyCloseCodes.forOwner(null)).isEqualTo(1006);
        assertThat(ProxyCloseCodes.forOwner((short) 1001)).isEqualTo(1001);
    }
}
