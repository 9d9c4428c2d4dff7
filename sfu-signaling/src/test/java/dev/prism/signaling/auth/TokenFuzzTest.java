package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzz target (docs/FUZZING.md): the access token from the WebSocket handshake, through {@link TokenService#verify},
 * the public entry point whatever JWT library sits behind it. Expected: an {@link AccessToken} or a
 * {@link TokenException} with its fixed reason, nothing else.
 *
 * <p>The first input byte picks what the rest is: even, the token text as sent; odd, a header and claims JSON
 * (separated by the first newline) that this test signs with the service's secret (HS256, RFC 7515), so the fuzzer
 * reaches the claim checks behind the signature. Seeds: TokenFuzzTestInputs/ (issued tokens, tokens with the
 * algorithm, expiry and grants varied).
 */
class TokenFuzzTest {
    static final String SECRET = "prism-fuzzing-secret-0123456789abcdef";
    static final long NOW = 1_760_000_000L;

    private final TokenService service = new TokenService(SECRET, () -> NOW);

    @FuzzTest
    void verify(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String jwt = (input[0] & 1) == 0 ? text : signed(text);
        try {
            AccessToken token = service.verify(jwt);
            assertThat(token.room()).isNotEmpty();
            assertThat(token.identity()).isNotEmpty();
            assertThat(token.name()).isNotNull();
        } catch (TokenException e) {
            assertThat(e.kind()).isNotNull();
            assertThat(e.reason()).isEqualTo(e.kind().reason());
        }
    }

    /** {@code header \n claims} as an HS256 JWS signed with {@link #SECRET}. */
    static String signed(String headerAndClaims) throws Exception {
        int nl = headerAndClaims.indexOf('\n');
        String header = nl < 0 ? "{\"alg\":\"HS256\"}" : headerAndClaims.substring(0, nl);
        String claims = nl < 0 ? headerAndClaims : headerAndClaims.substring(nl + 1);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(Arrays.copyOf(sig, sig.length));
    }
}
