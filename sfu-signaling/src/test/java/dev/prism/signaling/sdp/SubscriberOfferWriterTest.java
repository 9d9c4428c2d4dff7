package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.prism.signaling.sdp.SdpFixtures.LOCAL;
import static dev.prism.signaling.sdp.SdpFixtures.OFFER_LINES;
import static dev.prism.signaling.sdp.SdpFixtures.REOFFER_LINES;
import static dev.prism.signaling.sdp.SdpFixtures.lines;
import static dev.prism.signaling.sdp.SdpFixtures.linesStarting;
import static dev.prism.signaling.sdp.SdpFixtures.resource;
import static dev.prism.signaling.sdp.SdpFixtures.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SubscriberOfferWriterTest {

    @Test
    void writesExactlyTheOffersChromeAccepted() {
        // Chromium 156 took both with setRemoteDescription and answered them (sdp/CAPTURED.md).
        assertThat(SubscriberOfferWriter.offer(OFFER_LINES, LOCAL, 1)).isEqualTo(resource(SdpFixtures.PRISM_OFFER));
        assertThat(SubscriberOfferWriter.offer(REOFFER_LINES, LOCAL, 2)).isEqualTo(resource(SdpFixtures.PRISM_REOFFER));
    }

    @Test
    void offerShape() throws Exception {
        String o = SubscriberOfferWriter.offer(OFFER_LINES, LOCAL, 1);
        SessionDescription sd = SessionDescription.parse(o);
        assertThat(sd.write()).isEqualTo(o);
        assertThat(sd.origin().sessionVersion()).isEqualTo("1");
        assertThat(sd.origin().sessionId()).isEqualTo(Long.toString(LocalLines.sessionId(LOCAL)));
        assertThat(sd.hasAttribute("ice-lite")).isTrue();
        // inactive mid 2 stays bundled
        assertThat(sd.attribute("group")).isEqualTo("BUNDLE 0 1 2");
        assertThat(sd.attribute("msid-semantic")).isEqualTo("WMS alice-1");
        for (MediaSection m : sd.media()) {
            assertThat(m.port()).isEqualTo(40000);
            assertThat(m.protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
            assertThat(m.attribute("setup")).isEqualTo("actpass");
            assertThat(m.attribute("ice-ufrag")).isEqualTo("prsm");
            assertThat(m.hasAttribute("rtcp-mux")).isTrue();
            assertThat(m.hasAttribute("rtcp-rsize")).isTrue();
            assertThat(m.hasAttribute("end-of-candidates")).isTrue();
            assertThat(m.attributes("candidate")).hasSize(1);
        }

        List<String> audio = section(o, "0");
        assertThat(audio).contains("m=audio 40000 UDP/TLS/RTP/SAVPF 111 63", "a=sendonly", "a=msid:alice-1 alice-1:0",
                "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc",
                "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1", "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111",
                "a=ssrc:11111111 cname:alice-1", "a=ssrc:11111111 msid:alice-1 alice-1:0",
                "a=extmap:" + SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID + " " + HeaderExtension.AUDIO_LEVEL,
                "a=extmap:" + SubscriberOfferWriter.EXT_TRANSPORT_CC_ID + " " + HeaderExtension.TRANSPORT_CC);
        assertThat(audio).noneMatch(l -> l.startsWith("a=ssrc-group"));

        List<String> video = section(o, "1");
        assertThat(video).contains("m=video 40000 UDP/TLS/RTP/SAVPF 96 97", "a=sendonly", "a=msid:alice-1 alice-1:1",
                "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                "a=ssrc-group:FID 22222222 33333333", "a=ssrc:33333333 cname:alice-1",
                "a=extmap:" + SubscriberOfferWriter.EXT_ABS_SEND_TIME_ID + " " + HeaderExtension.ABS_SEND_TIME);
        assertThat(video).filteredOn(l -> l.startsWith("a=rtcp-fb:")).containsExactly("a=rtcp-fb:96 goog-remb",
                "a=rtcp-fb:96 transport-cc", "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli");

        List<String> inactive = section(o, "2");
        assertThat(inactive).contains("m=video 40000 UDP/TLS/RTP/SAVPF 96 97", "a=inactive", "a=rtpmap:96 VP8/90000");
        assertThat(inactive).noneMatch(l -> l.startsWith("a=ssrc") || l.startsWith("a=msid") || l.equals("a=sendonly"));
    }

    @Test
    void extensionIdsAreDistinctAcrossTheBundle() {
        // RFC 8843: one id means one extension in the whole bundle.
        String o = SubscriberOfferWriter.offer(REOFFER_LINES, LOCAL, 2);
        assertThat(linesStarting(o, "a=extmap:")).allSatisfy(l -> {
            String id = l.substring("a=extmap:".length(), l.indexOf(' '));
            assertThat(linesStarting(o, "a=extmap:" + id + " ")).containsOnly(l);
        });
    }

    @Test
    void rtxOnlyWhenAVideoLineHasAnRtxSsrc() {
        String o = SubscriberOfferWriter.offer(List.of(
                SubscriberTrackLine.active("a", MediaKind.VIDEO, 5, 0, "s", "t1"),
                SubscriberTrackLine.active("b", MediaKind.AUDIO, 6, 7, "s", "t2")), LOCAL, 0);
        assertThat(o).doesNotContain("ssrc-group").doesNotContain(":7 ");
        // the codec set stays fixed: RTX is still offered on video
        assertThat(section(o, "a")).contains("a=rtpmap:97 rtx/90000", "a=ssrc:5 cname:s", "a=ssrc:5 msid:s t1");
        assertThat(linesStarting(o, "a=ssrc:")).hasSize(4);
    }

    @Test
    void everyLineInactiveIsStillAValidOffer() throws Exception {
        String o = SubscriberOfferWriter.offer(List.of(SubscriberTrackLine.inactive("0", MediaKind.AUDIO)), LOCAL, 9);
        SessionDescription sd = SessionDescription.parse(o);
        assertThat(sd.attribute("group")).isEqualTo("BUNDLE 0");
        assertThat(sd.attribute("msid-semantic")).isEqualTo("WMS");
        assertThat(sd.media().get(0).hasAttribute("inactive")).isTrue();
    }

    @Test
    void deactivatedKeepsMidAndKind() {
        SubscriberTrackLine l = OFFER_LINES.get(1).deactivated();
        assertThat(l).isEqualTo(SubscriberTrackLine.inactive("1", MediaKind.VIDEO));
    }

    static Stream<Arguments> callerBugs() {
        SubscriberTrackLine a = SubscriberTrackLine.active("0", MediaKind.AUDIO, 1, 0, "s", "t");
        return Stream.of(
                arguments("no lines (do not offer before the first track)", List.of(), 1L),
                arguments("duplicate mid", List.of(a, SubscriberTrackLine.inactive("0", MediaKind.VIDEO)), 1L),
                arguments("negative version", List.of(a), -1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callerBugs")
    void refusesCallerBugs(String name, List<SubscriberTrackLine> lines, long version) {
        assertThatThrownBy(() -> SubscriberOfferWriter.offer(lines, LOCAL, version))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trackLineValidation() {
        assertThatThrownBy(() -> SubscriberTrackLine.active("0", MediaKind.AUDIO, 0, 0, "s", "t"))
                .hasMessageContaining("ssrc");
        assertThatThrownBy(() -> SubscriberTrackLine.active("0", MediaKind.AUDIO, 1L << 32, 0, "s", "t"))
                .hasMessageContaining("ssrc");
        assertThatThrownBy(() -> SubscriberTrackLine.active("0", MediaKind.VIDEO, 5, 5, "s", "t"))
                .hasMessageContaining("rtx");
        assertThatThrownBy(() -> SubscriberTrackLine.active("0", MediaKind.AUDIO, 1, 0, "my stream", "t"))
                .hasMessageContaining("streamId");
        assertThatThrownBy(() -> SubscriberTrackLine.active("0", MediaKind.AUDIO, 1, 0, "s", null))
                .hasMessageContaining("trackId");
        assertThatThrownBy(() -> SubscriberTrackLine.inactive("", MediaKind.AUDIO)).hasMessageContaining("mid");
        assertThatThrownBy(() -> SubscriberTrackLine.inactive("0", null)).isInstanceOf(NullPointerException.class);
        // inactive slots ignore SSRCs and ids
        assertThat(new SubscriberTrackLine("0", MediaKind.VIDEO, false, 0, 0, null, null).active()).isFalse();
    }

    @Test
    void offerIsAcceptedByPrismOwnReaderOfSetup() throws Exception {
        SessionDescription sd = SessionDescription.parse(SubscriberOfferWriter.offer(OFFER_LINES, LOCAL, 1));
        RemoteTransport t = RemoteTransport.read(sd, sd.media().get(0), DtlsRole.ACTIVE);
        assertThat(t.ice()).isEqualTo(LOCAL.ice());
        assertThat(t.fingerprint()).isEqualTo(LOCAL.fingerprint());
        assertThat(t.setup()).isEqualTo(DtlsRole.ACTPASS);
        assertThat(lines(sd.write())).doesNotContain("a=extmap-allow-mixed", "a=ice-options:trickle");
    }
}
