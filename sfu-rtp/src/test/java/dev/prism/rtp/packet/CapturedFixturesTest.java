package dev.prism.rtp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The commented {@link ChromiumRtp} rows are the captured bytes, unedited: each equals its packet in the raw dump. */
class CapturedFixturesTest {
    private static final Map<String, byte[]> CAPTURED = CaptureFile.packets(CaptureFile.CHROMIUM_156);

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("pub RTP opus #2", ChromiumRtp.OPUS),
                Arguments.of("pub RTP VP8 keyframe start #1", ChromiumRtp.VP8_KEYFRAME_START),
                Arguments.of("pub RTP VP8 continuation marker #1", ChromiumRtp.VP8_CONTINUATION),
                Arguments.of("pub RTP rtx padding-only #1", ChromiumRtp.RTX_PADDING_PROBE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void fixtureEqualsTheCapture(String label, String fixture) {
        assertThat(CAPTURED).containsKey(label);
        assertThat(Hex.bytes(fixture)).isEqualTo(CAPTURED.get(label));
    }
}
