package dev.prism.signaling.sdp;

import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.RtpCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.prism.signaling.sdp.SdpFixtures.CHROME_ANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.FIREFOX_ANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.LOCAL;
import static dev.prism.signaling.sdp.SdpFixtures.OFFER_LINES;
import static dev.prism.signaling.sdp.SdpFixtures.linesStarting;
import static dev.prism.signaling.sdp.SdpFixtures.replaceLine;
import static dev.prism.signaling.sdp.SdpFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

/** Opus DTX and RED in publish answers, subscriber offers and subscriber answers. */
class OpusRedTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // offered Opus fmtp                                  | answered
            "minptime=10;useinbandfec=1                           | minptime=10;useinbandfec=1;usedtx=1",
            "maxplaybackrate=48000;stereo=1;useinbandfec=1        | maxplaybackrate=48000;stereo=1;useinbandfec=1;usedtx=1",
            "minptime=10;usedtx=0;useinbandfec=1                  | minptime=10;useinbandfec=1;usedtx=1",
            "usedtx=1                                             | usedtx=1",
            "null                                                 | usedtx=1",
    })
    void answerAsksForDtx(String offered, String answered) {
        assertThat(OpusRed.answerFmtp(offered)).isEqualTo(answered);
    }

    @ParameterizedTest(name = "[{0}] of {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "111/111     | 111 | true",   // Chromium: one redundant block
            "111/111/111 | 111 | true",
            "111         | 111 | true",
            "109/109     | 111 | false",  // RED of another payload type
            "111/0       | 111 | false",  // mixed blocks: could not be stripped to Opus
            "'/'         | 111 | false",
    })
    void redMustCarryOnlyOpus(String fmtp, int opusPt, boolean usable) {
        assertThat(OpusRed.onlyBlocksOf(fmtp, opusPt)).isEqualTo(usable);
    }

    @Test
    void chromePublisherKeepsRedAndIsAskedForDtx() throws Exception {
        String a = PublishNegotiator.answer(resource("chrome-publish-offer-plain.sdp"), LOCAL).answerSdp();
        assertThat(linesStarting(a, "m=audio")).containsExactly("m=audio 40000 UDP/TLS/RTP/SAVPF 63 111");
        assertThat(linesStarting(a, "a=fmtp:111")).containsExactly("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1");
        assertThat(linesStarting(a, "a=rtpmap:63")).containsExactly("a=rtpmap:63 red/48000/2");
        assertThat(linesStarting(a, "a=fmtp:63")).containsExactly("a=fmtp:63 111/111");
    }

    @Test
    void redOfAnotherCodecIsNotKept() throws Exception {
        String offer = replaceLine(resource("chrome-publish-offer-plain.sdp"), "a=fmtp:63 111/111", "a=fmtp:63 9/9");
        PublishNegotiation n = PublishNegotiator.answer(offer, LOCAL);
        assertThat(linesStarting(n.answerSdp(), "m=audio")).containsExactly("m=audio 40000 UDP/TLS/RTP/SAVPF 111");
        assertThat(n.accepted().get(0).codecs()).extracting(RtpCodec::name).containsExactly("opus");
    }

    @Test
    void firefoxPublisherIsAskedForDtx() throws Exception {
        String a = PublishNegotiator.answer(resource("firefox-publish-offer-plain.sdp"), LOCAL).answerSdp();
        assertThat(linesStarting(a, "a=fmtp:109"))
                .containsExactly("a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1;usedtx=1");
        assertThat(a).doesNotContain("red/");
    }

    @Test
    void subscriberOfferCarriesDtxAndRed() {
        String o = SubscriberOfferWriter.offer(OFFER_LINES, LOCAL, 1);
        assertThat(linesStarting(o, "m=audio")).containsExactly("m=audio 40000 UDP/TLS/RTP/SAVPF 111 63");
        assertThat(linesStarting(o, "a=fmtp:111")).containsExactly("a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1");
        assertThat(linesStarting(o, "a=rtpmap:63")).containsExactly("a=rtpmap:63 red/48000/2");
        assertThat(linesStarting(o, "a=fmtp:63")).containsExactly("a=fmtp:63 111/111");
    }

    @Test
    void subscriberAnswerKeepingRedSaysSo() throws Exception {
        // Chromium answers a RED offer with the offered lines (the captured answer predates the RED offer).
        String answer = replaceLine(resource(CHROME_ANSWER), "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111 63");
        answer = replaceLine(answer, "a=fmtp:111 minptime=10;useinbandfec=1", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111");
        MediaDescription audio = SubscriberAnswerReader.read(answer, OFFER_LINES).acceptedByMid().get("0");
        assertThat(audio.codecs()).extracting(RtpCodec::name).containsExactly("opus", "red");
        assertThat(audio.codecs().get(1)).isEqualTo(new RtpCodec(63, "red", 48000, 2, Map.of("111/111", ""),
                List.of()));
    }

    @Test
    void subscriberAnswerWithoutRedGetsOpusOnly() throws Exception {
        for (String file : List.of(CHROME_ANSWER, FIREFOX_ANSWER)) {
            MediaDescription audio = SubscriberAnswerReader.read(resource(file), OFFER_LINES).acceptedByMid().get("0");
            assertThat(audio.codecs()).extracting(RtpCodec::name).containsExactly("opus");
        }
    }
}
