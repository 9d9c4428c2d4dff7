package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pure guards of a session: message labels, SDP limits (the repair throttle is the conference's). */
class SessionGuardsTest {
    @Test
    void messageLabelsAreBounded() {
        assertThat(MessageTypes.label("repairTrack")).isEqualTo("repairTrack");
        assertThat(MessageTypes.label("iceRestart")).isEqualTo("iceRestart");
        assertThat(MessageTypes.label("x".repeat(5000))).isEqualTo("unknown");
        assertThat(MessageTypes.label(null)).isEqualTo("unknown");
    }

    @Test
    void sdpLimitsCountLinesNotSubstrings() throws Exception {
        String sections = "v=0\r\n" + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=note:m=video\r\n".repeat(16);
        SdpLimits.check(sections, "offer"); // 16 m-lines; "m=" inside a line does not count
        assertThatThrownBy(() -> SdpLimits.check(sections + "m=audio 9 x 0\r\n", "offer"))
                .hasMessageContaining("17 m-lines").extracting(e -> ((SignalingError) e).code())
                .isEqualTo("too_many_media_sections");
        assertThatThrownBy(() -> SdpLimits.check("a=candidate:1 1 udp 1 h 1 typ host\n".repeat(33), "answer"))
                .extracting(e -> ((SignalingError) e).code()).isEqualTo("too_many_candidates");
        assertThatThrownBy(() -> SdpLimits.check("v".repeat(SessionLimits.MAX_SDP_CHARS + 1), "offer"))
                .extracting(e -> ((SignalingError) e).code()).isEqualTo("sdp_too_large");
    }

    @Test
    void anAnswerToALargeRoomsOfferMayHaveAsManyLinesAsOffered() throws SignalingError {
        String line = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=candidate:1 1 udp 1 h 1 typ host\r\n";
        String fifty = "v=0\r\n" + line.repeat(50) + "a=x:" + "y".repeat(SessionLimits.MAX_SDP_CHARS) + "\r\n";
        assertThatThrownBy(() -> SdpLimits.checkAnswer(fifty, 16)).extracting(e -> ((SignalingError) e).code())
                .isEqualTo("sdp_too_large");
        SdpLimits.checkAnswer(fifty, 50); // 34 lines beyond 16: 34 x 2 KiB more, 34 more lines and candidates
        assertThatThrownBy(() -> SdpLimits.checkAnswer(fifty.replace("y", ""), 49))
                .hasMessageContaining("50 m-lines; the limit is 49");
        assertThatThrownBy(() -> SdpLimits.checkAnswer(line.repeat(17), 0)).as("no offer outstanding: base limits")
                .hasMessageContaining("17 m-lines; the limit is 16");
    }
}
