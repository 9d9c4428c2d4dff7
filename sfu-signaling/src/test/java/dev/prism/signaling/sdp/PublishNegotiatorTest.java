package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceCandidate;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.prism.signaling.sdp.SdpFixtures.CHROME_OFFER;
import static dev.prism.signaling.sdp.SdpFixtures.LOCAL;
import static dev.prism.signaling.sdp.SdpFixtures.drop;
import static dev.prism.signaling.sdp.SdpFixtures.lines;
import static dev.prism.signaling.sdp.SdpFixtures.linesStarting;
import static dev.prism.signaling.sdp.SdpFixtures.replaceLine;
import static dev.prism.signaling.sdp.SdpFixtures.resource;
import static dev.prism.signaling.sdp.SdpFixtures.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PublishNegotiatorTest {

    private static final String TCC = HeaderExtension.TRANSPORT_CC;
    private static final List<RtcpFeedback> VP8_FEEDBACK = List.of(new RtcpFeedback("goog-remb", ""),
            new RtcpFeedback("transport-cc", ""), new RtcpFeedback("ccm", "fir"), new RtcpFeedback("nack", ""),
            new RtcpFeedback("nack", "pli"));

    // ---- real Chrome and Firefox offers ----

    /** Every captured publish offer: browser, variant (sdp/CAPTURED.md says how each was captured). */
    static Stream<Arguments> capturedPublishOffers() {
        List<Arguments> rows = new ArrayList<>();
        for (String browser : List.of("chrome", "firefox")) {
            for (String variant : List.of("plain", "simulcast", "datachannel")) {
                rows.add(arguments(browser, variant));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("capturedPublishOffers")
    void writesExactlyTheAnswersTheBrowserAccepted(String browser, String variant) throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource(browser + "-publish-offer-" + variant + ".sdp"), LOCAL);
        assertThat(n.answerSdp())
                .isEqualTo(resource("prism-answer-to-" + browser + "-publish-offer-" + variant + ".sdp"));
    }

    /**
     * What each captured offer negotiates. Firefox writes its video (and data channel) section as {@code m=video 0}
     * with {@code a=bundle-only}: bundled, so accepted on Prism's port like Chrome's {@code m=video 9}.
     */
    static Stream<Arguments> negotiatedCapturedOffers() {
        List<RtpEncoding> chromeRids = List.of(new RtpEncoding(0, 0, "q"), new RtpEncoding(0, 0, "h"),
                new RtpEncoding(0, 0, "f"));
        return Stream.of(
                // browser, variant, audio pt, VP8 pt, its RTX pt, video encodings, rid id, repaired-rid id, mid id
                arguments("chrome", "plain", 111, 96, 97, List.of(new RtpEncoding(2526502909L, 2616789731L, null)),
                        10, 11, 4),
                arguments("chrome", "simulcast", 111, 96, 97, chromeRids, 10, 11, 4),
                arguments("chrome", "datachannel", 111, 96, 97, null, 10, 11, 4),
                // Firefox offers the rid extensions only with simulcast, and lists SSRCs (with FID groups) for every
                // rid without saying which is which: the rids win, SSRCs are learned from packets.
                arguments("firefox", "plain", 109, 120, 124,
                        List.of(new RtpEncoding(3582934659L, 2005779657L, null)), 0, 0, 3),
                arguments("firefox", "simulcast", 109, 120, 124, chromeRids, 9, 10, 3),
                arguments("firefox", "datachannel", 109, 120, 124,
                        List.of(new RtpEncoding(4151911416L, 1213436176L, null)), 0, 0, 3),
                // The demo page's own offer (the SDK: simulcast q/h/f with bitrate caps) to a running Prism.
                arguments("firefox", "sdk-live", 109, 120, 124, chromeRids, 9, 10, 3));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("negotiatedCapturedOffers")
    void negotiatesEveryCapturedOffer(String browser, String variant, int opusPt, int vp8Pt, int rtxPt,
                                      List<RtpEncoding> videoEncodings, int ridId, int repairedRidId, int midId)
            throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource(browser + "-publish-offer-" + variant + ".sdp"), LOCAL);
        String a = n.answerSdp();
        assertThat(linesStarting(a, "a=group:")).containsExactly("a=group:BUNDLE 0 1");
        // Chromium offers RED of Opus (red/48000/2, fmtp 111/111) and keeps it; Firefox offers none.
        String audioPts = browser.equals("chrome") ? "63 " + opusPt : Integer.toString(opusPt);
        assertThat(linesStarting(a, "m=")).startsWith("m=audio 40000 UDP/TLS/RTP/SAVPF " + audioPts,
                "m=video 40000 UDP/TLS/RTP/SAVPF " + vp8Pt + " " + rtxPt);
        assertThat(section(a, "1")).contains("a=recvonly", "a=rtcp-mux").doesNotContain("a=bundle-only");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0", "1");
        MediaDescription audio = n.accepted().get(0);
        MediaDescription video = n.accepted().get(1);
        assertThat(audio.primaryCodec().name()).isEqualTo("opus");
        assertThat(audio.primaryCodec().payloadType()).isEqualTo(opusPt);
        assertThat(video.primaryCodec().name()).isEqualTo("VP8");
        assertThat(video.primaryCodec().payloadType()).isEqualTo(vp8Pt);
        assertThat(video.rtxFor(vp8Pt).payloadType()).isEqualTo(rtxPt);
        if (videoEncodings != null) {
            assertThat(video.encodings()).isEqualTo(videoEncodings);
        }
        assertThat(video.extensionId(HeaderExtension.SDES_MID)).isEqualTo(midId);
        assertThat(audio.extensionId(HeaderExtension.SDES_MID)).isEqualTo(midId);
        assertThat(video.extensionId(HeaderExtension.SDES_RID)).isEqualTo(ridId);
        assertThat(video.extensionId(HeaderExtension.SDES_REPAIRED_RID)).isEqualTo(repairedRidId);
        assertThat(video.extensionId(TCC)).isPositive();
        boolean simulcast = videoEncodings != null && videoEncodings.get(0).rid() != null;
        assertThat(section(a, "1").contains("a=simulcast:recv q;h;f")).isEqualTo(simulcast);
        if (variant.equals("datachannel")) {
            assertThat(section(a, "2")).containsExactly("m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
                    "c=IN IP4 0.0.0.0", "a=mid:2");
        }
    }

    @Test
    void firefoxSimulcastMapsLikeChromes() throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource("firefox-publish-offer-simulcast.sdp"), LOCAL);
        MediaDescription video = n.accepted().get(1);
        assertThat(video.encodings()).extracting(RtpEncoding::rid).containsExactly("q", "h", "f");
        // Firefox offers the rid extensions sendonly: answered recvonly, ids kept.
        assertThat(section(n.answerSdp(), "1")).contains(
                "a=extmap:9/recvonly " + HeaderExtension.SDES_RID,
                "a=extmap:10/recvonly " + HeaderExtension.SDES_REPAIRED_RID,
                "a=rtpmap:120 VP8/90000", "a=rtpmap:124 rtx/90000", "a=fmtp:124 apt=120",
                "a=rid:q recv", "a=rid:h recv", "a=rid:f recv", "a=simulcast:recv q;h;f");
        // Nothing Prism does not forward: VP9, AV1, RED, ULPFEC, toffset, playout-delay, dependency descriptor.
        assertThat(n.answerSdp()).doesNotContain("VP9", "AV1", "red/", "ulpfec", "toffset", "playout-delay",
                "dependency-descriptor", "extmap-allow-mixed", "bundle-only");
        assertThat(n.remoteSetup()).isEqualTo(DtlsRole.ACTPASS);
        // Firefox writes its fingerprint at session level, its ICE credentials in every section.
        assertThat(n.remoteFingerprint().algorithm()).isEqualTo("sha-256");
    }

    // ---- bundle-only (RFC 8843 section 6) ----

    private static final String FIREFOX_VIDEO_M = "m=video 0 UDP/TLS/RTP/SAVPF 120 124 121 125 99 100 123 122 119";

    @Test
    void bundleOnlySectionInTheGroupIsBundled() throws Exception {
        String offer = resource("firefox-publish-offer-plain.sdp");
        assertThat(section(offer, "1")).startsWith(FIREFOX_VIDEO_M, "c=IN IP4 0.0.0.0", "a=bundle-only");
        PublishNegotiation n = PublishNegotiator.answer(offer, LOCAL);
        assertThat(section(n.answerSdp(), "1")).startsWith("m=video 40000 UDP/TLS/RTP/SAVPF 120 124");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0", "1");
    }

    @Test
    void portZeroWithoutBundleOnlyStaysRejected() throws Exception {
        String offer = drop(resource("firefox-publish-offer-plain.sdp"), "a=bundle-only");
        PublishNegotiation n = PublishNegotiator.answer(offer, LOCAL);
        assertThat(section(n.answerSdp(), "1")).containsExactly("m=video 0 UDP/TLS/RTP/SAVPF 120",
                "c=IN IP4 0.0.0.0", "a=mid:1");
        assertThat(linesStarting(n.answerSdp(), "a=group:")).containsExactly("a=group:BUNDLE 0");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0");
    }

    @Test
    void bundleOnlySectionOutsideTheGroupIsRejected() throws Exception {
        String offer = resource("firefox-publish-offer-plain.sdp").replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
        PublishNegotiation n = PublishNegotiator.answer(offer, LOCAL);
        assertThat(section(n.answerSdp(), "1")).containsExactly("m=video 0 UDP/TLS/RTP/SAVPF 120",
                "c=IN IP4 0.0.0.0", "a=mid:1");
        assertThat(linesStarting(n.answerSdp(), "a=group:")).containsExactly("a=group:BUNDLE 0");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0");
    }

    @Test
    void bundleOnlyWithoutRtcpMuxIsRefusedLikeAnyBundledSection() {
        String offer = resource("firefox-publish-offer-plain.sdp");
        List<String> video = section(offer, "1");
        List<String> withoutMux = new ArrayList<>(video);
        withoutMux.remove("a=rtcp-mux");
        String broken = offer.replace(String.join("\r\n", video), String.join("\r\n", withoutMux));
        assertThatThrownBy(() -> PublishNegotiator.answer(broken, LOCAL))
                .isInstanceOf(NegotiationException.class).hasMessageContaining("mid 1 has no a=rtcp-mux");
    }

    @Test
    void answersChromeOffer() throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource(CHROME_OFFER), LOCAL);
        String a = n.answerSdp();

        assertThat(a).endsWith("\r\n");
        assertThat(lines(a).subList(0, 7)).containsExactly("v=0", "o=- " + LocalLines.sessionId(LOCAL)
                + " 2 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=ice-lite", "a=group:BUNDLE 0 1", "a=msid-semantic: WMS");
        assertThat(linesStarting(a, "m=")).containsExactly("m=audio 40000 UDP/TLS/RTP/SAVPF 63 111",
                "m=video 40000 UDP/TLS/RTP/SAVPF 96 97");
        for (String mid : List.of("0", "1")) {
            assertThat(section(a, mid)).contains("c=IN IP4 127.0.0.1", "a=ice-ufrag:prsm",
                    "a=ice-pwd:prismIceLitePassword0123", "a=fingerprint:sha-256 " + LOCAL.fingerprint().value(),
                    "a=setup:passive", "a=recvonly", "a=rtcp-mux", "a=rtcp-rsize",
                    "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host", "a=end-of-candidates");
        }
        assertThat(linesStarting(a, "a=rtpmap:")).containsExactly("a=rtpmap:63 red/48000/2",
                "a=rtpmap:111 opus/48000/2", "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000");
        assertThat(linesStarting(a, "a=fmtp:")).containsExactly("a=fmtp:63 111/111",
                "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1", "a=fmtp:97 apt=96");
        assertThat(linesStarting(a, "a=rtcp-fb:")).containsExactly("a=rtcp-fb:111 transport-cc",
                "a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 transport-cc", "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack",
                "a=rtcp-fb:96 nack pli");
        assertThat(section(a, "0")).filteredOn(l -> l.startsWith("a=extmap:")).containsExactly(
                "a=extmap:1 " + HeaderExtension.AUDIO_LEVEL, "a=extmap:2 " + HeaderExtension.ABS_SEND_TIME,
                "a=extmap:3 " + TCC, "a=extmap:4 " + HeaderExtension.SDES_MID);
        assertThat(section(a, "1")).filteredOn(l -> l.startsWith("a=extmap:")).containsExactly(
                "a=extmap:2 " + HeaderExtension.ABS_SEND_TIME, "a=extmap:3 " + TCC,
                "a=extmap:4 " + HeaderExtension.SDES_MID, "a=extmap:10 " + HeaderExtension.SDES_RID,
                "a=extmap:11 " + HeaderExtension.SDES_REPAIRED_RID);
        // Nothing Prism does not use: no SSRCs of its own, no rtcp-xr, no mixed extension headers, no trickle.
        assertThat(a).doesNotContain("a=ssrc", "rtcp-xr", "extmap-allow-mixed", "ice-options", "a=sendonly",
                "a=setup:actpass", "H264", "toffset");

        assertThat(n.remoteIce()).isEqualTo(new IceParameters("prxi", "OCkfnowx8wwCra0W+f1UnVgJ"));
        assertThat(n.remoteFingerprint()).isEqualTo(new DtlsFingerprint("sha-256", "AD:67:04:67:F7:8A:9C:4A:0D:90:C5:"
                + "11:F8:E9:E1:92:60:6F:3C:7C:BA:F0:A8:4F:EA:C1:9E:DD:19:D7:04:46"));
        assertThat(n.remoteSetup()).isEqualTo(DtlsRole.ACTPASS);

        String stream = "c9ce1fa6-ef1c-413d-916f-d57b95192c36";
        assertThat(n.accepted()).containsExactly(
                new MediaDescription("0", MediaKind.AUDIO,
                        List.of(new RtpCodec(111, "opus", 48000, 2, Map.of("minptime", "10", "useinbandfec", "1"),
                                        List.of(new RtcpFeedback("transport-cc", ""))),
                                new RtpCodec(63, "red", 48000, 2, Map.of("111/111", ""), List.of())),
                        List.of(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL),
                                new HeaderExtension(2, HeaderExtension.ABS_SEND_TIME), new HeaderExtension(3, TCC),
                                new HeaderExtension(4, HeaderExtension.SDES_MID)),
                        List.of(new RtpEncoding(3307381446L, 0, null)),
                        stream, "81fe3c45-d846-4dd5-bc67-d79688acca12"),
                new MediaDescription("1", MediaKind.VIDEO,
                        List.of(new RtpCodec(96, "VP8", 90000, 1, Map.of(), VP8_FEEDBACK),
                                new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of())),
                        List.of(new HeaderExtension(2, HeaderExtension.ABS_SEND_TIME), new HeaderExtension(3, TCC),
                                new HeaderExtension(4, HeaderExtension.SDES_MID),
                                new HeaderExtension(10, HeaderExtension.SDES_RID),
                                new HeaderExtension(11, HeaderExtension.SDES_REPAIRED_RID)),
                        List.of(new RtpEncoding(3988638452L, 749476529L, null)),
                        stream, "f824775d-5d93-4c9c-b15d-d426c8e13e1f"));
        assertThat(n.accepted().get(1).primaryCodec().payloadType()).isEqualTo(96);
        assertThat(n.accepted().get(1).rtxFor(96).payloadType()).isEqualTo(97);
    }

    @Test
    void answerParsesAgainAndKeepsWhatItSays() throws Exception {
        String a = PublishNegotiator.answer(resource(CHROME_OFFER), LOCAL).answerSdp();
        SessionDescription sd = SessionDescription.parse(a);
        assertThat(sd.write()).isEqualTo(a);
        assertThat(sd.hasAttribute("ice-lite")).isTrue();
        assertThat(sd.media()).extracting(MediaSection::mid).containsExactly("0", "1");
        MediaInfo video = MediaInfo.read(sd.media().get(1));
        assertThat(video.direction).isEqualTo("recvonly");
        assertThat(video.codecs).extracting(MediaInfo.Codec::payloadType).containsExactly(96, 97);
        assertThat(video.rtxFor(96).payloadType()).isEqualTo(97);
    }

    @Test
    void simulcastOfferGivesRidsAndIsAnsweredWithRecvRids() throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource(SdpFixtures.CHROME_OFFER_SIMULCAST), LOCAL);
        assertThat(n.accepted()).hasSize(2);
        assertThat(n.accepted().get(0).encodings()).containsExactly(new RtpEncoding(2135440317L, 0, null));
        assertThat(n.accepted().get(1).encodings()).containsExactly(new RtpEncoding(0, 0, "q"),
                new RtpEncoding(0, 0, "h"), new RtpEncoding(0, 0, "f"));
        assertThat(n.accepted().get(1).extensionId(HeaderExtension.SDES_RID)).isEqualTo(10);
        assertThat(n.accepted().get(1).extensionId(HeaderExtension.SDES_REPAIRED_RID)).isEqualTo(11);
        assertThat(section(n.answerSdp(), "1")).containsSubsequence("a=rid:q recv", "a=rid:h recv", "a=rid:f recv",
                "a=simulcast:recv q;h;f");
        assertThat(section(n.answerSdp(), "0")).noneMatch(l -> l.startsWith("a=rid") || l.startsWith("a=simulcast"));
        // Chrome's dependency-descriptor and layers-allocation extensions are not kept.
        assertThat(n.answerSdp()).doesNotContain("dependency-descriptor", "video-layers-allocation");
    }

    @Test
    void dataChannelIsRejectedAndCandidatesOfTheOfferIgnored() throws Exception {
        PublishNegotiation n = PublishNegotiator.answer(resource(SdpFixtures.CHROME_OFFER_DATACHANNEL), LOCAL);
        assertThat(linesStarting(n.answerSdp(), "a=group:")).containsExactly("a=group:BUNDLE 0 1");
        assertThat(section(n.answerSdp(), "2")).containsExactly("m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
                "c=IN IP4 0.0.0.0", "a=mid:2");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0", "1");
        assertThat(n.accepted().get(1).encodings()).containsExactly(new RtpEncoding(4224930351L, 779072465L, null));
        assertThat(linesStarting(n.answerSdp(), "a=candidate:")).allMatch(l -> l.contains("127.0.0.1 40000"));
    }

    // ---- hand-written offers for the rules ----

    private static final String FP = "sha-256 AA:BB:CC:DD";

    /** A valid offer: session header, bundle of {@code bundle}, then the given sections. */
    @SafeVarargs
    private static String offer(String bundle, List<String>... sections) {
        List<String> l = new ArrayList<>(List.of("v=0", "o=- 42 7 IN IP4 127.0.0.1", "s=-", "t=0 0"));
        if (bundle != null) {
            l.add("a=group:BUNDLE " + bundle);
        }
        for (List<String> s : sections) {
            l.addAll(s);
        }
        return SdpFixtures.sdp(l);
    }

    private static List<String> transport() {
        return List.of("c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd", "a=ice-pwd:0123456789abcdefghijkl",
                "a=fingerprint:" + FP, "a=setup:actpass", "a=rtcp-mux");
    }

    private static List<String> audio(String mid, String direction, String... extra) {
        List<String> l = new ArrayList<>(List.of("m=audio 9 UDP/TLS/RTP/SAVPF 111 0"));
        l.addAll(transport());
        l.addAll(List.of("a=mid:" + mid, "a=" + direction, "a=msid:s a" + mid, "a=rtpmap:111 opus/48000/2",
                "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:0 PCMU/8000"));
        l.addAll(List.of(extra));
        return l;
    }

    private static List<String> video(String mid, String direction, String... extra) {
        List<String> l = new ArrayList<>(List.of("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102"));
        l.addAll(transport());
        l.addAll(List.of("a=mid:" + mid, "a=" + direction, "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack",
                "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "a=rtpmap:102 H264/90000"));
        l.addAll(List.of(extra));
        return l;
    }

    private static List<String> h264Video(String mid) {
        List<String> l = new ArrayList<>(List.of("m=video 9 UDP/TLS/RTP/SAVPF 102 103"));
        l.addAll(transport());
        l.addAll(List.of("a=mid:" + mid, "a=sendonly", "a=rtpmap:102 H264/90000",
                "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f", "a=rtpmap:103 rtx/90000",
                "a=fmtp:103 apt=102", "a=ssrc:7 cname:x"));
        return l;
    }

    private static List<String> dataChannel(String mid) {
        List<String> l = new ArrayList<>(List.of("m=application 9 UDP/DTLS/SCTP webrtc-datachannel"));
        l.addAll(transport());
        l.addAll(List.of("a=mid:" + mid, "a=sctp-port:5000"));
        return l;
    }

    @Test
    void directionRules() throws Exception {
        String o = offer("0 1 2 3", audio("0", "sendrecv"), audio("1", "recvonly"), video("2", "inactive"),
                video("3", "sendonly", "a=ssrc:5 cname:x"));
        PublishNegotiation n = PublishNegotiator.answer(o, LOCAL);
        String a = n.answerSdp();
        assertThat(section(a, "0")).contains("a=recvonly").doesNotContain("a=inactive");
        // recvonly / inactive lines stay usable (inactive, not rejected) so the client may reuse the transceiver
        assertThat(section(a, "1")).contains("m=audio 40000 UDP/TLS/RTP/SAVPF 111", "a=inactive");
        assertThat(section(a, "2")).contains("m=video 40000 UDP/TLS/RTP/SAVPF 96 97", "a=inactive");
        assertThat(linesStarting(a, "a=group:")).containsExactly("a=group:BUNDLE 0 1 2 3");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0", "3");
        assertThat(n.accepted().get(0).encodings()).isEmpty(); // no a=ssrc: learned from the mid extension later
        assertThat(n.accepted().get(0).streamId()).isEqualTo("s");
        assertThat(n.accepted().get(0).trackId()).isEqualTo("a0");
        assertThat(n.accepted().get(1).encodings()).containsExactly(new RtpEncoding(5, 0, null));
        assertThat(n.accepted().get(1).streamId()).isNull();
    }

    @Test
    void rejectsUnusableLinesWithPortZeroAndMid() throws Exception {
        List<String> rejectedBefore = new ArrayList<>(audio("4", "sendonly"));
        rejectedBefore.set(0, "m=audio 0 UDP/TLS/RTP/SAVPF 111 0");
        List<String> plainRtp = new ArrayList<>(audio("5", "sendonly"));
        plainRtp.set(0, "m=audio 9 RTP/AVP 111 0");
        String o = offer("0 1 2 4 5", audio("0", "sendonly"), h264Video("1"), dataChannel("2"),
                video("3", "sendonly"), rejectedBefore, plainRtp);
        PublishNegotiation n = PublishNegotiator.answer(o, LOCAL);
        String a = n.answerSdp();
        assertThat(linesStarting(a, "m=")).containsExactly("m=audio 40000 UDP/TLS/RTP/SAVPF 111",
                "m=video 0 UDP/TLS/RTP/SAVPF 102", // codec Prism does not forward
                "m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
                "m=video 0 UDP/TLS/RTP/SAVPF 96", // not in the BUNDLE group
                "m=audio 0 UDP/TLS/RTP/SAVPF 111", // already rejected in the offer
                "m=audio 0 RTP/AVP 111"); // no DTLS-SRTP
        assertThat(section(a, "1")).containsExactly("m=video 0 UDP/TLS/RTP/SAVPF 102", "c=IN IP4 0.0.0.0", "a=mid:1");
        assertThat(linesStarting(a, "a=group:")).containsExactly("a=group:BUNDLE 0");
        assertThat(n.accepted()).extracting(MediaDescription::mid).containsExactly("0");
    }

    @Test
    void rejectedOfferLineWithoutMidIsAnsweredWithoutMid() throws Exception {
        String o = offer("0", audio("0", "sendonly"), List.of("m=video 0 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0"));
        String a = PublishNegotiator.answer(o, LOCAL).answerSdp();
        assertThat(lines(a).subList(lines(a).size() - 2, lines(a).size()))
                .containsExactly("m=video 0 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0");
    }

    @Test
    void keepsFirstVp8WithItsRtxAndFiltersFeedback() throws Exception {
        List<String> v = new ArrayList<>(List.of("m=video 9 UDP/TLS/RTP/SAVPF 98 96 97 99 100"));
        v.addAll(transport());
        v.addAll(List.of("a=mid:0", "a=sendonly",
                "a=rtpmap:98 VP9/90000", "a=rtpmap:96 VP8/90000", "a=rtpmap:97 VP8/90000",
                "a=rtpmap:99 rtx/90000", "a=fmtp:99 apt=97",
                "a=rtpmap:100 rtx/90000", "a=fmtp:100 apt=96;rtx-time=3000",
                "a=rtcp-fb:* nack", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 ccm tmmbr",
                "a=rtcp-fb:96 goog-lntf", "a=rtcp-fb:* transport-cc"));
        PublishNegotiation n = PublishNegotiator.answer(offer("0", v), LOCAL);
        assertThat(linesStarting(n.answerSdp(), "m=")).containsExactly("m=video 40000 UDP/TLS/RTP/SAVPF 96 100");
        assertThat(linesStarting(n.answerSdp(), "a=rtcp-fb:")).containsExactly("a=rtcp-fb:96 nack",
                "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 transport-cc", "a=rtcp-fb:100 nack",
                "a=rtcp-fb:100 transport-cc");
        assertThat(linesStarting(n.answerSdp(), "a=fmtp:")).containsExactly("a=fmtp:100 apt=96;rtx-time=3000");
        RtpCodec rtx = n.accepted().get(0).rtxFor(96);
        assertThat(rtx.payloadType()).isEqualTo(100);
        assertThat(rtx.fmtp()).isEqualTo(Map.of("apt", "96", "rtx-time", "3000"));
    }

    @Test
    void extensionDirectionsAndIds() throws Exception {
        String o = offer("0", audio("0", "sendonly",
                "a=extmap:1/sendonly " + HeaderExtension.AUDIO_LEVEL,
                "a=extmap:2/recvonly " + HeaderExtension.ABS_SEND_TIME,
                "a=extmap:300 " + HeaderExtension.SDES_MID,
                "a=extmap:5 urn:ietf:params:rtp-hdrext:toffset",
                "a=extmap:6 " + TCC,
                "a=extmap:7 " + TCC));
        PublishNegotiation n = PublishNegotiator.answer(o, LOCAL);
        assertThat(linesStarting(n.answerSdp(), "a=extmap")).containsExactly(
                "a=extmap:1/recvonly " + HeaderExtension.AUDIO_LEVEL, "a=extmap:6 " + TCC);
        assertThat(n.accepted().get(0).extensions()).containsExactly(
                new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL), new HeaderExtension(6, TCC));
    }

    @Test
    void transportAtSessionLevelAndSetupDefaults() throws Exception {
        List<String> a = new ArrayList<>(List.of("m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0",
                "a=mid:0", "a=sendonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2"));
        String o = SdpFixtures.sdp(List.of("v=0", "o=- 42 7 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
                "a=ice-ufrag:sess", "a=ice-pwd:sessionpasswordsession1", "a=fingerprint:sha-1 01:02",
                "a=fingerprint:sha-256 0A:0B", "a=fingerprint:sha-512 0C:0D"));
        o = o + SdpFixtures.sdp(a);
        PublishNegotiation n = PublishNegotiator.answer(o, LOCAL);
        assertThat(n.remoteIce()).isEqualTo(new IceParameters("sess", "sessionpasswordsession1"));
        assertThat(n.remoteFingerprint()).isEqualTo(new DtlsFingerprint("sha-256", "0A:0B"));
        assertThat(n.remoteSetup()).isEqualTo(DtlsRole.ACTIVE); // RFC 4145 default
        assertThat(n.answerSdp()).contains("a=setup:passive");

        String active = offer("0", audio("0", "sendonly")).replace("a=setup:actpass", "a=setup:active");
        assertThat(PublishNegotiator.answer(active, LOCAL).remoteSetup()).isEqualTo(DtlsRole.ACTIVE);
    }

    @Test
    void ssrcFallbacksAndLegacySimulcastGroup() throws Exception {
        String o = offer("0", video("0", "sendonly",
                "a=ssrc-group:SIM 10 20",
                "a=ssrc-group:FID 10 11",
                "a=ssrc-group:FID 20 21",
                "a=ssrc:10 msid:st tr", "a=ssrc:11 msid:st tr", "a=ssrc:20 msid:st tr", "a=ssrc:21 msid:st tr"));
        MediaDescription d = PublishNegotiator.answer(o, LOCAL).accepted().get(0);
        assertThat(d.encodings()).containsExactly(new RtpEncoding(10, 11, null), new RtpEncoding(20, 21, null));
        assertThat(d.streamId()).isEqualTo("st"); // from a=ssrc msid: no media-level a=msid here
        assertThat(d.trackId()).isEqualTo("tr");
    }

    @Test
    void answerOriginIsStablePerTransportAndFollowsTheOfferVersion() throws Exception {
        String o = offer("0", audio("0", "sendonly"));
        String a1 = PublishNegotiator.answer(o, LOCAL).answerSdp();
        String a2 = PublishNegotiator.answer(o.replace("o=- 42 7 ", "o=- 42 8 "), LOCAL).answerSdp();
        long id = LocalLines.sessionId(LOCAL);
        assertThat(lines(a1).get(1)).isEqualTo("o=- " + id + " 7 IN IP4 0.0.0.0");
        assertThat(lines(a2).get(1)).isEqualTo("o=- " + id + " 8 IN IP4 0.0.0.0");
        String odd = PublishNegotiator.answer(o.replace("o=- 42 7 ", "o=- 42 x7 "), LOCAL).answerSdp();
        assertThat(lines(odd).get(1)).isEqualTo("o=- " + id + " 1 IN IP4 0.0.0.0");

        LocalTransportInfo other = new LocalTransportInfo(new IceParameters("othr", LOCAL.ice().pwd()),
                LOCAL.fingerprint(), LOCAL.candidates());
        assertThat(LocalLines.sessionId(other)).isNotEqualTo(id).isPositive();
    }

    @Test
    void defaultCandidateGivesPortAndAddress() throws Exception {
        String o = offer("0", audio("0", "sendonly"));
        LocalTransportInfo v6 = new LocalTransportInfo(LOCAL.ice(), LOCAL.fingerprint(),
                List.of(new IceCandidate("2", 1, "udp", 2130706431L, "2001:db8::7", 3478, "host"),
                        new IceCandidate("1", 1, "udp", 2130706430L, "192.0.2.7", 3478, "host")));
        String a = PublishNegotiator.answer(o, v6).answerSdp();
        assertThat(section(a, "0")).startsWith("m=audio 3478 UDP/TLS/RTP/SAVPF 111", "c=IN IP6 2001:db8::7")
                .containsSubsequence("a=candidate:2 1 udp 2130706431 2001:db8::7 3478 typ host",
                        "a=candidate:1 1 udp 2130706430 192.0.2.7 3478 typ host", "a=end-of-candidates");
        LocalTransportInfo none = new LocalTransportInfo(LOCAL.ice(), LOCAL.fingerprint(), List.of());
        assertThat(section(PublishNegotiator.answer(o, none).answerSdp(), "0"))
                .startsWith("m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0").contains("a=end-of-candidates");
    }

    @Test
    void tcpPassiveCandidateFollowsTheUdpOneInAnswersAndOffers() throws Exception {
        // What an engine with ICE-TCP advertises: the UDP host candidate (the default), then RFC 6544's passive TCP
        // host candidate on the same port number with a lower priority (type preference 90 instead of 126).
        LocalTransportInfo withTcp = new LocalTransportInfo(LOCAL.ice(), LOCAL.fingerprint(),
                List.of(new IceCandidate("1", 1, "udp", 2130706431L, "192.0.2.7", 40000, "host"),
                        new IceCandidate("2", 1, "tcp", 1520435199L, "192.0.2.7", 40000, "host", "passive")));
        String a = PublishNegotiator.answer(offer("0", audio("0", "sendonly")), withTcp).answerSdp();
        assertThat(section(a, "0")).startsWith("m=audio 40000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 192.0.2.7")
                .containsSubsequence("a=candidate:1 1 udp 2130706431 192.0.2.7 40000 typ host",
                        "a=candidate:2 1 tcp 1520435199 192.0.2.7 40000 typ host tcptype passive",
                        "a=end-of-candidates");
        String o = SubscriberOfferWriter.offer(SdpFixtures.OFFER_LINES, withTcp, 1);
        for (MediaSection m : SessionDescription.parse(o).media()) {
            assertThat(m.attributes("candidate")).extracting(SdpLine::value).containsExactly(
                    "candidate:1 1 udp 2130706431 192.0.2.7 40000 typ host",
                    "candidate:2 1 tcp 1520435199 192.0.2.7 40000 typ host tcptype passive");
        }
        assertThatThrownBy(() -> new LocalTransportInfo(LOCAL.ice(), LOCAL.fingerprint(),
                List.of(new IceCandidate("2", 1, "tcp", 1L, "192.0.2.7", 9, "host", "pass ive"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tcptype");
    }

    @Test
    void dualStackWithIceTcpWritesFourCandidatesAndKeepsTheIpv4UdpOneAsTheDefault() throws Exception {
        // What an engine with --advertise6 and ICE-TCP advertises, in its order: UDP and TCP per family, IPv4 first.
        LocalTransportInfo dual = new LocalTransportInfo(LOCAL.ice(), LOCAL.fingerprint(),
                List.of(new IceCandidate("1", 1, "udp", 2130706431L, "192.0.2.7", 40000, "host"),
                        new IceCandidate("2", 1, "tcp", 1520435199L, "192.0.2.7", 40000, "host", "passive"),
                        new IceCandidate("3", 1, "udp", 2130706175L, "2001:db8::7", 40000, "host"),
                        new IceCandidate("4", 1, "tcp", 1520434943L, "2001:db8::7", 40000, "host", "passive")));
        List<String> expected = List.of("candidate:1 1 udp 2130706431 192.0.2.7 40000 typ host",
                "candidate:2 1 tcp 1520435199 192.0.2.7 40000 typ host tcptype passive",
                "candidate:3 1 udp 2130706175 2001:db8::7 40000 typ host",
                "candidate:4 1 tcp 1520434943 2001:db8::7 40000 typ host tcptype passive");
        String a = PublishNegotiator.answer(offer("0", audio("0", "sendonly")), dual).answerSdp();
        assertThat(section(a, "0")).startsWith("m=audio 40000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 192.0.2.7");
        assertThat(SessionDescription.parse(a).media().get(0).attributes("candidate")).extracting(SdpLine::value)
                .containsExactlyElementsOf(expected);
        String o = SubscriberOfferWriter.offer(SdpFixtures.OFFER_LINES, dual, 1);
        for (MediaSection m : SessionDescription.parse(o).media()) {
            assertThat(m.attributes("candidate")).extracting(SdpLine::value).containsExactlyElementsOf(expected);
        }
    }

    // ---- refusals ----

    static Stream<Arguments> refused() {
        String chrome = resource(CHROME_OFFER);
        String planB = offer("0", video("0", "sendonly",
                "a=ssrc-group:FID 10 11", "a=ssrc-group:FID 20 21",
                "a=ssrc:10 msid:st camera", "a=ssrc:11 msid:st camera",
                "a=ssrc:20 msid:st screen", "a=ssrc:21 msid:st screen"));
        String planBNoMsid = offer("0", video("0", "sendonly", "a=ssrc:10 cname:x", "a=ssrc:20 cname:x"));
        return Stream.of(
                // name, offer, expected (SdpParseException line, or NegotiationException code), why (in the message)
                arguments("empty string", "", "parse line 0", "empty SDP"),
                arguments("garbage", "this is not SDP", "parse line 1", "expected <type>=<value>"),
                arguments("missing v=", drop(chrome, "v="), "parse line 1", "must start with v=0"),
                arguments("m-line with bad port", chrome.replace("m=audio 9 ", "m=audio nine "),
                        "parse line 8", "bad port 'nine'"),
                arguments("malformed rtpmap of a kept codec",
                        replaceLine(chrome, "a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus"),
                        "parse line 26", "a=rtpmap:"),
                arguments("malformed fingerprint",
                        chrome.replace("a=fingerprint:sha-256 AD:67", "a=fingerprint:sha-256 ZZ:67"),
                        "parse line 14", "colon-separated hex"),
                arguments("setup holdconn", chrome.replace("a=setup:actpass", "a=setup:holdconn"),
                        "parse line 15", "holdconn"),
                arguments("no BUNDLE", drop(chrome, "a=group:BUNDLE"), "bad_sdp", "no a=group:BUNDLE"),
                arguments("no rtcp-mux", drop(chrome, "a=rtcp-mux"), "bad_sdp", "no a=rtcp-mux"),
                arguments("no fingerprint", drop(chrome, "a=fingerprint:"), "bad_sdp", "no a=fingerprint"),
                arguments("no ice-ufrag", drop(chrome, "a=ice-ufrag:"), "bad_sdp", "a=ice-ufrag"),
                arguments("no ice-pwd", drop(chrome, "a=ice-pwd:"), "bad_sdp", "a=ice-pwd"),
                arguments("setup passive", chrome.replace("a=setup:actpass", "a=setup:passive"),
                        "bad_sdp", "a=setup:passive"),
                arguments("no mid", drop(chrome, "a=mid:"), "bad_sdp", "no a=mid"),
                arguments("duplicate mid", chrome.replace("a=mid:1", "a=mid:0"), "bad_sdp", "used by two m-lines"),
                arguments("bundle names no m-line", chrome.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 7"),
                        "bad_sdp", "names no usable m-line"),
                arguments("plan-b: two tracks in one m-line", planB, "bad_sdp", "2 tracks (Plan B)"),
                arguments("plan-b: two ungrouped SSRCs", planBNoMsid, "bad_sdp", "2 ungrouped SSRCs (Plan B)"),
                arguments("FID group of three", offer("0", video("0", "sendonly", "a=ssrc-group:FID 1 2 3",
                        "a=ssrc:1 cname:x")), "bad_sdp", "must list 2 SSRCs"),
                arguments("SIM group not matching SSRCs", offer("0", video("0", "sendonly", "a=ssrc-group:SIM 1 9",
                        "a=ssrc:1 cname:x", "a=ssrc:2 cname:x")), "bad_sdp", "does not match its SSRCs"),
                arguments("only H264", offer("0", h264Video("0")), "nothing_to_forward", "Opus or VP8"),
                arguments("neither Opus nor VP8 in the Chrome offer",
                        drop(drop(chrome, "a=rtpmap:111 "), "a=rtpmap:96 "), "nothing_to_forward", "Opus or VP8"),
                arguments("only a data channel", offer("0", dataChannel("0")), "nothing_to_forward", "Opus or VP8"),
                arguments("no m-lines", SdpFixtures.sdp("v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0"),
                        "nothing_to_forward", "no m-lines"),
                arguments("every m-line rejected", chrome.replace("m=audio 9 ", "m=audio 0 ")
                        .replace("m=video 9 ", "m=video 0 "), "nothing_to_forward", "rejected (port 0)"),
                arguments("firefox: bundle-only video and a rejected audio, group names the audio only",
                        resource("firefox-publish-offer-plain.sdp").replace("m=audio 9 ", "m=audio 0 ")
                                .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"),
                        "bad_sdp", "names no usable m-line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(String name, String offer, String expected, String why) {
        try {
            PublishNegotiator.answer(offer, LOCAL);
            fail("accepted: " + name);
        } catch (SdpParseException e) {
            assertThat("parse line " + e.line()).as(e.getMessage()).isEqualTo(expected);
            assertThat(e.getMessage()).contains(why);
        } catch (NegotiationException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(expected);
            assertThat(e.getMessage()).contains(why);
        }
    }

    @Test
    void refusalMessagesSayWhy() {
        String chrome = resource(CHROME_OFFER);
        assertThatThrownBy(() -> PublishNegotiator.answer(chrome.replace("a=setup:actpass", "a=setup:passive"), LOCAL))
                .hasMessageContaining("a=setup:passive");
        assertThatThrownBy(() -> PublishNegotiator.answer(drop(chrome, "a=group:BUNDLE"), LOCAL))
                .hasMessageContaining("BUNDLE");
        assertThatThrownBy(() -> PublishNegotiator.answer(drop(chrome, "a=rtcp-mux"), LOCAL))
                .hasMessageContaining("rtcp-mux");
        assertThatThrownBy(() -> PublishNegotiator.answer(replaceLine(chrome, "a=rtpmap:111 opus/48000/2",
                "a=rtpmap:111 opus"), LOCAL))
                .hasMessage("line 26: a=rtpmap: encoding must be <name>/<clock rate>[/<channels>] in "
                        + "'a=rtpmap:111 opus'");
    }
}
