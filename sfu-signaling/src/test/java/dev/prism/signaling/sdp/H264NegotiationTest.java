package dev.prism.signaling.sdp;

import static dev.prism.signaling.sdp.SdpFixtures.CHROME_ANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.LOCAL;
import static dev.prism.signaling.sdp.SdpFixtures.OFFER_LINES;
import static dev.prism.signaling.sdp.SdpFixtures.linesStarting;
import static dev.prism.signaling.sdp.SdpFixtures.resource;
import static dev.prism.signaling.sdp.SdpFixtures.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.signaling.sdp.H264ProfileLevelId.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * H.264 rooms: RFC 6184 profile-level-id matching, the publish answer, the subscriber offer and Chromium's answer to
 * it (captured, sdp/CAPTURED.md), and the refusals of a browser that cannot do the room's codec.
 */
class H264NegotiationTest {
    /** The lines of prism-h264-offer-for-chrome.sdp, as the capture tool offered them. */
    private static final List<SubscriberTrackLine> H264_OFFER_LINES = List.of(
            SubscriberTrackLine.active("0", MediaKind.AUDIO, 1347569921L, 0, "capture", "echo0"),
            SubscriberTrackLine.active("1", MediaKind.VIDEO, 1347569922L, 0, "capture", "echo1"));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // profile-level-id, profile (empty: none Prism knows)
            "42e01f, CONSTRAINED_BASELINE",   // what Chromium and Firefox offer
            "42c01f, CONSTRAINED_BASELINE",   // Chromium's own SPS: constraint_set0 and 1
            "42401f, CONSTRAINED_BASELINE",   // constraint_set1 alone is enough
            "42e00a, CONSTRAINED_BASELINE",   // another level, same profile
            "4de01f, CONSTRAINED_BASELINE",   // a Main stream obeying Baseline's constraints
            "4d801f, CONSTRAINED_BASELINE",
            "58c01f, CONSTRAINED_BASELINE",   // Extended with constraint_set0 and 1
            "42001f, BASELINE",
            "42801f, BASELINE",
            "58801f, BASELINE",
            "4d001f, MAIN",
            "4d401f, MAIN",
            "58001f, EXTENDED",
            "64001f, HIGH",
            "640c1f, CONSTRAINED_HIGH",
            "42e11f, ",                        // a reserved bit set
            "6e001f, ",                        // High 10: not a WebRTC profile here
            "42e01, ",                         // five digits
            "42e01g, ",                        // not hex
    })
    void readsProfileLevelIds(String profileLevelId, Profile expected) {
        assertThat(H264ProfileLevelId.profile(profileLevelId)).isEqualTo(expected);
    }

    @Test
    void absentProfileLevelIdIsBaselineLevel1() {
        assertThat(H264ProfileLevelId.profile(null)).isEqualTo(Profile.BASELINE);
    }

    @Test
    void answersChromiumsSimulcastOfferWithConstrainedBaselineMode1Only() throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource("chrome-publish-offer-simulcast.sdp"), LOCAL,
                VideoCodec.H264);
        List<String> video = section(n.answerSdp(), "1");
        // Chromium offers H264 on 102 (42001f mode 1), 104 (mode 0), 108 (42e01f mode 1), ...: only 108 and its RTX.
        assertThat(video.get(0)).endsWith("UDP/TLS/RTP/SAVPF 108 109");
        assertThat(video).contains("a=rtpmap:108 H264/90000",
                "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=rtpmap:109 rtx/90000", "a=fmtp:109 apt=108", "a=simulcast:recv q;h;f");
        assertThat(String.join("\n", video)).doesNotContain("VP8");
        MediaDescription d = n.accepted().get(1);
        RtpCodec primary = d.primaryCodec();
        assertThat(primary.name()).isEqualTo("H264");
        assertThat(primary.payloadType()).isEqualTo(108);
        assertThat(d.rtxFor(108).payloadType()).isEqualTo(109);
        assertThat(d.encodings()).extracting(RtpEncoding::rid).containsExactly("q", "h", "f");
        // Audio is the same as in any room.
        assertThat(linesStarting(n.answerSdp(), "a=rtpmap:111")).containsExactly("a=rtpmap:111 opus/48000/2");
    }

    @Test
    void aVp8RoomStillAnswersVp8() throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource("chrome-publish-offer-simulcast.sdp"), LOCAL,
                VideoCodec.VP8);
        assertThat(n.accepted().get(1).primaryCodec().name()).isEqualTo("VP8");
    }

    @Test
    void refusesAPublisherWithoutH264() {
        // Firefox 153 as captured here has no H.264 (no OpenH264 plugin): it cannot publish video in an H.264 room.
        assertThatThrownBy(() -> PublishNegotiator.answer(resource("firefox-publish-offer-simulcast.sdp"), LOCAL,
                VideoCodec.H264))
                .isInstanceOfSatisfying(NegotiationException.class, e -> {
                    assertThat(e.code()).isEqualTo(NegotiationException.CODEC_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("H264", "packetization-mode=1", "42e01f");
                });
    }

    @Test
    void refusesH264OnlyInPacketizationMode0OrAnotherProfile() {
        String chrome = resource("chrome-publish-offer-plain.sdp");
        // Keep Chromium's H.264 formats but make every mode 1 one Main profile: nothing forwardable is left.
        String noCb = chrome.replace("packetization-mode=1;profile-level-id=42e01f",
                "packetization-mode=1;profile-level-id=4d001f")
                .replace("packetization-mode=1;profile-level-id=42001f", "packetization-mode=0;profile-level-id=42001f");
        assertThatThrownBy(() -> PublishNegotiator.answer(noCb, LOCAL, VideoCodec.H264))
                .isInstanceOfSatisfying(NegotiationException.class,
                        e -> assertThat(e.code()).isEqualTo(NegotiationException.CODEC_UNSUPPORTED));
    }

    @Test
    void offersSubscribersTheRoomsCodecOnly() {
        String offer = SubscriberOfferWriter.offer(H264_OFFER_LINES, LOCAL, 1, VideoCodec.H264);
        List<String> video = section(offer, "1");
        // The same video lines as the offer Chromium accepted in the capture.
        List<String> captured = section(resource("prism-h264-offer-for-chrome.sdp"), "1");
        assertThat(video.stream().filter(l -> l.startsWith("a=rtpmap") || l.startsWith("a=fmtp")
                || l.startsWith("a=rtcp-fb")).toList())
                .isEqualTo(captured.stream().filter(l -> l.startsWith("a=rtpmap") || l.startsWith("a=fmtp")
                        || l.startsWith("a=rtcp-fb")).toList())
                .contains("a=rtpmap:96 H264/90000",
                        "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                        "a=fmtp:97 apt=96");
        assertThat(String.join("\n", video)).doesNotContain("VP8");
        assertThat(SubscriberOfferWriter.offer(H264_OFFER_LINES, LOCAL, 1, VideoCodec.VP8)).doesNotContain("H264");
    }

    @Test
    void readsChromiumsAnswerToAnH264Offer() throws Exception {
        SubscriberAnswer a = SubscriberAnswerReader.read(resource("chrome-answer-to-prism-h264-offer.sdp"),
                H264_OFFER_LINES, VideoCodec.H264);
        MediaDescription video = a.acceptedByMid().get("1");
        assertThat(video.primaryCodec().name()).isEqualTo("H264");
        assertThat(video.primaryCodec().payloadType()).isEqualTo(SubscriberOfferWriter.VP8_PT);
        assertThat(video.primaryCodec().fmtp()).containsEntry("packetization-mode", "1")
                .containsEntry("profile-level-id", "42e01f");
        assertThat(video.rtxFor(SubscriberOfferWriter.VP8_PT).payloadType())
                .isEqualTo(SubscriberOfferWriter.VP8_RTX_PT);
        assertThat(a.acceptedByMid().get("0").primaryCodec().name()).isEqualTo("opus");
    }

    @Test
    void anAnswerInTheWrongCodecIsRefused() {
        // A VP8 answer where H.264 was offered: the browser cannot receive this room's video.
        assertThatThrownBy(() -> SubscriberAnswerReader.read(resource(CHROME_ANSWER), OFFER_LINES, VideoCodec.H264))
                .isInstanceOfSatisfying(NegotiationException.class,
                        e -> assertThat(e.code()).isEqualTo(NegotiationException.CODEC_UNSUPPORTED));
        // An H.264 answer read as a VP8 room's: the offer it answers was not this room's.
        assertThatThrownBy(() -> SubscriberAnswerReader.read(resource("chrome-answer-to-prism-h264-offer.sdp"),
                H264_OFFER_LINES, VideoCodec.VP8))
                .isInstanceOfSatisfying(NegotiationException.class,
                        e -> assertThat(e.code()).isEqualTo(NegotiationException.BAD_SDP));
        // Chromium answering mode 1 but a Main profile-level-id: not what Prism forwards.
        String main = resource("chrome-answer-to-prism-h264-offer.sdp").replace("profile-level-id=42e01f",
                "profile-level-id=4d001f");
        assertThatThrownBy(() -> SubscriberAnswerReader.read(main, H264_OFFER_LINES, VideoCodec.H264))
                .isInstanceOfSatisfying(NegotiationException.class,
                        e -> assertThat(e.code()).isEqualTo(NegotiationException.CODEC_UNSUPPORTED));
    }
}
