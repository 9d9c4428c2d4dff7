package dev.prism.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Tokens checked by decoding them and recomputing the HMAC independently, and against Prism's known test vector. */
class PrismTokensTest {
    private static final String SECRET = "prism-known-vector-secret-0123456789";
    private static final Clock AT_1700000000 = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    /** TokenServiceTest's KNOWN_JWT (sfu-signaling): the same grants give the same bytes. */
    private static final String KNOWN_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJyb29tIjoiZGVtbyIsInN1YiI6ImFsaWNlLTEyMzQiLCJuYW1lIjoiQWxpY2UiLCJjYW5QdWJsaXNoIjp0cnVlLCJjYW5TdWJzY3JpYmUiOmZhbHNlLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0"
            + ".iwHr6BZlwg0EyxGZ0Gy5OYwmEPv3yDAgzs-GIbsUzZo";

    @Test
    void aParticipantTokenMatchesPrismsKnownVectorByteForByte() {
        String jwt = new PrismTokens(SECRET, null, AT_1700000000).participant("demo", "alice-1234").name("Alice")
                .canSubscribe(false).ttl(Duration.ofHours(1)).mint();
        assertThat(jwt).isEqualTo(KNOWN_JWT);
    }

    @Test
    void everyGrantIsWrittenAndTheSignatureVerifiesIndependently() throws Exception {
        String jwt = new PrismTokens(SECRET, "2026-12", AT_1700000000).participant("standup", "bob@example.com")
                .canPublish(false).canData(false).codec("h264").ttl(Duration.ofMinutes(10))
                .claim("hidden", true).mint();
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).isEqualTo(Map.of("alg", "HS256", "typ", "JWT", "kid", "2026-12"));
        assertThat(decode(parts[1])).containsExactly(Map.entry("room", "standup"), Map.entry("sub", "bob@example.com"),
                Map.entry("canPublish", false), Map.entry("canSubscribe", true), Map.entry("iat", 1_700_000_000L),
                Map.entry("exp", 1_700_000_600L), Map.entry("codec", "h264"), Map.entry("canData", false),
                Map.entry("hidden", true));
        assertThat(parts[2]).isEqualTo(hmacB64(SECRET, parts[0] + "." + parts[1]));
    }

    @Test
    void aRoomAdminTokenCarriesRoomAdminAndAShortExpiry() throws Exception {
        String jwt = new PrismTokens(SECRET, null, AT_1700000000).roomAdmin("billing", Duration.ofMinutes(5));
        String[] parts = jwt.split("\\.");
        assertThat(decode(parts[0])).isEqualTo(Map.of("alg", "HS256", "typ", "JWT"));
        assertThat(decode(parts[1])).containsExactly(Map.entry("sub", "billing"), Map.entry("roomAdmin", true),
                Map.entry("iat", 1_700_000_000L), Map.entry("exp", 1_700_000_300L));
        assertThat(parts[2]).isEqualTo(hmacB64(SECRET, parts[0] + "." + parts[1]));
        assertThat(decode(new PrismTokens(SECRET, null, AT_1700000000).roomAdmin(null, Duration.ofSeconds(1))
                .split("\\.")[1])).doesNotContainKey("sub");
    }

    @Test
    void badArgumentsAreRefusedWhenGiven() {
        assertThatThrownBy(() -> new PrismTokens("short")).hasMessageContaining("at least 32");
        assertThatThrownBy(() -> PrismTokens.withKeyId("bad id!", SECRET)).hasMessageContaining("key id");
        PrismTokens tokens = new PrismTokens(SECRET);
        assertThatThrownBy(() -> tokens.participant(" ", "a")).hasMessageContaining("room");
        assertThatThrownBy(() -> tokens.participant("r", null)).hasMessageContaining("identity");
        assertThatThrownBy(() -> tokens.participant("r", "a").codec("av1")).hasMessageContaining("vp8 or h264");
        assertThatThrownBy(() -> tokens.participant("r", "a").ttl(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> tokens.participant("r", "a").claim("exp", 1)).hasMessageContaining("own method");
        assertThatThrownBy(() -> tokens.participant("r", "a").claim("x", new Object())).hasMessageContaining("JSON");
        assertThatThrownBy(() -> tokens.roomAdmin("b", Duration.ofSeconds(-1))).hasMessageContaining("positive");
    }

    private static Map<String, Object> decode(String part) {
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }

    private static String hmacB64(String secret, String input) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] sig = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(sig)).hasSize(64);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }
}
