package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.prism.core.rtp.VideoCodec;
import dev.prism.signaling.auth.TokenException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenServiceTest {
    private static final String SECRET = "prism-known-vector-secret-0123456789";
    private static final String OTHER_SECRET = "another-secret-of-at-least-32-characters";
    /** The service's clock in these tests: 100 s after the vector's iat. */
    private static final long NOW = 1_700_000_100L;
    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    /** The default maximum token lifetime, {@code PrismConfig.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS}. */
    private static final long DAY = 86_400;

    private final TokenService service = new TokenService(SECRET, () -> NOW);

    /**
     * Known vector, computed independently of this code with Python's standard library:
     * <pre>
     * import hmac, hashlib, base64, json
     * b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
     * enc = lambda o: b64(json.dumps(o, separators=(",", ":")).encode())
     * si = enc({"alg": "HS256", "typ": "JWT"}) + "." + enc({"room": "demo", "sub": "alice-1234", "name": "Alice",
     *     "canPublish": True, "canSubscribe": False, "iat": 1700000000, "exp": 1700003600})
     * print(si + "." + b64(hmac.new(b"prism-known-vector-secret-0123456789", si.encode(), hashlib.sha256).digest()))
     * </pre>
     */
    private static final String KNOWN_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJyb29tIjoiZGVtbyIsInN1YiI6ImFsaWNlLTEyMzQiLCJuYW1lIjoiQWxpY2UiLCJjYW5QdWJsaXNoIjp0cnVlLCJjYW5TdWJzY3JpYmUiOmZhbHNlLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0"
            + ".iwHr6BZlwg0EyxGZ0Gy5OYwmEPv3yDAgzs-GIbsUzZo";
    private static final AccessToken KNOWN_TOKEN =
            new AccessToken("demo", "alice-1234", "Alice", true, false, 1_700_000_000L, 1_700_003_600L);

    @Test
    void issuesTheKnownVectorByteForByte() {
        assertThat(service.issue(KNOWN_TOKEN)).isEqualTo(KNOWN_JWT);
    }

    @Test
    void verifiesTheKnownVector() throws TokenException {
        assertThat(service.verify(KNOWN_JWT)).isEqualTo(KNOWN_TOKEN);
    }

    static Stream<AccessToken> roundTrips() {
        return Stream.of(
                KNOWN_TOKEN,
                new AccessToken("demo", "bob", null, false, true, NOW, NOW + 60),
                new AccessToken("salle été", "zoë-🎥", "Zoë \"the\" Ü/\\ser", true, true, NOW, NOW + 1),
                AccessToken.grant("r", "viewer-7", "Viewer", NOW, 3600),
                AccessToken.grant("r", "h264-fan", "Fan", NOW, 3600).withVideoCodec(VideoCodec.H264),
                AccessToken.grant("r", "vp8-fan", "Fan", NOW, 3600).withVideoCodec(VideoCodec.VP8),
                AccessToken.grant("r", "big-room", "Host", NOW, 3600).withAudioTopN(3),
                AccessToken.grant("r", "no-top-n", "Host", NOW, 3600).withAudioTopN(0));
    }

    @Test
    void readsTheCodecClaim() throws TokenException {
        assertThat(service.verify(sign(HS256, claims(",\"codec\":\"h264\""))).videoCodec())
                .isEqualTo(VideoCodec.H264);
        assertThat(service.verify(sign(HS256, claims(",\"codec\":\"VP8\""))).videoCodec()).isEqualTo(VideoCodec.VP8);
        assertThat(service.verify(sign(HS256, claims(""))).videoCodec()).isNull();
    }

    @Test
    void readsTheAudioTopNClaim() throws TokenException {
        assertThat(service.verify(sign(HS256, claims(",\"audioTopN\":3"))).audioTopN()).isEqualTo(3);
        assertThat(service.verify(sign(HS256, claims(",\"audioTopN\":0"))).audioTopN()).isZero();
        assertThat(service.verify(sign(HS256, claims(",\"audioTopN\":64"))).audioTopN()).isEqualTo(64);
        assertThat(service.verify(sign(HS256, claims(""))).audioTopN()).isNull();
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void roundTrip(AccessToken token) throws TokenException {
        String jwt = service.issue(token);
        assertThat(jwt).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(service.verify(jwt)).isEqualTo(token);
    }

    @Test
    void nameDefaultsToIdentityAndGrantsToTrue() throws TokenException {
        AccessToken t = service.verify(sign(HS256, "{\"room\":\"demo\",\"sub\":\"carol\",\"exp\":" + (NOW + 10) + "}"));
        assertThat(t).isEqualTo(new AccessToken("demo", "carol", "carol", true, true, 0, NOW + 10));
        assertThat(new AccessToken("demo", "carol", null, true, true, 0, 1).name()).isEqualTo("carol");
    }

    /** A payload valid at NOW with {@code extra} JSON members appended. */
    private static String claims(String extra) {
        return "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 600) + extra + "}";
    }

    private static String claimsWithExp(long exp, String extra) {
        return "{\"room\":\"demo\",\"sub\":\"alice\",\"exp\":" + exp + extra + "}";
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("exp 29 s ago: within skew", claimsWithExp(NOW - 29, "")),
                Arguments.of("exp 1 s ahead", claimsWithExp(NOW + 1, "")),
                Arguments.of("nbf 30 s ahead: within skew", claims(",\"nbf\":" + (NOW + 30))),
                Arguments.of("nbf in the past", claims(",\"nbf\":" + (NOW - 1000))),
                Arguments.of("fractional exp (NumericDate)", claimsWithExp(NOW, ".75")),
                Arguments.of("lifetime exactly the maximum (exp = iat + 86400)",
                        "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + NOW + ",\"exp\":" + (NOW + DAY) + "}"),
                Arguments.of("no iat, exp = now + maximum + skew",
                        claimsWithExp(NOW + DAY + TokenService.CLOCK_SKEW_SECONDS, "")),
                Arguments.of("iat 20 s ahead (backend clock), exp = iat + maximum",
                        "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + (NOW + 20) + ",\"exp\":" + (NOW + 20 + DAY) + "}"),
                Arguments.of("whole-valued double exp", claimsWithExp(NOW, ".0")),
                Arguments.of("unknown claims ignored", claims(",\"iss\":\"backend\",\"aud\":[\"x\"],\"extra\":{}")),
                Arguments.of("explicit nulls = defaults",
                        claims(",\"name\":null,\"canPublish\":null,\"canSubscribe\":null,\"nbf\":null")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String description, String payload) throws TokenException {
        AccessToken t = service.verify(sign(HS256, payload));
        assertThat(t.room()).isEqualTo("demo");
        assertThat(t.identity()).isEqualTo("alice");
    }

    static Stream<Arguments> refused() {
        String valid = sign(HS256, claims(""));
        String[] parts = valid.split("\\.");
        String sig = parts[2];
        return Stream.of(
                row("null", () -> null, Kind.MISSING),
                row("empty string", () -> "", Kind.MISSING),
                row("one part", () -> "abc", Kind.MALFORMED),
                row("two parts", () -> parts[0] + "." + parts[1], Kind.MALFORMED),
                row("four parts", () -> valid + ".x", Kind.MALFORMED),
                row("five parts (JWE)", () -> valid + ".x.y", Kind.MALFORMED),
                row("empty payload", () -> parts[0] + ".." + sig, Kind.MALFORMED),
                row("non-base64 header", () -> "e!J." + parts[1] + "." + sig, Kind.MALFORMED),
                row("non-base64 payload", () -> parts[0] + ".eyJ*." + sig, Kind.MALFORMED),
                row("padded base64 (forbidden in JWS)", () -> parts[0] + "." + parts[1] + "=." + sig, Kind.MALFORMED),
                row("standard base64 alphabet ('+')", () -> parts[0] + "." + parts[1] + ".+" + sig.substring(1),
                        Kind.MALFORMED),
                row("non-canonical signature encoding (same bytes)", () -> parts[0] + "." + parts[1] + "."
                        + sig.substring(0, 42) + nonCanonical(sig.charAt(42)), Kind.MALFORMED),
                row("header not JSON", () -> b64("hello") + "." + parts[1] + "." + sig, Kind.MALFORMED),
                row("header a JSON array", () -> b64("[\"HS256\"]") + "." + parts[1] + "." + sig, Kind.MALFORMED),
                row("header JSON null", () -> b64("null") + "." + parts[1] + "." + sig, Kind.MALFORMED),
                row("payload not JSON (signed)", () -> sign(HS256, "not json"), Kind.MALFORMED),
                row("payload a JSON array (signed)", () -> sign(HS256, "[1,2]"), Kind.MALFORMED),
                row("payload trailing garbage (signed)", () -> sign(HS256, claims("") + "x"), Kind.MALFORMED),
                row("payload not UTF-8 JSON (signed)", () -> signRaw(HS256, new byte[] {(byte) 0xff, 0x7b}), Kind.MALFORMED),
                row("too long", () -> sign(HS256, claims(",\"pad\":\"" + "x".repeat(9000) + "\"")), Kind.MALFORMED),
                row("alg none, no signature", () -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".",
                        Kind.UNSUPPORTED_ALGORITHM),
                row("alg none, with our signature", () -> sign("{\"alg\":\"none\"}", claims("")),
                        Kind.UNSUPPORTED_ALGORITHM),
                row("alg RS256", () -> sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims("")),
                        Kind.UNSUPPORTED_ALGORITHM),
                row("alg HS512", () -> sign("{\"alg\":\"HS512\"}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("alg lower case", () -> sign("{\"alg\":\"hs256\"}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("alg missing", () -> sign("{\"typ\":\"JWT\"}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("alg not a string", () -> sign("{\"alg\":256}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("crit header", () -> sign("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", claims("")),
                        Kind.UNSUPPORTED_ALGORITHM),
                row("tampered payload", () -> parts[0] + "." + b64(claims("").replace("alice", "mallory")) + "." + sig,
                        Kind.BAD_SIGNATURE),
                row("tampered signature", () -> parts[0] + "." + parts[1] + "." + flipFirst(sig), Kind.BAD_SIGNATURE),
                row("empty signature", () -> parts[0] + "." + parts[1] + ".", Kind.MALFORMED),
                row("short signature", () -> parts[0] + "." + parts[1] + "." + b64(new byte[16]), Kind.BAD_SIGNATURE),
                row("signed with another secret", () -> sign(HS256, claims(""), OTHER_SECRET), Kind.BAD_SIGNATURE),
                row("expired beyond skew (exp = now - 30)", () -> sign(HS256, claimsWithExp(NOW - 30, "")), Kind.EXPIRED),
                row("expired long ago", () -> sign(HS256, claimsWithExp(1_000, "")), Kind.EXPIRED),
                row("exp hugely negative", () -> sign(HS256, claimsWithExp(Long.MIN_VALUE, "")), Kind.EXPIRED),
                row("nbf beyond skew (now + 31)", () -> sign(HS256, claims(",\"nbf\":" + (NOW + 31))),
                        Kind.NOT_YET_VALID),
                row("nbf at long max", () -> sign(HS256, claims(",\"nbf\":" + Long.MAX_VALUE)), Kind.NOT_YET_VALID),
                row("missing exp", () -> sign(HS256, "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + NOW + "}"),
                        Kind.NO_EXPIRY),
                row("exp a string", () -> sign(HS256, "{\"room\":\"demo\",\"sub\":\"alice\",\"exp\":\"soon\"}"),
                        Kind.MALFORMED),
                row("nbf a boolean", () -> sign(HS256, claims(",\"nbf\":true")), Kind.MALFORMED),
                row("missing room", () -> sign(HS256, "{\"sub\":\"alice\",\"exp\":" + (NOW + 60) + "}"), Kind.NO_ROOM),
                row("blank room", () -> sign(HS256, claims("").replace("\"demo\"", "\" \"")), Kind.NO_ROOM),
                row("room a number", () -> sign(HS256, claims("").replace("\"demo\"", "7")), Kind.NO_ROOM),
                row("missing sub", () -> sign(HS256, "{\"room\":\"demo\",\"exp\":" + (NOW + 60) + "}"), Kind.NO_IDENTITY),
                row("empty sub", () -> sign(HS256, claims("").replace("\"alice\"", "\"\"")), Kind.NO_IDENTITY),
                row("name a number", () -> sign(HS256, claims(",\"name\":5")), Kind.MALFORMED),
                row("canPublish a string", () -> sign(HS256, claims(",\"canPublish\":\"yes\"")), Kind.MALFORMED),
                row("canSubscribe a number", () -> sign(HS256, claims(",\"canSubscribe\":1")), Kind.MALFORMED),
                row("codec not one Prism forwards", () -> sign(HS256, claims(",\"codec\":\"vp9\"")), Kind.BAD_CODEC),
                row("codec a number", () -> sign(HS256, claims(",\"codec\":264")), Kind.BAD_CODEC),
                row("audioTopN negative", () -> sign(HS256, claims(",\"audioTopN\":-1")), Kind.BAD_AUDIO_TOP_N),
                row("audioTopN above 64", () -> sign(HS256, claims(",\"audioTopN\":65")), Kind.BAD_AUDIO_TOP_N),
                row("audioTopN a fraction", () -> sign(HS256, claims(",\"audioTopN\":2.5")), Kind.BAD_AUDIO_TOP_N),
                row("audioTopN a string", () -> sign(HS256, claims(",\"audioTopN\":\"3\"")), Kind.BAD_AUDIO_TOP_N),
                row("audioTopN huge", () -> sign(HS256, claims(",\"audioTopN\":1e300")), Kind.BAD_AUDIO_TOP_N),
                // maximum lifetime (default one day) and huge numbers
                row("exp = iat + maximum + 1", () -> sign(HS256, "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + NOW
                        + ",\"exp\":" + (NOW + DAY + 1) + "}"), Kind.LIFETIME_TOO_LONG),
                row("no iat, exp = now + maximum + skew + 1", () -> sign(HS256,
                        claimsWithExp(NOW + DAY + TokenService.CLOCK_SKEW_SECONDS + 1, "")), Kind.LIFETIME_TOO_LONG),
                row("exp 2^70 (beyond long range)", () -> sign(HS256, claimsWithExp(0, "").replace("\"exp\":0",
                        "\"exp\":1180591620717411303424")), Kind.LIFETIME_TOO_LONG),
                row("exp 99999999999999999999999", () -> sign(HS256,
                        "{\"room\":\"demo\",\"sub\":\"alice\",\"exp\":99999999999999999999999}"), Kind.LIFETIME_TOO_LONG),
                row("exp as a huge double", () -> sign(HS256, "{\"room\":\"demo\",\"sub\":\"alice\",\"exp\":1e30}"),
                        Kind.LIFETIME_TOO_LONG),
                row("exp at long max", () -> sign(HS256, claimsWithExp(Long.MAX_VALUE, "")), Kind.LIFETIME_TOO_LONG),
                row("iat in the future hides a long life (iat = now + 10 days, exp = iat + 60)", () -> sign(HS256,
                        "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + (NOW + 10 * DAY) + ",\"exp\":"
                                + (NOW + 10 * DAY + 60) + "}"), Kind.LIFETIME_TOO_LONG),
                row("iat at long min (exp - iat overflows)", () -> sign(HS256, claims("").replace("\"iat\":" + NOW,
                        "\"iat\":" + Long.MIN_VALUE)), Kind.LIFETIME_TOO_LONG),
                row("iat -1e300", () -> sign(HS256, claims("").replace("\"iat\":" + NOW, "\"iat\":-1e300")),
                        Kind.LIFETIME_TOO_LONG),
                row("exp 1e400 (not a finite number)", () -> sign(HS256, claimsWithExp(1, "e400")), Kind.MALFORMED),
                row("iat a string", () -> sign(HS256, claims(",\"x\":0").replace("\"iat\":" + NOW, "\"iat\":\"today\"")),
                        Kind.MALFORMED),
                row("exp an object", () -> sign(HS256, "{\"room\":\"demo\",\"sub\":\"alice\",\"exp\":{\"v\":1}}"),
                        Kind.MALFORMED),
                // parser differentials: one token must read the same everywhere
                row("duplicate sub claim (signed)", () -> sign(HS256, claims(",\"sub\":\"mallory\"")), Kind.MALFORMED),
                row("duplicate alg header", () -> sign("{\"alg\":\"none\",\"alg\":\"HS256\"}", claims("")), Kind.MALFORMED),
                row("b64 false header (RFC 7797 without crit)", () -> sign("{\"alg\":\"HS256\",\"b64\":false}",
                        claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("typ header a number", () -> sign("{\"alg\":\"HS256\",\"typ\":5}", claims("")), Kind.MALFORMED),
                row("alg ES256", () -> sign("{\"alg\":\"ES256\"}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("alg HS384", () -> sign("{\"alg\":\"HS384\"}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("alg with trailing space", () -> sign("{\"alg\":\"HS256 \"}", claims("")), Kind.UNSUPPORTED_ALGORITHM),
                row("JSON comment in payload (signed)", () -> sign(HS256, claims("") + "//"), Kind.MALFORMED),
                row("payload JSON null (signed)", () -> sign(HS256, "null"), Kind.MALFORMED),
                row("unsigned garbage payload: signature checked before parsing",
                        () -> parts[0] + "." + b64("not json") + "." + sig, Kind.BAD_SIGNATURE));
    }

    private static Arguments row(String description, Supplier<String> token, Kind kind) {
        return Arguments.of(description, token, kind);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refused")
    void refuses(String description, Supplier<String> token, Kind expected) {
        Throwable thrown = catchThrowable(() -> service.verify(token.get()));
        assertThat(thrown).isInstanceOf(TokenException.class);
        TokenException e = (TokenException) thrown;
        assertThat(e.kind()).isEqualTo(expected);
        assertThat(e.reason()).isEqualTo(expected.reason()).isEqualTo(e.getMessage());
    }

    @Test
    void reasonsAreTheProtocolTexts() {
        assertThat(Stream.of(Kind.values()).map(Kind::reason)).containsExactly(
                "token missing", "malformed token", "unsupported algorithm", "bad token signature", "token expired",
                "token not yet valid", "token has no expiry", "token has no room", "token has no identity",
                "token lifetime too long", "token codec must be vp8 or h264",
                "token sources must be a list of microphone, camera, screen, screen_audio",
                "token hidden must be a boolean",
                "token maxVideo.height and maxBitrate must be positive integers",
                "token roomMaxPublishers must be a positive integer", "token does not grant roomAdmin",
                "token audioTopN must be a whole number from 0 to 64");
    }

    @Test
    void theClockIsReadOnEveryVerify() throws TokenException {
        AtomicLong now = new AtomicLong(NOW);
        TokenService s = new TokenService(SECRET, now::get);
        String jwt = s.issue(AccessToken.grant("demo", "alice", null, NOW, 60));
        assertThat(s.verify(jwt).expiresAtEpochSeconds()).isEqualTo(NOW + 60);
        now.set(NOW + 60 + 29);
        assertThat(s.verify(jwt).identity()).isEqualTo("alice");
        now.set(NOW + 60 + 30);
        assertThatThrownBy(() -> s.verify(jwt)).isInstanceOf(TokenException.class).hasMessage("token expired");
        assertThat(s.nowEpochSeconds()).isEqualTo(NOW + 90);
    }

    @Test
    void theMaximumLifetimeIsConfigurable() throws TokenException {
        TokenService hour = new TokenService(SECRET, () -> NOW, 3600);
        assertThat(hour.maxLifetimeSeconds()).isEqualTo(3600);
        assertThat(hour.verify(hour.issue(AccessToken.grant("demo", "alice", null, NOW, 3600))).identity())
                .isEqualTo("alice");
        String twoHours = hour.issue(AccessToken.grant("demo", "alice", null, NOW, 7200));
        assertThatThrownBy(() -> hour.verify(twoHours)).isInstanceOf(TokenException.class)
                .hasMessage("token lifetime too long");
        assertThat(service.maxLifetimeSeconds()).isEqualTo(DAY);
        assertThat(service.verify(twoHours).identity()).isEqualTo("alice");
        assertThatThrownBy(() -> new TokenService(SECRET, () -> NOW, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIdsChooseAmongKeysForRotation() throws TokenException {
        TokenService old = TokenService.withKeyIds(java.util.Map.of("k1", SECRET), "k1", () -> NOW, DAY);
        TokenService rotating = TokenService.withKeyIds(
                java.util.Map.of("k1", SECRET, "k2", OTHER_SECRET), "k2", () -> NOW, DAY);
        AccessToken alice = AccessToken.grant("demo", "alice", null, NOW, 60);
        String fromOld = old.issue(alice);
        String fromNew = rotating.issue(alice);
        assertThat(fromOld.split("\\.")[0]).isEqualTo(b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}"));
        assertThat(rotating.verify(fromOld)).isEqualTo(alice); // kid k1: the old key still verifies
        assertThat(rotating.verify(fromNew)).isEqualTo(alice);
        // No kid: the current key (k2), so the known vector (signed with k1's secret) fails, one signed with k2 passes.
        assertThat(kind(() -> rotating.verify(KNOWN_JWT))).isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(rotating.verify(sign(HS256, claims(""), OTHER_SECRET)).identity()).isEqualTo("alice");
        // A kid naming no key, or a kid naming the other key than the one that signed: refused.
        assertThat(kind(() -> rotating.verify(sign("{\"alg\":\"HS256\",\"kid\":\"k3\"}", claims("")))))
                .isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(kind(() -> rotating.verify(sign("{\"alg\":\"HS256\",\"kid\":\"k2\"}", claims("")))))
                .isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(kind(() -> rotating.verify(sign("{\"alg\":\"HS256\",\"kid\":7}", claims("")))))
                .isEqualTo(Kind.MALFORMED);
        // A service with one unnamed key ignores kid, as before.
        assertThat(service.verify(sign("{\"alg\":\"HS256\",\"kid\":\"anything\"}", claims(""))).identity())
                .isEqualTo("alice");
        assertThatThrownBy(() -> TokenService.withKeyIds(java.util.Map.of("k1", SECRET), "k9", () -> NOW, DAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenService.withKeyIds(java.util.Map.of("k1", SECRET, "k2", "short"), "k1",
                () -> NOW, DAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API secret must be at least 32 characters");
    }

    private static Kind kind(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(TokenException.class);
        return ((TokenException) t).kind();
    }

    @Test
    void refusesShortSecrets() {
        assertThatThrownBy(() -> new TokenService("x".repeat(31), () -> NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API secret must be at least 32 characters");
        assertThatThrownBy(() -> new TokenService((byte[]) null, () -> NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenService(new byte[32], () -> NOW)).isNotNull();
    }

    @Test
    void theSecretArrayIsCopied() throws TokenException {
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        TokenService s = new TokenService(key, () -> NOW);
        key[0] ^= 1;
        assertThat(s.verify(KNOWN_JWT)).isEqualTo(KNOWN_TOKEN);
    }

    @Test
    void mutatedTokensOnlyEverFailWithTokenException() {
        // Deterministic mutation fuzz: whatever the input, verify() returns or throws TokenException, nothing else.
        Random random = new Random(42);
        String alphabet = "ABCabcxyz0189-_.=+/ {}\"\\é";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder(KNOWN_JWT);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int pos = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.setCharAt(pos, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> sb.deleteCharAt(pos);
                    default -> sb.insert(pos, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String mutated = sb.toString();
            Throwable t = catchThrowable(() -> service.verify(mutated));
            if (t != null) {
                assertThat(t).as(mutated).isInstanceOf(TokenException.class);
            }
        }
    }

    // --- helpers: build tokens independently of TokenService.issue ---

    private static String sign(String headerJson, String payloadJson) {
        return sign(headerJson, payloadJson, SECRET);
    }

    private static String sign(String headerJson, String payloadJson, String secret) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + b64(hmac(secret, input));
    }

    private static String signRaw(String headerJson, byte[] payload) {
        String input = b64(headerJson) + "." + b64(payload);
        return input + "." + b64(hmac(SECRET, input));
    }

    private static byte[] hmac(String secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String flipFirst(String s) {
        return (s.charAt(0) == 'A' ? 'B' : 'A') + s.substring(1);
    }

    /**
     * The last character of a 32-byte signature carries 4 data bits and 2 padding bits; setting a padding bit spells
     * the same bytes differently.
     */
    private static char nonCanonical(char last) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet.charAt(alphabet.indexOf(last) | 1);
    }
}
