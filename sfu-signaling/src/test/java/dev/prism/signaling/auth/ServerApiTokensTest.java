package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.signaling.auth.TokenException.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerApiTokensTest {
    private static final long NOW = 1_800_000_000L;
    private static final String DEFAULT = "d".repeat(32);
    private static final String K1 = "1".repeat(32);
    private static final String K2 = "2".repeat(32);

    private final TokenService node = TokenService.withExtraKeys(DEFAULT, Map.of("k1", K1, "k2", K2), () -> NOW, 3600);
    private final ServerApiTokens api = new ServerApiTokens(node);

    @Test
    void aRoomAdminTokenSignedWithAnyConfiguredKeyIsAccepted() throws TokenException {
        assertThat(api.verify(signer(DEFAULT).issueRoomAdmin("backend", NOW, NOW + 60)).subject()).isEqualTo("backend");
        assertThat(api.verify(keyed("k1", K1).issueRoomAdmin(null, NOW, NOW + 60)).subject()).isNull();
        assertThat(api.verify(keyed("k2", K2).issueRoomAdmin("b", NOW, NOW + 60)).expiresAtEpochSeconds())
                .isEqualTo(NOW + 60);
        assertThat(api.verify(keyed("default", DEFAULT).issueRoomAdmin("b", NOW, NOW + 60)).subject()).isEqualTo("b");
    }

    @Test
    void aKidNamingAnotherKeyOrAnUnknownKeyIsABadSignature() {
        assertRefused(keyed("k1", K2).issueRoomAdmin("b", NOW, NOW + 60), Kind.BAD_SIGNATURE);
        assertRefused(keyed("k9", K1).issueRoomAdmin("b", NOW, NOW + 60), Kind.BAD_SIGNATURE);
        assertRefused(signer(K1).issueRoomAdmin("b", NOW, NOW + 60), Kind.BAD_SIGNATURE); // no kid: the default key
    }

    @Test
    void missingExpiredOrNotAdmin() {
        assertRefused(null, Kind.MISSING);
        assertRefused("abc", Kind.MALFORMED);
        assertRefused(signer(DEFAULT).issueRoomAdmin("b", NOW - 200, NOW - 100), Kind.EXPIRED);
        assertRefused(signer(DEFAULT).issueRoomAdmin("b", NOW, NOW + 7200), Kind.LIFETIME_TOO_LONG);
        // a participant's access token is not a server API token
        assertRefused(signer(DEFAULT).issue(AccessToken.grant("r", "alice", null, NOW, 60)), Kind.NOT_ROOM_ADMIN);
    }

    @Test
    void participantTokensUseTheExtraKeysTooAndCarryTheDataGrant() throws TokenException {
        AccessToken t = AccessToken.grant("r", "alice", null, NOW, 60).withCanData(false);
        assertThat(node.verify(keyed("k1", K1).issue(t)).canData()).isFalse();
        assertThat(node.verify(signer(DEFAULT).issue(AccessToken.grant("r", "a", null, NOW, 60))).canData()).isTrue();
    }

    private void assertRefused(String jwt, Kind kind) {
        assertThatThrownBy(() -> api.verify(jwt)).isInstanceOfSatisfying(TokenException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }

    private static TokenService signer(String secret) {
        return new TokenService(secret, () -> NOW, 3600);
    }

    private static TokenService keyed(String kid, String secret) {
        return TokenService.withKeyIds(Map.of(kid, secret), kid, () -> NOW, 3600);
    }
}
