package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.signaling.sdp.LocalTransportInfo;
import dev.prism.signaling.sdp.PublishNegotiation;
import dev.prism.signaling.sdp.PublishNegotiator;
import dev.prism.signaling.sdp.SdpParseException;
import dev.prism.signaling.sdp.SubscriberAnswer;
import dev.prism.signaling.sdp.SubscriberAnswerReader;
import dev.prism.signaling.sdp.SubscriberOfferWriter;
import dev.prism.signaling.sdp.SubscriberTrackLine;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated browser's SDP must pass Prism's own negotiators, exactly as a browser's does. */
class ClientSdpTest {
    private static final IceParameters CLIENT_ICE = new IceParameters("cLnt", "clientPassword0123456789");
    private static final DtlsFingerprint CLIENT_FP = new DtlsFingerprint("sha-256", "AB:CD:EF");
    private static final LocalTransportInfo PRISM = new LocalTransportInfo(
            new IceParameters("prsm", "prismIceLitePassword0123"), new DtlsFingerprint("sha-256", "01:02:03"),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 40000, "host")));

    @Test
    void publishOfferIsAcceptedWithBothTracksAndItsSsrcs() throws Exception {
        String offer = ClientSdp.publishOffer(CLIENT_ICE, CLIENT_FP, 1111, 2222, 3333, "pub0",
                new InetSocketAddress("127.0.0.1", 5555));
        PublishNegotiation n = PublishNegotiator.answer(offer, PRISM);
        assertThat(n.remoteIce()).isEqualTo(CLIENT_ICE);
        assertThat(n.remoteSetup()).isEqualTo(DtlsRole.ACTPASS);
        assertThat(n.accepted()).extracting(MediaDescription::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO);
        assertThat(n.accepted().get(0).encodings().get(0).ssrc()).isEqualTo(1111);
        assertThat(n.accepted().get(1).encodings().get(0).ssrc()).isEqualTo(2222);
        assertThat(n.accepted().get(1).encodings().get(0).rtxSsrc()).isEqualTo(3333);

        // ... and the answer reads back as Prism's transport: the client is DTLS client, ICE goes to the candidate.
        ClientSdp.RemoteDescription answer = ClientSdp.read(n.answerSdp());
        assertThat(answer.transport().ice()).isEqualTo(PRISM.ice());
        assertThat(answer.transport().remoteIsDtlsServer()).isTrue();
        assertThat(answer.transport().candidate()).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
    }

    @Test
    void theAnswersPassiveTcpCandidateIsReadForIceTcpPeers() throws Exception {
        LocalTransportInfo withTcp = new LocalTransportInfo(PRISM.ice(), PRISM.fingerprint(), List.of(
                new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 40000, "host"),
                new IceCandidate("2", 1, "tcp", 1518280447L, "127.0.0.1", 40001, "host", "passive")));
        // A browser over ICE-TCP lists an active candidate on the discard port; Prism's negotiator must take it.
        String tcpCandidate = "1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0";
        String offer = ClientSdp.publishOffer(CLIENT_ICE, CLIENT_FP, 1111, 2222, 3333, "pub0", tcpCandidate);
        assertThat(offer).contains("a=candidate:" + tcpCandidate);
        ClientPeer.Remote r = ClientSdp.read(PublishNegotiator.answer(offer, withTcp).answerSdp()).transport();
        assertThat(r.candidate(PeerTransport.UDP)).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
        assertThat(r.candidate(PeerTransport.TCP)).isEqualTo(new InetSocketAddress("127.0.0.1", 40001));

        // Without ICE-TCP on the server there is no TCP candidate: a TCP peer then fails to start, with that reason.
        ClientPeer.Remote udpOnly = ClientSdp.read(PublishNegotiator.answer(offer, PRISM).answerSdp()).transport();
        assertThat(udpOnly.candidate(PeerTransport.TCP)).isNull();
    }

    @Test
    void subscriberAnswerIsAcceptedForActiveAndInactiveLines() throws Exception {
        List<SubscriberTrackLine> lines = List.of(
                SubscriberTrackLine.active("0", MediaKind.AUDIO, 11111111L, 0, "alice", "alice:0"),
                SubscriberTrackLine.active("1", MediaKind.VIDEO, 22222222L, 0, "alice", "alice:1"),
                SubscriberTrackLine.inactive("2", MediaKind.VIDEO),
                SubscriberTrackLine.active("3", MediaKind.VIDEO, 4000000000L, 33333333L, "bob", "bob:1"));
        String offer = SubscriberOfferWriter.offer(lines, PRISM, 3);
        ClientSdp.RemoteDescription read = ClientSdp.read(offer);
        assertThat(read.streams()).containsExactly(
                new ClientSdp.RemoteStream("0", MediaKind.AUDIO, 11111111L, 0, true),
                new ClientSdp.RemoteStream("1", MediaKind.VIDEO, 22222222L, 0, true),
                new ClientSdp.RemoteStream("2", MediaKind.VIDEO, 0, 0, false),
                // the RTX SSRC of the FID group: Prism's retransmissions and probes arrive on it
                new ClientSdp.RemoteStream("3", MediaKind.VIDEO, 4000000000L, 33333333L, true));
        assertThat(read.payloadKinds()).containsEntry(111, MediaKind.AUDIO).containsEntry(96, MediaKind.VIDEO);
        assertThat(read.extensionId("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"))
                .isEqualTo(SubscriberOfferWriter.EXT_TRANSPORT_CC_ID);

        String answer = ClientSdp.subscriberAnswer(read.sdp(), CLIENT_ICE, CLIENT_FP, (String) null);
        SubscriberAnswer a = SubscriberAnswerReader.read(answer, lines);
        assertThat(a.remoteSetup()).isEqualTo(DtlsRole.ACTIVE);
        assertThat(a.remoteIce()).isEqualTo(CLIENT_ICE);
        assertThat(a.acceptedByMid()).containsOnlyKeys("0", "1", "3");
    }

    @Test
    void fidGroupNamesMediaAndRtxWhateverTheOrderOfSsrcLines() throws Exception {
        String sdp = REMOTE_HEAD
                + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:v\r\na=sendonly\r\n"
                + "a=ssrc:222 cname:x\r\na=ssrc:111 cname:x\r\na=ssrc-group:FID 111 222\r\n" + CANDIDATE;
        assertThat(ClientSdp.read(sdp).streams())
                .containsExactly(new ClientSdp.RemoteStream("v", MediaKind.VIDEO, 111, 222, true));
    }

    @Test
    void badSsrcIsAParseFailure() {
        for (String line : List.of("a=ssrc:x cname:x", "a=ssrc:4294967296 cname:x", "a=ssrc-group:FID 1 -2")) {
            String sdp = REMOTE_HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:v\r\n" + line + "\r\n" + CANDIDATE;
            assertThatThrownBy(() -> ClientSdp.read(sdp)).as(line).isInstanceOf(SdpParseException.class)
                    .hasMessageContaining("SSRC");
        }
    }

    /** Session part of a remote description with ICE credentials and a fingerprint. */
    private static final String REMOTE_HEAD = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
            + "a=ice-ufrag:u\r\na=ice-pwd:p\r\na=fingerprint:sha-256 00:11\r\na=setup:passive\r\n";
    /** A media-level host candidate. */
    private static final String CANDIDATE = "a=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n";

    @Test
    void remoteWithoutCandidateOrCredentialsIsRefused() {
        String noCandidate = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\n"
                + "a=fingerprint:sha-256 00:11\r\na=setup:passive\r\n";
        assertThatThrownBy(() -> ClientSdp.read(noCandidate)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("candidate");
        String noIce = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=setup:passive\r\n"
                + "a=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n";
        assertThatThrownBy(() -> ClientSdp.read(noIce)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("ICE");
    }
}
