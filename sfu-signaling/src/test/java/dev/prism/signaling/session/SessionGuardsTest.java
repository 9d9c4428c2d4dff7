package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pure guards of a session: message labels, SDP limits, the repair throttle. */
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
    void oneConnectionRepairPerInterval() {
        FakeClock clock = new FakeClock();
        RepairThrottle t = new RepairThrottle(clock);
        assertThat(t.admit()).isTrue();
        clock.advance(Duration.ofMillis(4)); // the second track's report
        assertThat(t.admit()).isFalse();
        clock.advance(Duration.ofSeconds(6)); // the client asks again
        assertThat(t.admit()).isFalse();
        clock.advance(Duration.ofSeconds(4));
        assertThat(t.admit()).isTrue();
        t.reset();
        assertThat(t.admit()).isTrue();
    }
}
