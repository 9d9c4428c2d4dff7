package dev.prism.signaling.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.prism.signaling.sdp.SdpFixtures.lines;
import static dev.prism.signaling.sdp.SdpFixtures.resource;
import static dev.prism.signaling.sdp.SdpFixtures.sdp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SessionDescriptionTest {

    static final List<String> captured = SdpFixtures.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("captured")
    void writeOfParseKeepsEveryLine(String name) throws Exception {
        String text = resource(name);
        String written = SessionDescription.parse(text).write();
        assertThat(written).isEqualTo(text.replace("\r\n", "\n").replace("\n", "\r\n"));
        assertThat(written).endsWith("\r\n").doesNotContain("\r\r");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("captured")
    void lfOnlyInputReadsTheSameAndWritesCrlf(String name) throws Exception {
        String text = resource(name);
        SessionDescription crlf = SessionDescription.parse(text);
        SessionDescription lf = SessionDescription.parse(text.replace("\r\n", "\n"));
        assertThat(lf).isEqualTo(crlf);
        assertThat(lf.write()).isEqualTo(crlf.write());
    }

    @Test
    void firefoxBundleOnlySectionsAreNotRejected() throws Exception {
        SessionDescription sd = SessionDescription.parse(resource("firefox-publish-offer-datachannel.sdp"));
        assertThat(sd.media()).extracting(MediaSection::port).containsExactly(9, 0, 0);
        assertThat(sd.media()).extracting(MediaSection::isBundleOnly).containsExactly(false, true, true);
        assertThat(sd.media()).extracting(MediaSection::isRejected).containsExactly(false, false, false);

        SessionDescription withoutBundleOnly = SessionDescription.parse(
                SdpFixtures.drop(resource("firefox-publish-offer-datachannel.sdp"), "a=bundle-only"));
        assertThat(withoutBundleOnly.media()).extracting(MediaSection::isRejected)
                .containsExactly(false, true, true);
    }

    @Test
    void readsChromeOfferStructure() throws Exception {
        SessionDescription sd = SessionDescription.parse(resource(SdpFixtures.CHROME_OFFER));

        assertThat(sd.origin()).isEqualTo(new SessionDescription.Origin("-", "2263978611030142542", "2", "IN", "IP4",
                "127.0.0.1"));
        assertThat(sd.attribute("group")).isEqualTo("BUNDLE 0 1");
        assertThat(sd.hasAttribute("extmap-allow-mixed")).isTrue();
        assertThat(sd.attribute("extmap-allow-mixed")).isNull();
        // "a=msid-semantic: WMS x": the value reads trimmed, the raw line keeps its blank.
        assertThat(sd.attribute("msid-semantic")).isEqualTo("WMS c9ce1fa6-ef1c-413d-916f-d57b95192c36");
        assertThat(sd.attributeLine("msid-semantic").value())
                .isEqualTo("msid-semantic: WMS c9ce1fa6-ef1c-413d-916f-d57b95192c36");
        assertThat(sd.attributeLine("msid-semantic").number()).isEqualTo(7);

        assertThat(sd.media()).hasSize(2);
        MediaSection audio = sd.media().get(0);
        assertThat(audio.media()).isEqualTo("audio");
        assertThat(audio.port()).isEqualTo(9);
        assertThat(audio.isRejected()).isFalse();
        assertThat(audio.protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.hasAttribute("rtcp-mux")).isTrue();
        assertThat(audio.attributes("extmap")).extracting(SdpLine::attributeValue).containsExactly(
                "1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                "4 urn:ietf:params:rtp-hdrext:sdes:mid");
        assertThat(audio.lines().get(0)).isEqualTo(SdpLine.of('c', "IN IP4 0.0.0.0"));

        MediaSection video = sd.media().get(1);
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.formats()).hasSize(23).startsWith("96", "97");
        assertThat(video.attribute("ssrc-group")).isEqualTo("FID 3988638452 749476529");
    }

    @Test
    void blankLinesAreSkippedButCounted() throws Exception {
        SdpParseException e = null;
        try {
            SessionDescription.parse("v=0\n\no=- 1 1 IN IP4 0.0.0.0\ns=-\n\nm=audio x 9 RTP/AVP 0\n");
        } catch (SdpParseException ex) {
            e = ex;
        }
        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).isEqualTo("line 6: bad port 'x' in m= line");

        SessionDescription sd = SessionDescription.parse("v=0\r\n\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n\r\n");
        assertThat(sd.write()).isEqualTo("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n");
        assertThat(sd.media()).isEmpty();
    }

    @Test
    void lastLineWithoutTerminatorIsRead() throws Exception {
        SessionDescription sd = SessionDescription.parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP 0");
        assertThat(sd.media()).hasSize(1);
        assertThat(sd.media().get(0).formats()).containsExactly("0");
    }

    @Test
    void portCountAndRejectedPort() throws Exception {
        SessionDescription sd = SessionDescription.parse(sdp("v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-",
                "m=video 0 UDP/TLS/RTP/SAVPF 96", "m=audio 49170/2 RTP/AVP 0"));
        assertThat(sd.media().get(0).isRejected()).isTrue();
        assertThat(sd.media().get(1).port()).isEqualTo(49170);
        assertThat(sd.media().get(1).mLine().value()).isEqualTo("audio 49170/2 RTP/AVP 0");
    }

    static Stream<Arguments> malformed() {
        String head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
        return Stream.of(
                // name, input, line, message
                arguments("null", null, 0, "empty SDP"),
                arguments("empty", "", 0, "empty SDP"),
                arguments("blank", " \r\n\r\n", 0, "empty SDP"),
                arguments("garbage", "hello world", 1, "line 1: expected <type>=<value>, got 'hello world'"),
                arguments("one char", "v", 1, "line 1: expected <type>=<value>, got 'v'"),
                arguments("binary", "\u0000\u0001\u0002", 1, "line 1: expected <type>=<value>, got '???'"),
                arguments("missing v=", "o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n", 1,
                        "line 1: SDP must start with v=0, got 'o=- 1 1 IN IP4 0.0.0.0'"),
                arguments("v=1", "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n", 1,
                        "line 1: SDP must start with v=0, got 'v=1'"),
                arguments("second v=", head + "v=0\r\n", 5, "line 5: second v= line"),
                arguments("upper-case type", head + "A=foo\r\n", 5, "line 5: expected <type>=<value>, got 'A=foo'"),
                arguments("no equals", head + "a:foo\r\n", 5, "line 5: expected <type>=<value>, got 'a:foo'"),
                arguments("control char", head + "a=foo\u0007bar\r\n", 5, "line 5: control character 0x7 in line"),
                arguments("bare CR inside", head + "a=foo\rbar\r\n", 5, "line 5: control character 0xd in line"),
                arguments("attribute without name", head + "a=\r\n", 5, "line 5: attribute without a name"),
                arguments("attribute only colon", head + "a=:x\r\n", 5, "line 5: attribute without a name"),
                arguments("no o=", "v=0\r\ns=-\r\n", 0, "no o= line"),
                arguments("short o=", "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n", 2,
                        "line 2: o= line needs 6 fields: '- 1 1 IN IP4'"),
                arguments("no s=", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", 0, "no s= line"),
                arguments("m= bad port", head + "m=audio x9 UDP/TLS/RTP/SAVPF 111\r\n", 5,
                        "line 5: bad port 'x9' in m= line"),
                arguments("m= port too big", head + "m=audio 65536 UDP/TLS/RTP/SAVPF 111\r\n", 5,
                        "line 5: bad port '65536' in m= line"),
                arguments("m= negative port", head + "m=audio -1 UDP/TLS/RTP/SAVPF 111\r\n", 5,
                        "line 5: bad port '-1' in m= line"),
                arguments("m= port count 0", head + "m=audio 9/0 UDP/TLS/RTP/SAVPF 111\r\n", 5,
                        "line 5: bad port '9/0' in m= line"),
                arguments("m= no formats", head + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", 5,
                        "line 5: m= line needs media, port, protocol and at least one format: "
                                + "'audio 9 UDP/TLS/RTP/SAVPF'"),
                arguments("s= inside media", head + "m=audio 9 RTP/AVP 0\r\ns=-\r\n", 6,
                        "line 6: 's=' is not allowed inside a media section"),
                arguments("t= inside media", head + "m=audio 9 RTP/AVP 0\r\nt=0 0\r\n", 6,
                        "line 6: 't=' is not allowed inside a media section"),
                arguments("too long", "v=0\r\n" + "a=x\r\n".repeat(SessionDescription.MAX_LENGTH / 5), 0,
                        "SDP longer than " + SessionDescription.MAX_LENGTH + " chars"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformed(String name, String input, int line, String message) {
        assertThatThrownBy(() -> SessionDescription.parse(input))
                .isInstanceOfSatisfying(SdpParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void builderWritesInOrderAndParsesBack() throws Exception {
        MediaSection audio = MediaSection.builder("audio", 9, "UDP/TLS/RTP/SAVPF", List.of("111"))
                .line('c', "IN IP4 0.0.0.0")
                .attribute("mid", "0")
                .flag("rtcp-mux")
                .build();
        SessionDescription sd = SessionDescription.builder()
                .line('v', "0")
                .line('o', "- 1 2 IN IP4 0.0.0.0")
                .line('s', "-")
                .line('t', "0 0")
                .attribute("group", "BUNDLE 0")
                .media(audio)
                .build();
        String text = sd.write();
        assertThat(lines(text)).containsExactly("v=0", "o=- 1 2 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=rtcp-mux");
        assertThat(SessionDescription.parse(text)).isEqualTo(sd);
        assertThat(SessionDescription.parse(text).write()).isEqualTo(text);
    }

    @Test
    void builderRefusesMisuse() {
        assertThatThrownBy(() -> SessionDescription.builder().line('o', "- 1 1 IN IP4 0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionDescription.builder().line('v', "0").line('v', "0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionDescription.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SdpLine.of('a', "x\r\ny")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SdpLine.of('A', "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SdpLine.attribute("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaSection.builder("audio", 70000, "RTP/AVP", List.of("0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaSection.builder("audio", 9, "RTP/AVP", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaSection.builder("au dio", 9, "RTP/AVP", List.of("0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaSection.builder("audio", 9, "RTP/AVP", List.of("0")).line('m', "x 9 y 0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sdpLineSplitsAttributes() {
        SdpLine flag = SdpLine.attribute("rtcp-mux", null);
        assertThat(flag.toString()).isEqualTo("a=rtcp-mux");
        assertThat(flag.attributeName()).isEqualTo("rtcp-mux");
        assertThat(flag.attributeValue()).isNull();
        SdpLine fp = SdpLine.of('a', "fingerprint:sha-256 AB:CD");
        assertThat(fp.attributeName()).isEqualTo("fingerprint");
        assertThat(fp.attributeValue()).isEqualTo("sha-256 AB:CD");
        assertThat(fp.number()).isZero();
        SdpLine c = SdpLine.of('c', "IN IP4 0.0.0.0");
        assertThat(c.isAttribute()).isFalse();
        assertThat(c.attributeName()).isNull();
        assertThat(SdpLine.attribute("mid", "0")).isEqualTo(SdpLine.of('a', "mid:0"))
                .hasSameHashCodeAs(SdpLine.of('a', "mid:0"));
    }
}
