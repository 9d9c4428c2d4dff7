package dev.prism.signaling.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.prism.core.room.TrackSource;
import dev.prism.signaling.auth.TokenException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The grant claims: sources, data, hidden, maxVideo, maxBitrate, roomMaxPublishers (docs/PROTOCOL.md). */
class TokenGrantsTest {
    private static final String SECRET = "prism-known-vector-secret-0123456789";
    private static final long NOW = 1_700_000_100L;
    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private final TokenService service = new TokenService(SECRET, () -> NOW);

    static Stream<Arguments> accepted() {
        TokenGrants d = TokenGrants.DEFAULT;
        return Stream.of(
                Arguments.of("", d, true),
                Arguments.of(",\"sources\":[\"camera\",\"microphone\"]",
                        d.withSources(Set.of(TrackSource.CAMERA, TrackSource.MICROPHONE)), true),
                Arguments.of(",\"sources\":[\"screen\",\"screen_audio\",\"screen\"]",
                        d.withSources(Set.of(TrackSource.SCREEN, TrackSource.SCREEN_AUDIO)), true),
                Arguments.of(",\"sources\":[]", d.withSources(Set.of()), true),
                Arguments.of(",\"sources\":null", d, true),
                Arguments.of(",\"canData\":false", d, false),
                Arguments.of(",\"canData\":true", d, true),
                Arguments.of(",\"data\":false", d, true),
                Arguments.of(",\"hidden\":true", d.withHidden(true), true),
                Arguments.of(",\"maxVideo\":{\"height\":360}", d.withQualityCap(360, 0), true),
                Arguments.of(",\"maxBitrate\":500000", d.withQualityCap(0, 500_000), true),
                Arguments.of(",\"maxVideo\":{\"height\":720},\"maxBitrate\":1500000",
                        d.withQualityCap(720, 1_500_000), true),
                Arguments.of(",\"maxVideo\":{}", d, true),
                Arguments.of(",\"roomMaxPublishers\":3", d.withRoomMaxPublishers(3), true));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void reads(String extra, TokenGrants expected, boolean canData) throws TokenException {
        AccessToken t = service.verify(sign(claims(extra)));
        assertThat(t.grants()).isEqualTo(expected);
        assertThat(t.canData()).isEqualTo(canData); // the one data grant; a "data" claim is unknown and ignored
        assertThat(t.hidden()).isEqualTo(expected.hidden());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(",\"sources\":\"camera\"", Kind.BAD_SOURCES),
                Arguments.of(",\"sources\":[\"camera\",\"webcam\"]", Kind.BAD_SOURCES),
                Arguments.of(",\"sources\":[\"unknown\"]", Kind.BAD_SOURCES),
                Arguments.of(",\"sources\":[1]", Kind.BAD_SOURCES),
                Arguments.of(",\"sources\":[\"CAMERA\"]", Kind.BAD_SOURCES),
                Arguments.of(",\"sources\":{\"camera\":true}", Kind.BAD_SOURCES),
                Arguments.of(",\"canData\":\"false\"", Kind.MALFORMED),
                Arguments.of(",\"canData\":0", Kind.MALFORMED),
                Arguments.of(",\"hidden\":\"yes\"", Kind.BAD_GRANT),
                Arguments.of(",\"hidden\":[]", Kind.BAD_GRANT),
                Arguments.of(",\"maxVideo\":360", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxVideo\":{\"height\":\"360\"}", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxVideo\":{\"height\":0}", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxVideo\":{\"height\":-1}", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxVideo\":{\"height\":360.5}", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxVideo\":{\"height\":99999}", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxVideo\":{\"height\":360,\"width\":640}", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxBitrate\":\"1M\"", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxBitrate\":0", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxBitrate\":1e20", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"maxBitrate\":true", Kind.BAD_QUALITY_CAP),
                Arguments.of(",\"roomMaxPublishers\":0", Kind.BAD_ROOM_LIMIT),
                Arguments.of(",\"roomMaxPublishers\":\"2\"", Kind.BAD_ROOM_LIMIT),
                Arguments.of(",\"roomMaxPublishers\":2.5", Kind.BAD_ROOM_LIMIT));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refuses(String extra, Kind expected) {
        Throwable thrown = catchThrowable(() -> service.verify(sign(claims(extra))));
        assertThat(thrown).isInstanceOf(TokenException.class);
        assertThat(((TokenException) thrown).kind()).isEqualTo(expected);
        assertThat(((TokenException) thrown).reason()).isEqualTo(expected.reason());
    }

    @Test
    void issuedGrantsRoundTripAndDefaultsAreLeftOut() throws TokenException {
        TokenGrants g = TokenGrants.DEFAULT.withSources(Set.of(TrackSource.MICROPHONE, TrackSource.SCREEN))
                .withHidden(true).withQualityCap(360, 800_000).withRoomMaxPublishers(4);
        AccessToken t = AccessToken.grant("r", "rec-1", "Recorder", NOW, 600).withCanData(false).withGrants(g);
        String jwt = service.issue(t);
        assertThat(service.verify(jwt)).isEqualTo(t);
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).endsWith(",\"canData\":false,\"sources\":[\"microphone\",\"screen\"],\"hidden\":true,"
                + "\"maxVideo\":{\"height\":360},\"maxBitrate\":800000,\"roomMaxPublishers\":4}");
        String plain = new String(Base64.getUrlDecoder().decode(
                service.issue(AccessToken.grant("r", "a", null, NOW, 600)).split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(plain).doesNotContain("sources", "canData", "data", "hidden", "maxVideo", "maxBitrate", "roomMaxPublishers");
    }

    private static String claims(String extra) {
        return "{\"room\":\"demo\",\"sub\":\"alice\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 600) + extra + "}";
    }

    private static String sign(String payloadJson) {
        String input = b64(HS256) + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
