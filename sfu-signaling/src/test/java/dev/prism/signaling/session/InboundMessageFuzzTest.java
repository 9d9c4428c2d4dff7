package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.prism.core.room.TrackSource;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzz target (docs/FUZZING.md): a text frame from a participant's WebSocket, through {@link InboundMessage#decode}
 * and the field checks the request handlers apply ({@code sdp}, {@code trackId}, {@code maxHeight},
 * {@code maxTemporal}, {@code version}), the {@code connectionInfo} parse and a publishOffer's track sources
 * ({@link PublishSources#parse}: only known sources, or {@code bad_source}). Expected: a message, or a
 * {@link SignalingError} coded {@code bad_json} / {@code bad_request}; an integer field that passes is exactly the
 * JSON number and inside its range; a connection report that passes holds only the allowed words. Seeds:
 * InboundMessageFuzzTestInputs/ (a message of each type of docs/PROTOCOL.md, as the JS SDK sends them).
 */
class InboundMessageFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        InboundMessage in;
        try {
            in = InboundMessage.decode(new String(input, StandardCharsets.UTF_8));
        } catch (SignalingError e) {
            assertThat(e.code()).isEqualTo("bad_json");
            return;
        }
        assertThat(in.body()).isNotNull();
        JsonObject body = in.body();
        for (String field : new String[] {"sdp", "trackId", "type"}) {
            try {
                assertThat(InboundMessage.requiredString(body, field)).isNotEmpty();
            } catch (SignalingError e) {
                assertThat(e.code()).isEqualTo("bad_request");
            }
        }
        checkInt(body, "maxHeight", 0, 100_000);
        checkInt(body, "maxTemporal", 0, 3);
        checkInt(body, "version", 1, Integer.MAX_VALUE);
        try {
            ConnectionInfoMessage info = ConnectionInfoMessage.parse(body);
            assertThat(info.role()).isNotNull();
            assertThat(dev.prism.core.inspect.ConnectionPath.CANDIDATE_LABELS)
                    .contains(info.path().candidateLabel());
        } catch (SignalingError e) {
            assertThat(e.code()).isEqualTo("bad_request");
        }
        try {
            Map<String, TrackSource> sources = PublishSources.parse(body);
            assertThat(sources).hasSizeLessThanOrEqualTo(PublishSources.MAX_ENTRIES);
            assertThat(sources.values()).doesNotContain(TrackSource.UNKNOWN);
        } catch (SignalingError e) {
            assertThat(e.code()).isEqualTo(PublishSources.CODE);
        }
        assertThat(body.encode()).isNotNull();
    }

    private static void checkInt(JsonObject body, String field, int min, int max) {
        try {
            int v = InboundMessage.optionalInt(body, field, -1, min, max);
            if (body.getValue(field) != null) {
                assertThat(v).isBetween(min, max);
                assertThat((double) v).isEqualTo(((Number) body.getValue(field)).doubleValue());
            }
        } catch (SignalingError e) {
            assertThat(e.code()).isEqualTo("bad_request");
        }
    }
}
