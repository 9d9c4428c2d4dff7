package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.rtp.VideoCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Answers the offer of a publisher connection. Pure: no I/O, no state; safe to call from any thread.
 *
 * <p>Rules (docs/PROTOCOL.md): the offer must be unified plan (one a=mid per m-line, one track per m-line), bundle its
 * media (a=group:BUNDLE), use rtcp-mux, carry ICE credentials and a DTLS fingerprint, and let Prism be the DTLS server
 * (a=setup actpass or active). Per m-line, in offer order:
 * <ul>
 *   <li>audio/video over RTP/SAVPF in the BUNDLE group, sendonly or sendrecv, with Opus (audio) or VP8 (video):
 *       accepted, answered {@code recvonly}, reported in {@link PublishNegotiation#accepted()};</li>
 *   <li>the same but recvonly or inactive (for example after {@code removeTrack}): answered {@code inactive} with the
 *       same codecs, so the client may reuse the transceiver later; not reported as accepted;</li>
 *   <li>everything else (data channels, other codecs, unbundled or already rejected lines): rejected with port 0.</li>
 * </ul>
 * A section with port 0 and {@code a=bundle-only} (Firefox writes every bundled section after the first one so, RFC
 * 8843 section 6) is not rejected: named by the BUNDLE group it is negotiated like any other and answered on Prism's
 * port; outside the group it is rejected. Port 0 without {@code a=bundle-only} stays a rejection.
 * Kept in the answer: Opus with its fmtp plus {@code usedtx=1}, Opus RED ({@code red/48000/2}, fmtp
 * {@code <opus>/<opus>}) when offered (see {@link OpusRed}), the first VP8 and its RTX, the rtcp-fb entries nack, nack pli, ccm fir,
 * goog-remb and transport-cc, and the header extensions listed in {@link HeaderExtension} (mid, rid, repaired rid,
 * audio level, abs-send-time, transport-wide cc) with the offerer's ids. A simulcast offer (send rids) is answered
 * with the same rids as {@code a=rid:<id> recv} and {@code a=simulcast:recv}, unpaused.
 * {@code a=extmap-allow-mixed} is not echoed, so senders use one-byte extension headers whenever the ids allow.
 *
 * <p>The answer's o= line has a session id derived from the local ICE ufrag and the offer's session version, so
 * successive answers on one connection keep the id and follow the offerer's version without state here.
 */
public final class PublishNegotiator {
    private PublishNegotiator() {
    }

    private enum Outcome { ACCEPT, INACTIVE, REJECT }

    /**
     * @throws SdpParseException   the offer is not readable SDP (maps to {@code bad_sdp})
     * @throws NegotiationException {@code bad_sdp} or {@code nothing_to_forward}, see {@link NegotiationException}
     */
    public static PublishNegotiation answer(String offerSdp, LocalTransportInfo local)
            throws SdpParseException, NegotiationException {
        return answer(offerSdp, local, VideoCodec.VP8);
    }

    /**
     * As {@link #answer(String, LocalTransportInfo)} in a room whose video codec is {@code video}: video lines keep
     * that codec only (for H.264 the first one offered with packetization-mode 1 and a Constrained Baseline
     * profile-level-id, at any level, see {@link H264ProfileLevelId}). A video line that sends but offers no such
     * codec is refused with {@code codec_unsupported} (the browser cannot publish in this room), unlike other
     * unusable lines, which are rejected with port 0.
     *
     * @throws NegotiationException also {@code codec_unsupported}, see above
     */
    public static PublishNegotiation answer(String offerSdp, LocalTransportInfo local, VideoCodec video)
            throws SdpParseException, NegotiationException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(video, "video");
        SessionDescription offer = SessionDescription.parse(offerSdp);
        if (offer.media().isEmpty()) {
            throw NegotiationException.nothingToForward("offer has no m-lines");
        }
        List<String> bundle = Bundle.group(offer);
        if (bundle == null) {
            throw NegotiationException.badSdp("offer has no a=group:BUNDLE; Prism requires BUNDLE");
        }
        List<MediaInfo> infos = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            infos.add(MediaInfo.read(m));
        }
        checkMids(infos);
        MediaSection tag = Bundle.transportSection(offer, bundle);
        if (tag == null) {
            if (offer.media().stream().allMatch(MediaSection::isRejected)) {
                throw NegotiationException.nothingToForward("every m-line of the offer is rejected (port 0)");
            }
            throw NegotiationException.badSdp("a=group:BUNDLE names no usable m-line");
        }
        RemoteTransport remote = RemoteTransport.read(offer, tag, DtlsRole.ACTIVE);
        if (remote.setup() == DtlsRole.PASSIVE) {
            throw NegotiationException.badSdp("offer has a=setup:passive; Prism is always the DTLS server "
                    + "(offer actpass or active)");
        }

        List<Outcome> outcomes = new ArrayList<>();
        boolean anyForwardable = false;
        for (MediaInfo m : infos) {
            Outcome o = decide(m, bundle, video);
            if (o != Outcome.REJECT && !m.section.hasAttribute("rtcp-mux")) {
                throw NegotiationException.badSdp("m-line mid " + m.mid
                        + " has no a=rtcp-mux; Prism requires rtcp-mux");
            }
            anyForwardable |= o != Outcome.REJECT;
            outcomes.add(o);
        }
        if (!anyForwardable) {
            throw NegotiationException.nothingToForward(
                    "no bundled audio/video m-line offers Opus or VP8, the codecs Prism forwards");
        }

        List<MediaDescription> accepted = new ArrayList<>();
        List<String> answerBundle = new ArrayList<>();
        List<MediaSection> answerSections = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            MediaInfo m = infos.get(i);
            Outcome o = outcomes.get(i);
            if (o == Outcome.REJECT) {
                answerSections.add(LocalLines.rejected(m.section, m.mid));
                continue;
            }
            MediaKind kind = m.kind();
            List<MediaInfo.Codec> codecs = keptCodecs(m, kind, video);
            List<SdpAttributes.ExtMap> extmaps = keptExtensions(m);
            List<String> rids = List.of();
            if (o == Outcome.ACCEPT) {
                MediaDescription d = describe(m, kind, codecs, extmaps);
                accepted.add(d);
                rids = d.encodings().stream().map(RtpEncoding::rid).filter(Objects::nonNull).toList();
            }
            answerSections.add(answerSection(m, o, codecs, extmaps, rids, local));
            answerBundle.add(m.mid);
        }

        SessionDescription.Builder answer = LocalLines.sessionHeader(local, answerVersion(offer))
                .attribute("group", "BUNDLE " + String.join(" ", answerBundle))
                .attribute("msid-semantic", " WMS");
        for (MediaSection s : answerSections) {
            answer.media(s);
        }
        return new PublishNegotiation(answer.build().write(), remote.ice(), remote.fingerprint(), remote.setup(),
                accepted);
    }

    private static void checkMids(List<MediaInfo> infos) throws NegotiationException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < infos.size(); i++) {
            MediaInfo m = infos.get(i);
            if (m.mid == null) {
                if (m.section.isRejected()) {
                    continue;
                }
                throw NegotiationException.badSdp("m-line " + (i + 1) + " has no a=mid; Prism requires unified plan");
            }
            if (!seen.add(m.mid)) {
                throw NegotiationException.badSdp("mid " + m.mid + " is used by two m-lines");
            }
        }
    }

    private static Outcome decide(MediaInfo m, List<String> bundle, VideoCodec video) throws NegotiationException {
        if (m.section.isRejected() || m.kind() == null || !m.isSecureRtp() || !bundle.contains(m.mid)) {
            return Outcome.REJECT;
        }
        if (Forwarded.primary(m, m.kind(), video) == null) {
            if (video != VideoCodec.VP8 && m.kind() == MediaKind.VIDEO && m.sends()) {
                throw NegotiationException.codecUnsupported("video mid " + m.mid + " offers no " + video.rtpName()
                        + " Prism can forward (this room's video codec"
                        + (video == VideoCodec.H264 ? ": H264 with packetization-mode=1 and a Constrained Baseline "
                        + "profile-level-id such as 42e01f)" : ")"));
            }
            return Outcome.REJECT;
        }
        return m.sends() ? Outcome.ACCEPT : Outcome.INACTIVE;
    }

    /** The primary codec, then its RTX (video) or its RED (audio, {@link OpusRed}). */
    private static List<MediaInfo.Codec> keptCodecs(MediaInfo m, MediaKind kind, VideoCodec video) {
        MediaInfo.Codec primary = Forwarded.primary(m, kind, video);
        if (kind == MediaKind.AUDIO) {
            return OpusRed.audioCodecs(m, primary);
        }
        List<MediaInfo.Codec> out = new ArrayList<>(2);
        out.add(primary);
        if (kind == MediaKind.VIDEO) {
            MediaInfo.Codec rtx = m.rtxFor(primary.payloadType());
            if (rtx != null) {
                out.add(rtx);
            }
        }
        return out;
    }

    /** Offered extensions Prism uses, first id per URI, that the offerer will send. */
    private static List<SdpAttributes.ExtMap> keptExtensions(MediaInfo m) {
        List<SdpAttributes.ExtMap> out = new ArrayList<>();
        Set<String> uris = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (SdpAttributes.ExtMap e : m.extmaps) {
            boolean sends = e.direction() == null || e.direction().equals("sendrecv")
                    || e.direction().equals("sendonly");
            if (Forwarded.EXTENSIONS.contains(e.uri()) && sends && e.id() <= Forwarded.MAX_RTP_EXTENSION_ID
                    && !uris.contains(e.uri()) && !ids.contains(e.id())) {
                uris.add(e.uri());
                ids.add(e.id());
                out.add(e);
            }
        }
        return out;
    }

    private static MediaSection answerSection(MediaInfo m, Outcome o, List<MediaInfo.Codec> codecs,
                                              List<SdpAttributes.ExtMap> extmaps, List<String> rids,
                                              LocalTransportInfo local) {
        codecs = OpusRed.answerOrder(codecs);
        List<String> pts = new ArrayList<>();
        for (MediaInfo.Codec c : codecs) {
            pts.add(Integer.toString(c.payloadType()));
        }
        MediaSection.Builder b = MediaSection.builder(m.section.media(), LocalLines.port(local), m.section.protocol(),
                        pts)
                .line('c', LocalLines.connection(local));
        LocalLines.transport(b, local, DtlsRole.PASSIVE);
        b.attribute("mid", m.mid);
        for (SdpAttributes.ExtMap e : extmaps) {
            String dir = "sendonly".equals(e.direction()) ? "/recvonly" : "";
            b.attribute("extmap", e.id() + dir + " " + e.uri());
        }
        b.flag(o == Outcome.ACCEPT ? "recvonly" : "inactive");
        b.flag("rtcp-mux");
        if (m.section.hasAttribute("rtcp-rsize")) {
            b.flag("rtcp-rsize");
        }
        for (MediaInfo.Codec c : codecs) {
            String fmtp = c.fmtp() == null ? null : c.fmtp().params();
            if (c.is(Forwarded.OPUS, Forwarded.OPUS_CLOCK)) {
                fmtp = OpusRed.answerFmtp(fmtp); // DTX: Prism asks for it as the receiver
            }
            CodecLines.write(b, c.payloadType(), c.rtpmap().name(), c.rtpmap().clockRate(), c.rtpmap().channels(),
                    Forwarded.keptFeedback(c.feedback()), fmtp);
        }
        // RFC 8853: the answer lists the rids it receives, else the browser sends one encoding only.
        for (String rid : rids) {
            b.attribute("rid", rid + " recv");
        }
        if (!rids.isEmpty()) {
            b.attribute("simulcast", "recv " + String.join(";", rids));
        }
        LocalLines.candidates(b, local);
        return b.build();
    }

    private static MediaDescription describe(MediaInfo m, MediaKind kind, List<MediaInfo.Codec> codecs,
                                             List<SdpAttributes.ExtMap> extmaps) throws NegotiationException {
        List<RtpCodec> rtpCodecs = new ArrayList<>();
        for (MediaInfo.Codec c : codecs) {
            rtpCodecs.add(Forwarded.toRtpCodec(c, Forwarded.keptFeedback(c.feedback())));
        }
        List<HeaderExtension> extensions = new ArrayList<>();
        for (SdpAttributes.ExtMap e : extmaps) {
            extensions.add(new HeaderExtension(e.id(), e.uri()));
        }
        SdpAttributes.Msid msid = msid(m);
        return new MediaDescription(m.mid, kind, rtpCodecs, extensions, encodings(m),
                msid == null ? null : msid.streamId(), msid == null ? null : msid.trackId());
    }

    /**
     * The RTP streams the publisher will send on this m-line: rids (SSRC 0, learned from packets later) when it
     * announces simulcast, else its SSRC with the RTX SSRC from a=ssrc-group:FID, else nothing (SSRC learned from the
     * mid header extension). More than one ungrouped SSRC or msid in one m-line is Plan B and refused.
     */
    static List<RtpEncoding> encodings(MediaInfo m) throws NegotiationException {
        Map<Long, Long> rtxOf = new HashMap<>();
        Set<Long> secondaries = new HashSet<>();
        List<Long> sim = null;
        for (SdpAttributes.SsrcGroup g : m.ssrcGroups) {
            switch (g.semantics()) {
                case "FID", "FEC-FR" -> {
                    if (g.ssrcs().size() != 2) {
                        throw NegotiationException.badSdp("a=ssrc-group:" + g.semantics() + " in mid " + m.mid
                                + " must list 2 SSRCs");
                    }
                    secondaries.add(g.ssrcs().get(1));
                    if (g.semantics().equals("FID")) {
                        rtxOf.put(g.ssrcs().get(0), g.ssrcs().get(1));
                    }
                }
                case "SIM" -> sim = g.ssrcs();
                default -> {
                    // Other groupings do not change which streams are sent.
                }
            }
        }
        Set<Long> primaries = new LinkedHashSet<>();
        Set<String> msids = new HashSet<>();
        for (SdpAttributes.Ssrc s : m.ssrcs) {
            if (!secondaries.contains(s.ssrc())) {
                primaries.add(s.ssrc());
            }
            if (s.attribute().equals("msid") && s.value() != null) {
                msids.add(String.join(" ", Tokens.split(s.value())));
            }
        }
        if (msids.size() > 1) {
            throw NegotiationException.badSdp("mid " + m.mid + " carries " + msids.size()
                    + " tracks (Plan B); Prism requires unified plan");
        }

        List<String> rids = sendRids(m);
        List<RtpEncoding> out = new ArrayList<>();
        if (!rids.isEmpty()) {
            for (String rid : rids) {
                out.add(new RtpEncoding(0, 0, rid));
            }
            return out;
        }
        List<Long> order;
        if (sim != null && primaries.size() > 1) {
            if (!primaries.containsAll(sim) || sim.size() != primaries.size()) {
                throw NegotiationException.badSdp("a=ssrc-group:SIM in mid " + m.mid + " does not match its SSRCs");
            }
            order = sim;
        } else if (primaries.size() > 1) {
            throw NegotiationException.badSdp("mid " + m.mid + " carries " + primaries.size()
                    + " ungrouped SSRCs (Plan B); Prism requires unified plan");
        } else {
            order = new ArrayList<>(primaries);
        }
        for (long ssrc : order) {
            out.add(new RtpEncoding(ssrc, rtxOf.getOrDefault(ssrc, 0L), null));
        }
        return out;
    }

    /** Send rids in a=simulcast order (or a=rid order without a=simulcast), each once. */
    private static List<String> sendRids(MediaInfo m) {
        Set<String> declared = new LinkedHashSet<>();
        for (SdpAttributes.Rid r : m.rids) {
            if (r.direction().equals("send")) {
                declared.add(r.id());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        if (!m.simulcastSend.isEmpty()) {
            for (String rid : m.simulcastSend) {
                if (declared.isEmpty() || declared.contains(rid)) {
                    out.add(rid);
                }
            }
        } else {
            out.addAll(declared);
        }
        return new ArrayList<>(out);
    }

    /** a=msid, else the msid of the first a=ssrc that has one, else null. */
    private static SdpAttributes.Msid msid(MediaInfo m) {
        if (m.msid != null) {
            return m.msid;
        }
        for (SdpAttributes.Ssrc s : m.ssrcs) {
            if (s.attribute().equals("msid") && s.value() != null) {
                List<String> t = Tokens.split(s.value());
                if (!t.isEmpty()) {
                    return new SdpAttributes.Msid(t.get(0), t.size() > 1 ? t.get(1) : null);
                }
            }
        }
        return null;
    }

    /** The offer's o= session version when it is a number: it grows with each re-offer of the connection. */
    private static long answerVersion(SessionDescription offer) {
        SessionDescription.Origin o = offer.origin();
        long v = o == null ? -1 : Tokens.parseUnsigned(o.sessionVersion(), Long.MAX_VALUE);
        return v < 0 ? 1 : v;
    }
}
