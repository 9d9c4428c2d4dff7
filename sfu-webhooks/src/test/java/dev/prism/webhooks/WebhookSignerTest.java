package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final String SECRET = "whsec-test-secret-0123456789abcdef";
    private static final String BODY = "{\"id\":\"EV_1\",\"event\":\"room_started\"}";

    @Test
    void signsTimestampDotBodyWithHmacSha256InHex() {
        // Expected value computed independently: python3 hmac.new(secret, b'1765150000.' + body, sha256).hexdigest()
        assertThat(new WebhookSigner("k1", SECRET).signature(BODY, 1_765_150_000L)).isEqualTo(
                "t=1765150000,v1=e35152fec0af0a7549b573b16e865e72627747c3bd5a031b944de5481fa4b7c3");
    }

    @Test
    void verifiesItsOwnSignatureAndRefusesTamperingOrAge() {
        String header = new WebhookSigner("k1", SECRET).signature(BODY, 1_000);
        assertThat(WebhookSigner.verify(SECRET, header, BODY, 1_100, 300)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, header, BODY + " ", 1_100, 300)).as("body changed").isFalse();
        assertThat(WebhookSigner.verify("another-secret-0123456789abcdef", header, BODY, 1_100, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, header, BODY, 1_301, 300)).as("too old").isFalse();
        assertThat(WebhookSigner.verify(SECRET, header.replace("t=1000", "t=1001"), BODY, 1_100, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, null, BODY, 1_100, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "t=abc,v1=00", BODY, 1_100, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "v1=00", BODY, 1_100, 300)).isFalse();
    }
}
