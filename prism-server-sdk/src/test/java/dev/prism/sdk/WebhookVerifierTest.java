package dev.prism.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test vector of docs/WEBHOOKS.md and every way a request can fail verification. */
class WebhookVerifierTest {
    private static final String SECRET = "whsec-test-secret-0123456789abcdef";
    private static final String VECTOR_BODY = "{\"id\":\"EV_1\",\"event\":\"room_started\"}";
    private static final String VECTOR_HEADER =
            "t=1765150000,v1=e35152fec0af0a7549b573b16e865e72627747c3bd5a031b944de5481fa4b7c3";
    private static final String EVENT = "{\"id\":\"EV_b0S0a2o0Z3cEN5Q6w9yC4g\",\"event\":\"participant_joined\","
            + "\"room\":\"standup\",\"roomSid\":\"RM_s1vEFsXQUFFc6opUZDA_Zw\",\"seq\":2,\"createdAt\":1765150000124,"
            + "\"participant\":{\"identity\":\"alice\",\"name\":\"Alice\"}}";

    private static WebhookVerifier at(long epochSeconds) {
        return new WebhookVerifier(Map.of("default", SECRET, "2026-12", "another-secret-another-secret-0123"),
                Duration.ofMinutes(5), Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    private static String sign(String secret, long t, String body) {
        return "t=" + t + ",v1=" + java.util.HexFormat.of().formatHex(PrismTokens.hmac(
                new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "HmacSHA256"), t + "." + body));
    }

    @Test
    void theDocumentedTestVectorVerifies() {
        assertThat(at(1_765_150_000L).isValid(VECTOR_HEADER, VECTOR_BODY)).isTrue();
        assertThat(at(1_765_150_000L + 300).isValid(VECTOR_HEADER, VECTOR_BODY)).isTrue();
        assertThat(at(1_765_150_000L).isValid(VECTOR_HEADER.replace("e351", "e352"), VECTOR_BODY)).isFalse();
        assertThat(at(1_765_150_000L).isValid(VECTOR_HEADER, VECTOR_BODY + " ")).isFalse();
        assertThat(at(1_765_150_000L).isValid(VECTOR_HEADER.toUpperCase().replace("T=", "t=").replace("V1=", "v1="),
                VECTOR_BODY)).isTrue(); // hex case does not matter
    }

    @Test
    void aVerifiedEventIsParsed() throws Exception {
        WebhookEvent e = at(1_765_150_001L).verify(sign(SECRET, 1_765_150_000L, EVENT), "default", EVENT);
        assertThat(e.id()).isEqualTo("EV_b0S0a2o0Z3cEN5Q6w9yC4g");
        assertThat(e.event()).isEqualTo("participant_joined");
        assertThat(e.room()).isEqualTo("standup");
        assertThat(e.roomSid()).isEqualTo("RM_s1vEFsXQUFFc6opUZDA_Zw");
        assertThat(e.seq()).isEqualTo(2);
        assertThat(e.createdAt()).isEqualTo(1_765_150_000_124L);
        assertThat(e.participantIdentity()).isEqualTo("alice");
        assertThat(e.participantName()).isEqualTo("Alice");
        assertThat(e.trackSid()).isNull();
        assertThat(e.reason()).isNull();
    }

    @Test
    void keysAreChosenByTheKeyIdHeader() throws Exception {
        String other = "another-secret-another-secret-0123";
        assertThat(at(1_765_150_000L).verify(sign(other, 1_765_150_000L, EVENT), "2026-12", EVENT).seq())
                .isEqualTo(2);
        assertThatThrownBy(() -> at(1_765_150_000L).verify(sign(other, 1_765_150_000L, EVENT), EVENT))
                .hasMessage("bad signature");
        assertThatThrownBy(() -> at(1_765_150_000L).verify(sign(other, 1_765_150_000L, EVENT), "k9", EVENT))
                .hasMessage("unknown key id");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        long now = 1_765_150_000L;
        Object[][] table = {
            {null, EVENT, "no Prism-Signature header"},
            {"", EVENT, "no Prism-Signature header"},
            {sign(SECRET, now, EVENT), null, "no body"},
            {"v1=abcd", EVENT, "malformed Prism-Signature header"},
            {"t=1765150000", EVENT, "malformed Prism-Signature header"},
            {"t=-5,v1=ab", EVENT, "malformed Prism-Signature header"},
            {"t=1765150000000000,v1=ab", EVENT, "malformed Prism-Signature header"},
            {sign(SECRET, now - 301, EVENT), EVENT, "signature timestamp outside the tolerance"},
            {sign(SECRET, now + 301, EVENT), EVENT, "signature timestamp outside the tolerance"},
            {sign(SECRET, now, EVENT).substring(0, 20), EVENT, "bad signature"},
            {sign(SECRET, now, EVENT), EVENT.replace("alice", "mallory"), "bad signature"},
            {sign(SECRET, now, "[1]"), "[1]", "signed, but not an event: not a JSON object"},
            {sign(SECRET, now, "{\"id\":\"EV_1\"}"), "{\"id\":\"EV_1\"}",
                "signed, but not an event: event field 'event' missing or not a string"},
        };
        for (Object[] row : table) {
            assertThatThrownBy(() -> at(now).verify((String) row[0], (String) row[1]))
                    .as(String.valueOf(row[0])).isInstanceOf(WebhookVerificationException.class)
                    .hasMessage((String) row[2]);
        }
    }
}
