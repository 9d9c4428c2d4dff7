package dev.prism.signaling.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets (docs/FUZZING.md) for SDP from a browser, as the signaling session reads it. Expected outcomes:
 *
 * <ul>
 *   <li>{@link #parse}: a {@link SessionDescription} or {@link SdpParseException}; what parses writes back to text
 *       that parses to an equal description.</li>
 *   <li>{@link #publishOffer}: {@link PublishNegotiator#answer} returns a negotiation whose answer is parseable SDP,
 *       or throws {@link SdpParseException} / {@link NegotiationException} (bad_sdp, nothing_to_forward).</li>
 *   <li>{@link #subscriberAnswer}: {@link SubscriberAnswerReader#read} against Prism's captured offer returns an
 *       answer or throws one of the same two.</li>
 * </ul>
 * Seeds: SdpFuzzTestInputs/ (the Chromium captures under src/test/resources/sdp).
 */
class SdpFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(text(input));
        } catch (SdpParseException e) {
            assertThat(e.getMessage()).isNotNull();
            return;
        }
        String written = sd.write();
        try {
            assertThat(SessionDescription.parse(written)).isEqualTo(sd);
        } catch (SdpParseException e) {
            throw new AssertionError("Prism cannot read SDP it wrote:\n" + written, e);
        }
    }

    @FuzzTest
    void publishOffer(byte[] input) {
        PublishNegotiation n;
        try {
            n = PublishNegotiator.answer(text(input), SdpFixtures.LOCAL);
        } catch (SdpParseException e) {
            return;
        } catch (NegotiationException e) {
            assertThat(e.code()).isIn("bad_sdp", "nothing_to_forward");
            return;
        }
        try {
            SessionDescription.parse(n.answerSdp());
        } catch (SdpParseException e) {
            throw new AssertionError("Prism's answer is not SDP:\n" + n.answerSdp(), e);
        }
    }

    @FuzzTest
    void subscriberAnswer(byte[] input) {
        try {
            SubscriberAnswer answer = SubscriberAnswerReader.read(text(input), SdpFixtures.OFFER_LINES);
            assertThat(answer.acceptedByMid()).isNotNull();
        } catch (SdpParseException e) {
            assertThat(e.getMessage()).isNotNull();
        } catch (NegotiationException e) {
            assertThat(e.code()).isEqualTo("bad_sdp");
        }
    }

    private static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }
}
