package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.prism.signaling.sdp.SdpFixtures.CHROME_ANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.CHROME_REANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.FIREFOX_ANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.FIREFOX_REANSWER;
import static dev.prism.signaling.sdp.SdpFixtures.OFFER_LINES;
import static dev.prism.signaling.sdp.SdpFixtures.REOFFER_LINES;
import static dev.prism.signaling.sdp.SdpFixtures.drop;
import static dev.prism.signaling.sdp.SdpFixtures.replaceLine;
import static dev.prism.signaling.sdp.SdpFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SubscriberAnswerReaderTest {

    private static final String TCC = HeaderExtension.TRANSPORT_CC;

    @Test
    void readsChromeAnswer() throws Exception {
        SubscriberAnswer a = SubscriberAnswerReader.read(resource(CHROME_ANSWER), OFFER_LINES);

        assertThat(a.remoteIce()).isEqualTo(new IceParameters("i+hB", "9RRf4/usPNdYU0gpMlQh+6j+"));
        assertThat(a.remoteFingerprint()).isEqualTo(new DtlsFingerprint("sha-256", "80:FD:07:F5:4C:21:D6:98:B3:BD:"
                + "D8:B7:93:FD:C4:ED:64:08:69:F8:76:63:D2:74:ED:DD:53:E0:1D:56:EE:03"));
        assertThat(a.remoteSetup()).isEqualTo(DtlsRole.ACTIVE);
        // mid 2 was offered inactive and answered inactive: not accepted
        assertThat(a.acceptedByMid().keySet()).containsExactly("0", "1");
        assertThat(a.acceptedByMid().get("0")).isEqualTo(new MediaDescription("0", MediaKind.AUDIO,
                List.of(new RtpCodec(111, "opus", 48000, 2, Map.of("minptime", "10", "useinbandfec", "1"),
                        List.of(new RtcpFeedback("transport-cc", "")))),
                List.of(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL), new HeaderExtension(3, TCC)),
                List.of(new RtpEncoding(11111111L, 0, null)), "alice-1", "alice-1:0"));
        assertThat(a.acceptedByMid().get("1")).isEqualTo(new MediaDescription("1", MediaKind.VIDEO,
                List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), SubscriberOfferWriter.VIDEO_FEEDBACK),
                        new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of())),
                List.of(new HeaderExtension(2, HeaderExtension.ABS_SEND_TIME), new HeaderExtension(3, TCC)),
                List.of(new RtpEncoding(22222222L, 33333333L, null)), "alice-1", "alice-1:1"));
    }

    /** Chrome's and Firefox's answers to the same two offers, read the same way. */
    static Stream<Arguments> capturedAnswers() {
        return Stream.of(
                // file, offered lines, accepted mids, Opus fmtp of the answer, VP8 fmtp of the answer
                arguments(CHROME_ANSWER, OFFER_LINES, List.of("0", "1"), Map.of("minptime", "10", "useinbandfec", "1"),
                        Map.of()),
                arguments(CHROME_REANSWER, REOFFER_LINES, List.of("0", "2", "3"),
                        Map.of("minptime", "10", "useinbandfec", "1"), Map.of()),
                arguments(FIREFOX_ANSWER, OFFER_LINES, List.of("0", "1"),
                        Map.of("maxplaybackrate", "48000", "stereo", "1", "useinbandfec", "1"),
                        Map.of("max-fs", "12288", "max-fr", "60")),
                arguments(FIREFOX_REANSWER, REOFFER_LINES, List.of("0", "2", "3"),
                        Map.of("maxplaybackrate", "48000", "stereo", "1", "useinbandfec", "1"),
                        Map.of("max-fs", "12288", "max-fr", "60")),
                // What Firefox sent a running Prism for Chromium's audio and video.
                arguments("firefox-answer-to-prism-live-subscriber-offer.sdp", LIVE_OFFER_LINES, List.of("0", "1"),
                        Map.of("maxplaybackrate", "48000", "stereo", "1", "useinbandfec", "1"),
                        Map.of("max-fs", "12288", "max-fr", "60")));
    }

    /** The lines of prism-live-subscriber-offer-as-firefox-holds-it.sdp. */
    private static final List<SubscriberTrackLine> LIVE_OFFER_LINES = List.of(
            SubscriberTrackLine.active("0", MediaKind.AUDIO, 2053079971L, 0, "chromium-d6737e", "chromium-d6737e:0"),
            SubscriberTrackLine.active("1", MediaKind.VIDEO, 1272464051L, 3153118282L, "chromium-d6737e",
                    "chromium-d6737e:1"));

    static {
        String held = resource("prism-live-subscriber-offer-as-firefox-holds-it.sdp");
        for (SubscriberTrackLine l : LIVE_OFFER_LINES) {
            if (!held.contains("a=ssrc:" + l.ssrc() + " msid:" + l.streamId() + " " + l.trackId())) {
                throw new AssertionError("LIVE_OFFER_LINES do not match the captured offer: " + l);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedAnswers")
    void readsEveryCapturedAnswer(String file, List<SubscriberTrackLine> offered, List<String> acceptedMids,
                                  Map<String, String> opusFmtp, Map<String, String> vp8Fmtp) throws Exception {
        SubscriberAnswer a = SubscriberAnswerReader.read(resource(file), offered);
        assertThat(a.remoteSetup()).isEqualTo(DtlsRole.ACTIVE);
        assertThat(a.remoteFingerprint().algorithm()).isEqualTo("sha-256");
        assertThat(a.acceptedByMid().keySet()).containsExactlyElementsOf(acceptedMids);
        for (SubscriberTrackLine line : offered) {
            MediaDescription d = a.acceptedByMid().get(line.mid());
            if (d == null) {
                continue;
            }
            boolean video = line.kind() == MediaKind.VIDEO;
            assertThat(d.encodings()).containsExactly(new RtpEncoding(line.ssrc(), line.rtxSsrc(), null));
            assertThat(d.primaryCodec().payloadType())
                    .isEqualTo(video ? SubscriberOfferWriter.VP8_PT : SubscriberOfferWriter.OPUS_PT);
            assertThat(d.primaryCodec().fmtp()).isEqualTo(video ? vp8Fmtp : opusFmtp);
            assertThat(d.extensionId(TCC)).isEqualTo(SubscriberOfferWriter.EXT_TRANSPORT_CC_ID);
            if (video) {
                assertThat(d.primaryCodec().feedback()).containsExactlyInAnyOrderElementsOf(
                        SubscriberOfferWriter.VIDEO_FEEDBACK);
                assertThat(d.rtxFor(SubscriberOfferWriter.VP8_PT).payloadType())
                        .isEqualTo(SubscriberOfferWriter.VP8_RTX_PT);
            }
        }
    }

    /** Firefox's answer with its video line written bundle-only (port 0), as an answerer may (RFC 8843 section 6). */
    private static String firefoxAnswerWithBundleOnlyVideo() {
        String answer = resource(FIREFOX_ANSWER);
        String videoM = "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=recvonly";
        assertThat(answer).contains(videoM);
        return answer.replace(videoM, "m=video 0 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=bundle-only"
                + "\r\na=recvonly");
    }

    @Test
    void bundleOnlyLineOfAnAnswerIsBundled() throws Exception {
        SubscriberAnswer a = SubscriberAnswerReader.read(firefoxAnswerWithBundleOnlyVideo(), OFFER_LINES);
        assertThat(a.acceptedByMid().keySet()).containsExactly("0", "1");
        assertThat(a.acceptedByMid().get("1").encodings())
                .containsExactly(new RtpEncoding(22222222L, 33333333L, null));
    }

    @Test
    void portZeroWithoutBundleOnlyInAnAnswerIsRejected() throws Exception {
        String answer = drop(firefoxAnswerWithBundleOnlyVideo(), "a=bundle-only");
        assertThat(SubscriberAnswerReader.read(answer, OFFER_LINES).acceptedByMid().keySet()).containsExactly("0");
    }

    @Test
    void readsChromeAnswerToReoffer() throws Exception {
        SubscriberAnswer a = SubscriberAnswerReader.read(resource(CHROME_REANSWER), REOFFER_LINES);
        assertThat(a.acceptedByMid().keySet()).containsExactly("0", "2", "3");
        MediaDescription reused = a.acceptedByMid().get("2");
        assertThat(reused.encodings()).containsExactly(new RtpEncoding(44444444L, 55555555L, null));
        assertThat(reused.streamId()).isEqualTo("bob-2");
        assertThat(a.acceptedByMid().get("3").encodings()).containsExactly(new RtpEncoding(66666666L, 0, null));
        assertThat(a.acceptedByMid().get("3").extensionId(HeaderExtension.AUDIO_LEVEL))
                .isEqualTo(SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID);
    }

    @Test
    void rejectedOrInactiveAnswersAreNotAccepted() throws Exception {
        String answer = resource(CHROME_ANSWER)
                .replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                        + "a=ice-ufrag:i+hB\r\na=ice-pwd:9RRf4/usPNdYU0gpMlQh+6j+\r\na=ice-options:trickle\r\n"
                        + "a=fingerprint:sha-256 80:FD:07:F5:4C:21:D6:98:B3:BD:D8:B7:93:FD:C4:ED:64:08:69:F8:76:63:"
                        + "D2:74:ED:DD:53:E0:1D:56:EE:03\r\na=setup:active\r\na=mid:1\r\n",
                        "m=video 0 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n");
        assertThat(answer).contains("m=video 0 ");
        assertThat(SubscriberAnswerReader.read(answer, OFFER_LINES).acceptedByMid().keySet()).containsExactly("0");

        String audioInactive = resource(CHROME_ANSWER).replaceFirst("a=recvonly", "a=inactive");
        assertThat(SubscriberAnswerReader.read(audioInactive, OFFER_LINES).acceptedByMid().keySet())
                .containsExactly("1");
    }

    @Test
    void extraExtensionsAndFeedbackInTheAnswerAreIgnored() throws Exception {
        String answer = replaceLine(resource(CHROME_ANSWER), "a=rtcp-fb:111 transport-cc",
                "a=rtcp-fb:111 transport-cc", "a=rtcp-fb:111 nack");
        answer = replaceLine(answer, "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=extmap:9 urn:ietf:params:rtp-hdrext:toffset");
        MediaDescription audio = SubscriberAnswerReader.read(answer, OFFER_LINES).acceptedByMid().get("0");
        assertThat(audio.primaryCodec().feedback()).containsExactly(new RtcpFeedback("transport-cc", ""));
        assertThat(audio.extensions()).extracting(HeaderExtension::id).containsExactly(1, 3);
    }

    /** JSEP: an answerer SHOULD choose active, and MAY choose passive; then Prism is the DTLS client. */
    @ParameterizedTest(name = "a=setup:{0}")
    @MethodSource("acceptedSetups")
    void acceptsEitherDtlsRoleTheAnswerChooses(String setupLine, DtlsRole expected) throws Exception {
        String chrome = resource(CHROME_ANSWER);
        String answer = setupLine == null ? drop(chrome, "a=setup:")
                : chrome.replace("a=setup:active", "a=setup:" + setupLine);
        SubscriberAnswer a = SubscriberAnswerReader.read(answer, OFFER_LINES);
        assertThat(a.remoteSetup()).isEqualTo(expected);
        assertThat(a.acceptedByMid().keySet()).containsExactly("0", "1");
    }

    static Stream<Arguments> acceptedSetups() {
        return Stream.of(
                arguments("active", DtlsRole.ACTIVE),
                arguments("passive", DtlsRole.PASSIVE),
                arguments(null, DtlsRole.ACTIVE)); // absent: active
    }

    static Stream<Arguments> refused() {
        String chrome = resource(CHROME_ANSWER);
        return Stream.of(
                // name, answer, offered lines, expected (SdpParseException line or code), why (in the message)
                arguments("empty", "", OFFER_LINES, "parse line 0", "empty SDP"),
                arguments("garbage", "HTTP/1.1 200 OK", OFFER_LINES, "parse line 1", "expected <type>=<value>"),
                arguments("fewer m-lines than offered", chrome, REOFFER_LINES, "bad_sdp", "answer has 3 m-lines"),
                arguments("mid changed", chrome.replace("a=mid:1", "a=mid:7").replace("BUNDLE 0 1 2", "BUNDLE 0 7 2"),
                        OFFER_LINES, "bad_sdp", "has mid 7, offered 1"),
                arguments("kind changed", chrome, List.of(OFFER_LINES.get(0), OFFER_LINES.get(1),
                        SubscriberTrackLine.inactive("2", MediaKind.AUDIO)), "bad_sdp", "is video, offered audio"),
                arguments("setup actpass", chrome.replace("a=setup:active", "a=setup:actpass"), OFFER_LINES,
                        "bad_sdp", "answer has a=setup:actpass; an answer must choose active or passive"),
                arguments("setup holdconn", chrome.replace("a=setup:active", "a=setup:holdconn"), OFFER_LINES,
                        "parse line 14", "unsupported a=setup value 'holdconn'"),
                arguments("no BUNDLE", drop(chrome, "a=group:"), OFFER_LINES, "bad_sdp", "BUNDLE"),
                arguments("line left out of BUNDLE", chrome.replace("BUNDLE 0 1 2", "BUNDLE 0 1"), OFFER_LINES,
                        "bad_sdp", "mid 2 is not in the answer's BUNDLE group"),
                arguments("no rtcp-mux", drop(chrome, "a=rtcp-mux"), OFFER_LINES, "bad_sdp", "no a=rtcp-mux"),
                arguments("no fingerprint", drop(chrome, "a=fingerprint"), OFFER_LINES, "bad_sdp", "no a=fingerprint"),
                arguments("no ICE credentials", drop(chrome, "a=ice-pwd"), OFFER_LINES, "bad_sdp", "a=ice-pwd"),
                arguments("payload type changed", chrome.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111",
                        "m=audio 9 UDP/TLS/RTP/SAVPF 109").replace(":111 ", ":109 "), OFFER_LINES,
                        "bad_sdp", "without Opus on payload type 111"),
                arguments("extension id changed", chrome.replace("a=extmap:1 ", "a=extmap:5 "), OFFER_LINES,
                        "bad_sdp", "with id 5, offered 1"),
                arguments("every line rejected", chrome.replace(" 9 UDP/TLS", " 0 UDP/TLS"), OFFER_LINES,
                        "bad_sdp", "rejects every m-line"),
                arguments("malformed extmap", chrome.replace("a=extmap:1 ", "a=extmap:x "), OFFER_LINES,
                        "parse line 16", "extmap id"),
                arguments("bundle-only line outside the BUNDLE group",
                        firefoxAnswerWithBundleOnlyVideo().replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 2"),
                        OFFER_LINES, "bad_sdp", "mid 1 is not in the answer's BUNDLE group"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(String name, String answer, List<SubscriberTrackLine> offered, String expected, String why) {
        try {
            SubscriberAnswerReader.read(answer, offered);
            fail("accepted: " + name);
        } catch (SdpParseException e) {
            assertThat("parse line " + e.line()).as(e.getMessage()).isEqualTo(expected);
            assertThat(e.getMessage()).contains(why);
        } catch (NegotiationException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(expected);
            assertThat(e.getMessage()).contains(why);
        }
    }
}
