package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.RtcpFeedback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpAttributesTest {

    /** An attribute line as if read at line 12. */
    private static SdpLine at12(String text) {
        return SdpLine.parsed('a', text, 12);
    }

    @Test
    void rtpmap() throws Exception {
        assertThat(SdpAttributes.rtpmap(at12("rtpmap:111 opus/48000/2")))
                .isEqualTo(new SdpAttributes.RtpMap(111, "opus", 48000, 2));
        assertThat(SdpAttributes.rtpmap(at12("rtpmap:96 VP8/90000")))
                .isEqualTo(new SdpAttributes.RtpMap(96, "VP8", 90000, 1));
    }

    @Test
    void fmtpKeepsTextAndSplitsParameters() throws Exception {
        SdpAttributes.Fmtp f = SdpAttributes.fmtp(at12("fmtp:111 minptime=10;useinbandfec=1"));
        assertThat(f.payloadType()).isEqualTo(111);
        assertThat(f.params()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(f.parameters()).containsExactly(Map.entry("minptime", "10"), Map.entry("useinbandfec", "1"));
        // RED's "111/111" has no '=': kept with an empty value.
        assertThat(SdpAttributes.fmtp(at12("fmtp:63 111/111")).parameters()).containsExactly(Map.entry("111/111", ""));
    }

    @Test
    void rtcpFbWithAndWithoutParameterAndWildcard() throws Exception {
        assertThat(SdpAttributes.rtcpFb(at12("rtcp-fb:96 nack pli")))
                .isEqualTo(new SdpAttributes.RtcpFb(96, new RtcpFeedback("nack", "pli")));
        assertThat(SdpAttributes.rtcpFb(at12("rtcp-fb:96 goog-remb")))
                .isEqualTo(new SdpAttributes.RtcpFb(96, new RtcpFeedback("goog-remb", "")));
        assertThat(SdpAttributes.rtcpFb(at12("rtcp-fb:* transport-cc")))
                .isEqualTo(new SdpAttributes.RtcpFb(-1, new RtcpFeedback("transport-cc", "")));
    }

    @Test
    void extmapWithDirectionAndAttributes() throws Exception {
        assertThat(SdpAttributes.extmap(at12("extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid")))
                .isEqualTo(new SdpAttributes.ExtMap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid"));
        assertThat(SdpAttributes.extmap(at12("extmap:1/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on")))
                .isEqualTo(new SdpAttributes.ExtMap(1, "sendonly", "urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
    }

    @Test
    void ssrcAndGroups() throws Exception {
        assertThat(SdpAttributes.ssrc(at12("ssrc:3307381446 cname:9YQrENkRwTB/PNFZ")))
                .isEqualTo(new SdpAttributes.Ssrc(3307381446L, "cname", "9YQrENkRwTB/PNFZ"));
        assertThat(SdpAttributes.ssrc(at12("ssrc:1 msid:s t")))
                .isEqualTo(new SdpAttributes.Ssrc(1, "msid", "s t"));
        assertThat(SdpAttributes.ssrcGroup(at12("ssrc-group:FID 3988638452 749476529")))
                .isEqualTo(new SdpAttributes.SsrcGroup("FID", List.of(3988638452L, 749476529L)));
    }

    @Test
    void ridAndSimulcast() throws Exception {
        assertThat(SdpAttributes.rid(at12("rid:q send"))).isEqualTo(new SdpAttributes.Rid("q", "send"));
        assertThat(SdpAttributes.rid(at12("rid:h send max-width=640;max-height=360")))
                .isEqualTo(new SdpAttributes.Rid("h", "send"));
        assertThat(SdpAttributes.simulcastSend(at12("simulcast:send q;h;f"))).containsExactly("q", "h", "f");
        // paused (~) streams, alternatives (,), a recv part, and the old "rid=" form
        assertThat(SdpAttributes.simulcastSend(at12("simulcast:recv x send ~q;h,h2;f")))
                .containsExactly("q", "h", "f");
        assertThat(SdpAttributes.simulcastSend(at12("simulcast: send rid=a;b"))).containsExactly("a", "b");
        assertThat(SdpAttributes.simulcastSend(at12("simulcast:recv a;b"))).isEmpty();
    }

    @Test
    void msidFingerprintSetup() throws Exception {
        assertThat(SdpAttributes.msid(at12("msid:stream track"))).isEqualTo(new SdpAttributes.Msid("stream", "track"));
        assertThat(SdpAttributes.msid(at12("msid:- track"))).isEqualTo(new SdpAttributes.Msid("-", "track"));
        assertThat(SdpAttributes.msid(at12("msid:stream"))).isEqualTo(new SdpAttributes.Msid("stream", null));
        assertThat(SdpAttributes.fingerprint(at12("fingerprint:SHA-256 ab:CD:01")))
                .isEqualTo(new DtlsFingerprint("sha-256", "AB:CD:01"));
        assertThat(SdpAttributes.setup(at12("setup:actpass"))).isEqualTo(DtlsRole.ACTPASS);
        assertThat(SdpAttributes.setup(at12("setup:active"))).isEqualTo(DtlsRole.ACTIVE);
        assertThat(SdpAttributes.setup(at12("setup:passive"))).isEqualTo(DtlsRole.PASSIVE);
    }

    @ParameterizedTest(name = "a={0}")
    @CsvSource(delimiter = '|', textBlock = """
            # attribute line                          | problem named in the message
            rtpmap                                    | missing value
            rtpmap:111                                | expected 2 fields
            rtpmap:x opus/48000/2                     | bad payload type 'x'
            rtpmap:128 opus/48000/2                   | bad payload type '128'
            rtpmap:111 opus                           | encoding must be <name>/<clock rate>[/<channels>]
            rtpmap:111 opus/fast                      | bad clock rate or channel count
            rtpmap:111 opus/0                         | bad clock rate or channel count
            rtpmap:111 opus/48000/2/1                 | encoding must be <name>/<clock rate>[/<channels>]
            rtpmap:111 /48000                         | encoding must be <name>/<clock rate>[/<channels>]
            fmtp:111                                  | expected '<payload type> <parameters>'
            fmtp:abc minptime=10                      | bad payload type 'abc'
            rtcp-fb:96                                | expected 2 to 3 fields
            rtcp-fb:96 nack pli extra                 | expected 2 to 3 fields
            extmap:0 urn:x                            | extmap id must be 1..4351
            extmap:4352 urn:x                         | extmap id must be 1..4351
            extmap:one urn:x                          | extmap id must be 1..4351
            extmap:1/sideways urn:x                   | bad extmap direction 'sideways'
            extmap:1                                  | expected at least 2 fields
            ssrc:4294967296 cname:x                   | bad SSRC
            ssrc:-1 cname:x                           | bad SSRC
            ssrc:12                                   | expected '<ssrc> <attribute>[:<value>]'
            ssrc:12 :x                                | SSRC attribute without a name
            ssrc-group:FID                            | expected 2 to 64 fields
            ssrc-group:FID 1 x                        | bad SSRC 'x'
            rid:q                                     | expected 2 to 3 fields
            rid:q sideways                            | rid direction must be send or recv
            simulcast:send                            | expected 2 to 4 fields
            simulcast:up q;h                          | simulcast direction must be send or recv
            simulcast:send q;;f                       | empty rid in simulcast list
            simulcast:send ,;h                        | empty rid in simulcast list
            simulcast:send q recv                     | expected '<send|recv> <streams>' pairs
            msid:                                     | missing value
            msid:a b c                                | expected 1 to 2 fields
            fingerprint:sha-256                       | expected 2 fields
            fingerprint:sha-256 XYZ                   | fingerprint must be colon-separated hex bytes
            fingerprint:sha-256 AB:C                  | fingerprint must be colon-separated hex bytes
            setup:holdconn                            | unsupported a=setup value 'holdconn'
            """)
    void malformedValuesNameLineAndProblem(String text, String problem) {
        SdpLine line = at12(text);
        assertThatThrownBy(() -> {
            switch (line.attributeName()) {
                case "rtpmap" -> SdpAttributes.rtpmap(line);
                case "fmtp" -> SdpAttributes.fmtp(line);
                case "rtcp-fb" -> SdpAttributes.rtcpFb(line);
                case "extmap" -> SdpAttributes.extmap(line);
                case "ssrc" -> SdpAttributes.ssrc(line);
                case "ssrc-group" -> SdpAttributes.ssrcGroup(line);
                case "rid" -> SdpAttributes.rid(line);
                case "simulcast" -> SdpAttributes.simulcastSend(line);
                case "msid" -> SdpAttributes.msid(line);
                case "fingerprint" -> SdpAttributes.fingerprint(line);
                case "setup" -> SdpAttributes.setup(line);
                default -> throw new AssertionError(text);
            }
        }).isInstanceOfSatisfying(SdpParseException.class, e -> {
            assertThat(e.line()).isEqualTo(12);
            assertThat(e.getMessage()).startsWith("line 12: a=" + line.attributeName() + ": " + problem);
        });
    }
}
