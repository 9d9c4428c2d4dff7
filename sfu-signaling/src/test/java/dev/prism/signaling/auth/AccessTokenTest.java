package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessTokenTest {
    private static final String SECRET = "prism-known-vector-secret-0123456789";
    private static final long NOW = 1_700_000_100L;

    /** identity, name claim (null = absent), the display name every screen gets. */
    static Stream<Arguments> displayNames() {
        return Stream.of(
                Arguments.of("alice", "Alice", "Alice"),
                Arguments.of("alice", null, "alice"),
                Arguments.of("alice", "", "alice"),
                // U+202E RIGHT-TO-LEFT OVERRIDE would show "Alice\u202Eexe.txt" as "Alicetxt.exe"
                Arguments.of("alice", "Alice\u202Eexe.txt", "Aliceexe.txt"),
                Arguments.of("alice", "\u202Dadmin\u202C", "admin"), // LRO ... PDF
                Arguments.of("alice", "\u2067Bob\u2069 (host)", "Bob (host)"), // RLI ... PDI isolates
                Arguments.of("alice", "Bob\u200F", "Bob"), // RIGHT-TO-LEFT MARK
                Arguments.of("alice", "Bob\u200B\u2060", "Bob"), // zero-width space, word joiner
                Arguments.of("alice", "two\nlines\r\tand\u0000nul\u2028", "twolinesandnul"),
                Arguments.of("alice", "  padded  ", "padded"),
                Arguments.of("alice", "\u202E\u200F", "alice"), // nothing left: the identity
                Arguments.of("\u202Emallory", null, "mallory"), // no name: the identity, made safe too
                Arguments.of("\u202E", "\u2066", "\\u202e"), // nothing displayable anywhere: the escaped identity
                Arguments.of("alice", "Zoë 👩\u200D💻 عليّ", "Zoë 👩\u200D💻 عليّ")); // ZWJ emoji and RTL letters kept
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @MethodSource("displayNames")
    void theDisplayNameIsDisplaySafe(String identity, String name, String shown) {
        AccessToken t = new AccessToken("demo", identity, name, true, true, NOW, NOW + 60);
        assertThat(t.name()).isEqualTo(shown);
        assertThat(t.identity()).isEqualTo(identity); // the identity is an id, compared byte for byte: kept as sent
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @MethodSource("displayNames")
    void aVerifiedTokenCarriesTheDisplaySafeName(String identity, String name, String shown) throws TokenException {
        String nameMember = name == null ? "" : ",\"name\":\"" + jsonEscape(name) + "\"";
        String payload = "{\"room\":\"demo\",\"sub\":\"" + jsonEscape(identity) + "\"" + nameMember
                + ",\"iat\":" + NOW + ",\"exp\":" + (NOW + 60) + "}";
        AccessToken t = new TokenService(SECRET, () -> NOW).verify(sign(payload));
        assertThat(t.name()).isEqualTo(shown);
    }

    @Test
    void roomAndIdentityMustNotBeBlank() {
        assertThatThrownBy(() -> new AccessToken(" ", "a", null, true, true, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessToken("r", null, null, true, true, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String sign(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
