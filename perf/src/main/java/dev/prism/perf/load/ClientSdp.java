package dev.prism.perf.load;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaKind;
import dev.prism.signaling.sdp.MediaSection;
import dev.prism.signaling.sdp.SdpLine;
import dev.prism.signaling.sdp.SdpParseException;
import dev.prism.signaling.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SDP a simulated browser writes and reads, with Prism's {@code sdp} package: a publish offer (one Opus and one
 * VP8 sendonly m-line, BUNDLE, rtcp-mux, SSRCs announced), answers to a server's subscriber offer, and what the remote
 * side's SDP says about its transport and streams. Pure functions.
 */
final class ClientSdp {
    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int VP8_RTX_PT = 97;
    static final int EXT_AUDIO_LEVEL = 1;
    static final int EXT_ABS_SEND_TIME = 2;
    static final int EXT_TRANSPORT_CC = 3;

    /** Lines of an offered m-line that describe the offerer's transport or streams, not what the answer repeats. */
    private static final Set<String> NOT_ECHOED = Set.of("ice-ufrag", "ice-pwd", "ice-options", "fingerprint", "setup",
            "candidate", "end-of-candidates", "ssrc", "ssrc-group", "msid", "sendonly", "recvonly", "sendrecv",
            "inactive", "ice-lite", "rtcp", "extmap-allow-mixed");

    private ClientSdp() {
    }

    /**
     * One stream the remote side announced: its m-line, kind, media SSRC (0 when the m-line has none) and the RTX SSRC
     * paired with it by {@code a=ssrc-group:FID} (0 when none): retransmissions and probe padding arrive on that one.
     */
    record RemoteStream(String mid, MediaKind kind, long ssrc, long rtxSsrc, boolean active) {
    }

    /** The transport facts and streams of a remote description. */
    record RemoteDescription(ClientPeer.Remote transport, List<RemoteStream> streams, Map<String, Integer> extensionIds,
                             Map<Integer, MediaKind> payloadKinds, SessionDescription sdp) {
        int extensionId(String uri) {
            return extensionIds.getOrDefault(uri, 0);
        }
    }

    /** A browser's publish offer: audio mid 0, video mid 1, both sendonly, actpass. */
    static String publishOffer(IceParameters ice, DtlsFingerprint fp, long audioSsrc, long videoSsrc,
                               long videoRtxSsrc, String cname, InetSocketAddress candidate) {
        return publishOffer(ice, fp, audioSsrc, videoSsrc, videoRtxSsrc, cname, udpCandidate(candidate));
    }

    /** The same with any candidate value ({@code a=candidate:} without the prefix), or none when null. */
    static String publishOffer(IceParameters ice, DtlsFingerprint fp, long audioSsrc, long videoSsrc,
                               long videoRtxSsrc, String cname, String candidate) {
        return publishOffer(ice, fp, audioSsrc, videoSsrc, videoRtxSsrc, cname, candidate, true);
    }

    /** The same, without the video section when {@code withVideo} is false (a large room's audio-only publisher). */
    static String publishOffer(IceParameters ice, DtlsFingerprint fp, long audioSsrc, long videoSsrc,
                               long videoRtxSsrc, String cname, String candidate, boolean withVideo) {
        SessionDescription.Builder sd = session().attribute("group", withVideo ? "BUNDLE 0 1" : "BUNDLE 0")
                .attribute("msid-semantic", " WMS " + cname);
        MediaSection.Builder audio = MediaSection.builder("audio", 9, "UDP/TLS/RTP/SAVPF", List.of("111"))
                .line('c', "IN IP4 0.0.0.0");
        transport(audio, ice, fp, "actpass");
        audio.attribute("mid", "0")
                .attribute("extmap", EXT_AUDIO_LEVEL + " " + HeaderExtension.AUDIO_LEVEL)
                .attribute("extmap", EXT_ABS_SEND_TIME + " " + HeaderExtension.ABS_SEND_TIME)
                .attribute("extmap", EXT_TRANSPORT_CC + " " + HeaderExtension.TRANSPORT_CC)
                .flag("sendonly")
                .attribute("msid", cname + " " + cname + "-audio")
                .flag("rtcp-mux").flag("rtcp-rsize")
                .attribute("rtpmap", OPUS_PT + " opus/48000/2")
                .attribute("rtcp-fb", OPUS_PT + " transport-cc")
                .attribute("fmtp", OPUS_PT + " minptime=10;useinbandfec=1")
                .attribute("ssrc", audioSsrc + " cname:" + cname)
                .attribute("ssrc", audioSsrc + " msid:" + cname + " " + cname + "-audio");
        candidate(audio, candidate);
        if (!withVideo) {
            return sd.media(audio.build()).build().write();
        }
        MediaSection.Builder video = MediaSection.builder("video", 9, "UDP/TLS/RTP/SAVPF", List.of("96", "97"))
                .line('c', "IN IP4 0.0.0.0");
        transport(video, ice, fp, "actpass");
        video.attribute("mid", "1")
                .attribute("extmap", EXT_ABS_SEND_TIME + " " + HeaderExtension.ABS_SEND_TIME)
                .attribute("extmap", EXT_TRANSPORT_CC + " " + HeaderExtension.TRANSPORT_CC)
                .flag("sendonly")
                .attribute("msid", cname + " " + cname + "-video")
                .flag("rtcp-mux").flag("rtcp-rsize")
                .attribute("rtpmap", VP8_PT + " VP8/90000");
        for (String fb : List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli")) {
            video.attribute("rtcp-fb", VP8_PT + " " + fb);
        }
        video.attribute("rtpmap", VP8_RTX_PT + " rtx/90000")
                .attribute("fmtp", VP8_RTX_PT + " apt=" + VP8_PT)
                .attribute("ssrc-group", "FID " + videoSsrc + " " + videoRtxSsrc)
                .attribute("ssrc", videoSsrc + " cname:" + cname)
                .attribute("ssrc", videoSsrc + " msid:" + cname + " " + cname + "-video")
                .attribute("ssrc", videoRtxSsrc + " cname:" + cname)
                .attribute("ssrc", videoRtxSsrc + " msid:" + cname + " " + cname + "-video");
        candidate(video, candidate);
        return sd.media(audio.build()).media(video.build()).build().write();
    }

    /**
     * The answer a receive-only browser gives to a server's offer: every m-line kept with the offered formats,
     * extensions and feedback, recvonly where the server sends (inactive stays inactive), our ICE credentials and
     * fingerprint, {@code a=setup:active}.
     */
    static String subscriberAnswer(SessionDescription offer, IceParameters ice, DtlsFingerprint fp,
                                   InetSocketAddress candidate) {
        return subscriberAnswer(offer, ice, fp, udpCandidate(candidate));
    }

    /** The same with any candidate value ({@code a=candidate:} without the prefix), or none when null. */
    static String subscriberAnswer(SessionDescription offer, IceParameters ice, DtlsFingerprint fp,
                                   String candidate) {
        List<String> bundle = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            if (m.isRejected()) {
                sections.add(MediaSection.builder(m.media(), 0, m.protocol(), m.formats()).build());
                continue;
            }
            MediaSection.Builder b = MediaSection.builder(m.media(), 9, m.protocol(), m.formats())
                    .line('c', "IN IP4 0.0.0.0");
            transport(b, ice, fp, "active");
            String direction = m.hasAttribute("sendonly") || m.hasAttribute("sendrecv") ? "recvonly" : "inactive";
            for (SdpLine l : m.attributes()) {
                if (!NOT_ECHOED.contains(l.attributeName())) {
                    b.line(l);
                }
            }
            b.flag(direction);
            candidate(b, candidate);
            sections.add(b.build());
            bundle.add(m.mid());
        }
        SessionDescription.Builder sd = session().attribute("group", "BUNDLE " + String.join(" ", bundle))
                .attribute("msid-semantic", " WMS");
        sections.forEach(sd::media);
        return sd.build().write();
    }

    /** Reads the remote side's transport (from the first usable m-line) and its announced streams. */
    static RemoteDescription read(String sdp) throws SdpParseException {
        SessionDescription d = SessionDescription.parse(sdp);
        ClientPeer.Remote transport = null;
        List<RemoteStream> streams = new ArrayList<>();
        Map<String, Integer> ext = new LinkedHashMap<>();
        Map<Integer, MediaKind> payloadKinds = new LinkedHashMap<>();
        for (MediaSection m : d.media()) {
            MediaKind kind = m.media().equals("audio") ? MediaKind.AUDIO
                    : m.media().equals("video") ? MediaKind.VIDEO : null;
            if (m.isRejected() || kind == null) {
                continue;
            }
            if (transport == null) {
                transport = transportOf(d, m);
            }
            boolean active = !m.hasAttribute("inactive");
            long ssrc = 0;
            long rtxSsrc = 0;
            for (SdpLine l : m.attributes("ssrc-group")) {
                // "FID <media> <rtx>" (RFC 5576 / 4588): the pair that says which SSRC carries retransmissions
                String[] t = l.attributeValue().trim().split("\\s+");
                if (t.length == 3 && t[0].equals("FID")) {
                    ssrc = ssrcValue(t[1]);
                    rtxSsrc = ssrcValue(t[2]);
                    break;
                }
            }
            if (ssrc == 0) {
                for (SdpLine l : m.attributes("ssrc")) {
                    String v = l.attributeValue();
                    int sp = v.indexOf(' ');
                    ssrc = ssrcValue(sp < 0 ? v : v.substring(0, sp)); // without a group, the first a=ssrc is media
                    break;
                }
            }
            streams.add(new RemoteStream(m.mid(), kind, ssrc, rtxSsrc, active));
            for (String f : m.formats()) {
                payloadKinds.putIfAbsent(Integer.parseInt(f), kind);
            }
            for (SdpLine l : m.attributes("extmap")) {
                String v = l.attributeValue();
                int sp = v.indexOf(' ');
                String idPart = v.substring(0, sp);
                int slash = idPart.indexOf('/');
                ext.putIfAbsent(v.substring(sp + 1).trim(),
                        Integer.parseInt(slash < 0 ? idPart : idPart.substring(0, slash)));
            }
        }
        if (transport == null) {
            throw new SdpParseException(0, "no usable m-line");
        }
        return new RemoteDescription(transport, streams, ext, payloadKinds, d);
    }

    private static long ssrcValue(String s) throws SdpParseException {
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v <= 0xFFFF_FFFFL) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpParseException(0, "bad SSRC " + s);
    }

    private static ClientPeer.Remote transportOf(SessionDescription d, MediaSection m)
            throws SdpParseException {
        String ufrag = attr(d, m, "ice-ufrag");
        String pwd = attr(d, m, "ice-pwd");
        String fp = attr(d, m, "fingerprint");
        String setup = attr(d, m, "setup");
        if (ufrag == null || pwd == null || fp == null) {
            throw new SdpParseException(0, "remote SDP lacks ICE credentials or a fingerprint");
        }
        int sp = fp.indexOf(' ');
        DtlsFingerprint fingerprint = new DtlsFingerprint(fp.substring(0, sp).toLowerCase(Locale.ROOT),
                fp.substring(sp + 1).trim());
        // "active" makes the remote side the DTLS client; "passive", or an offerer's "actpass" (we answer active),
        // makes it the server.
        boolean remoteIsServer = !"active".equals(setup);
        InetSocketAddress candidate = null;
        InetSocketAddress tcpCandidate = null;
        for (SdpLine l : m.attributes("candidate")) {
            // foundation component transport priority address port typ host [tcptype passive]
            String[] t = l.attributeValue().split(" ");
            if (t.length < 8 || !t[1].equals("1") || !t[7].equals("host") || t[4].indexOf(':') >= 0) {
                continue;
            }
            if (candidate == null && t[2].equalsIgnoreCase("udp")) {
                candidate = new InetSocketAddress(t[4], Integer.parseInt(t[5]));
            } else if (tcpCandidate == null && t[2].equalsIgnoreCase("tcp") && t.length >= 10
                    && t[8].equals("tcptype") && t[9].equals("passive")) {
                tcpCandidate = new InetSocketAddress(t[4], Integer.parseInt(t[5]));
            }
        }
        if (candidate == null) {
            throw new SdpParseException(0, "remote SDP has no IPv4 UDP host candidate");
        }
        return new ClientPeer.Remote(new IceParameters(ufrag, pwd), fingerprint, remoteIsServer, candidate,
                tcpCandidate);
    }

    private static String attr(SessionDescription d, MediaSection m, String name) {
        String v = m.attribute(name);
        return v != null ? v : d.attribute(name);
    }

    private static SessionDescription.Builder session() {
        return SessionDescription.builder()
                .line('v', "0")
                .line('o', "- " + (System.nanoTime() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1")
                .line('s', "-")
                .line('t', "0 0");
    }

    /** Our UDP host candidate's value, or null when none. */
    static String udpCandidate(InetSocketAddress c) {
        return c == null ? null : "1 1 udp 2122260223 " + c.getAddress().getHostAddress() + " " + c.getPort()
                + " typ host generation 0";
    }

    /** Our candidate, as a browser that gathered before writing its SDP lists it; nothing when null. */
    private static void candidate(MediaSection.Builder b, String candidate) {
        if (candidate != null) {
            b.attribute("candidate", candidate).flag("end-of-candidates");
        }
    }

    private static void transport(MediaSection.Builder b, IceParameters ice, DtlsFingerprint fp, String setup) {
        b.attribute("rtcp", "9 IN IP4 0.0.0.0")
                .attribute("ice-ufrag", ice.ufrag())
                .attribute("ice-pwd", ice.pwd())
                .attribute("fingerprint", fp.algorithm() + " " + fp.value())
                .attribute("setup", setup);
    }
}
