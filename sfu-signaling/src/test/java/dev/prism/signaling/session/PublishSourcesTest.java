package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sources a publishOffer declares: good tables beside bad rows, each bad row one {@code bad_source}. */
class PublishSourcesTest {

    @Test
    void readsEverySourceTheProtocolNames() throws SignalingError {
        Map<String, TrackSource> s = PublishSources.parse(new JsonObject("""
                {"tracks":[{"mid":"0","source":"microphone"},{"mid":"1","source":"camera"},
                           {"mid":"2","source":"screen"},{"mid":"3","source":"screen_audio"},{"mid":"4"}]}"""));
        assertThat(s).containsExactlyInAnyOrderEntriesOf(Map.of("0", TrackSource.MICROPHONE, "1", TrackSource.CAMERA,
                "2", TrackSource.SCREEN, "3", TrackSource.SCREEN_AUDIO));
    }

    @Test
    void noTracksFieldDeclaresNothing() throws SignalingError {
        assertThat(PublishSources.parse(new JsonObject("{\"sdp\":\"v=0\"}"))).isEmpty();
    }

    static Stream<Arguments> badDeclarations() {
        return Stream.of(
                Arguments.of("unknown name", "{\"tracks\":[{\"mid\":\"0\",\"source\":\"window\"}]}", "unknown source"),
                Arguments.of("'unknown' is the server's, not a client's",
                        "{\"tracks\":[{\"mid\":\"0\",\"source\":\"unknown\"}]}", "unknown source"),
                Arguments.of("wrong case", "{\"tracks\":[{\"mid\":\"0\",\"source\":\"Screen\"}]}", "unknown source"),
                Arguments.of("not a string", "{\"tracks\":[{\"mid\":\"0\",\"source\":3}]}", "unknown source"),
                Arguments.of("tracks not an array", "{\"tracks\":{\"mid\":\"0\"}}", "must be an array"),
                Arguments.of("entry not an object", "{\"tracks\":[\"screen\"]}", "non-empty string 'mid'"),
                Arguments.of("mid missing", "{\"tracks\":[{\"source\":\"screen\"}]}", "non-empty string 'mid'"),
                Arguments.of("mid a number", "{\"tracks\":[{\"mid\":1,\"source\":\"screen\"}]}",
                        "non-empty string 'mid'"),
                Arguments.of("mid twice", "{\"tracks\":[{\"mid\":\"1\",\"source\":\"camera\"},"
                        + "{\"mid\":\"1\",\"source\":\"screen\"}]}", "declared twice"),
                Arguments.of("control characters escaped, long text cut",
                        "{\"tracks\":[{\"mid\":\"0\",\"source\":\"scr\\neen" + "x".repeat(200) + "\"}]}",
                        "'scr\\neen"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDeclarations")
    void rejectsWithOneCode(String name, String json, String messagePart) {
        assertThatThrownBy(() -> PublishSources.parse(new JsonObject(json)))
                .isInstanceOfSatisfying(SignalingError.class, e -> {
                    assertThat(e.code()).isEqualTo("bad_source");
                    assertThat(e.getMessage()).contains(messagePart).doesNotContain("\n").hasSizeLessThan(200);
                });
    }

    @Test
    void tooManyEntriesIsRefusedBeforeReadingThem() {
        StringBuilder b = new StringBuilder("{\"tracks\":[");
        for (int i = 0; i <= PublishSources.MAX_ENTRIES; i++) {
            b.append(i == 0 ? "" : ",").append("{\"mid\":\"").append(i).append("\",\"source\":\"camera\"}");
        }
        assertThatThrownBy(() -> PublishSources.parse(new JsonObject(b.append("]}").toString())))
                .isInstanceOfSatisfying(SignalingError.class, e -> assertThat(e.code()).isEqualTo("bad_source"));
    }

    @Test
    void aSourceMustMatchItsMlineKind() throws SignalingError {
        List<MediaDescription> accepted = List.of(mline("0", MediaKind.AUDIO), mline("1", MediaKind.VIDEO),
                mline("2", MediaKind.VIDEO), mline("3", MediaKind.AUDIO));
        PublishSources.checkKinds(Map.of("0", TrackSource.MICROPHONE, "1", TrackSource.CAMERA,
                "2", TrackSource.SCREEN, "3", TrackSource.SCREEN_AUDIO, "9", TrackSource.SCREEN), accepted);

        assertThatThrownBy(() -> PublishSources.checkKinds(Map.of("0", TrackSource.SCREEN), accepted))
                .isInstanceOfSatisfying(SignalingError.class, e -> {
                    assertThat(e.code()).isEqualTo("bad_source");
                    assertThat(e.getMessage()).isEqualTo("mid '0' is audio but is declared as source 'screen'");
                });
        assertThatThrownBy(() -> PublishSources.checkKinds(Map.of("2", TrackSource.SCREEN_AUDIO), accepted))
                .isInstanceOfSatisfying(SignalingError.class, e -> assertThat(e.code()).isEqualTo("bad_source"));
    }

    private static MediaDescription mline(String mid, MediaKind kind) {
        return new MediaDescription(mid, kind, List.of(), List.of(), List.of(), null, null);
    }
}
