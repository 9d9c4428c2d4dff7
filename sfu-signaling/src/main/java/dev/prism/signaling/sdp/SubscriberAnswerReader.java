package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.rtp.VideoCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a browser's answer to an offer of {@link SubscriberOfferWriter}. Pure and stateless; safe from any thread.
 *
 * <p>Checks that the answer has the offer's m-lines (same count, kinds and mids, in order), bundles every line it
 * does not reject and uses rtcp-mux on them, carries ICE credentials and a fingerprint, and chooses a DTLS role:
 * {@code a=setup:active} (the browser is the DTLS client, what JSEP recommends; a missing a=setup counts as active) or
 * {@code passive} (Prism is the client). {@code actpass} cannot answer anything and {@code holdconn} is not supported:
 * both are refused. An accepted line must keep Prism's payload type for its
 * codec and Prism's id for every extension it keeps, since the forwarder writes those constants.
 */
public final class SubscriberAnswerReader {
    private SubscriberAnswerReader() {
    }

    /**
     * @param offeredLines the lines of the offer this answers, in order
     * @throws SdpParseException   unreadable SDP (maps to {@code bad_sdp})
     * @throws NegotiationException {@code bad_sdp} when the answer does not fit the offer or Prism's rules
     */
    public static SubscriberAnswer read(String answerSdp, List<SubscriberTrackLine> offeredLines)
            throws SdpParseException, NegotiationException {
        return read(answerSdp, offeredLines, VideoCodec.VP8);
    }

    /**
     * As {@link #read(String, List)} for an offer written for a room whose video codec is {@code video}: an accepted
     * video line must keep that codec on Prism's payload type (for H.264 with packetization-mode 1 and a Constrained
     * Baseline profile-level-id), else {@code codec_unsupported}: the browser cannot receive this room's video.
     */
    public static SubscriberAnswer read(String answerSdp, List<SubscriberTrackLine> offeredLines, VideoCodec video)
            throws SdpParseException, NegotiationException {
        Objects.requireNonNull(offeredLines, "offeredLines");
        Objects.requireNonNull(video, "video");
        SessionDescription answer = SessionDescription.parse(answerSdp);
        List<MediaSection> sections = answer.media();
        if (sections.size() != offeredLines.size()) {
            throw NegotiationException.badSdp("answer has " + sections.size() + " m-lines, the offer had "
                    + offeredLines.size());
        }
        List<MediaInfo> infos = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            MediaInfo m = MediaInfo.read(sections.get(i));
            SubscriberTrackLine offered = offeredLines.get(i);
            if (m.kind() != offered.kind()) {
                throw NegotiationException.badSdp("m-line " + (i + 1) + " is " + m.section.media() + ", offered "
                        + offered.kind());
            }
            if (m.mid == null ? !m.section.isRejected() : !m.mid.equals(offered.mid())) {
                throw NegotiationException.badSdp("m-line " + (i + 1) + " has mid " + m.mid + ", offered "
                        + offered.mid());
            }
            infos.add(m);
        }
        List<String> bundle = Bundle.group(answer);
        for (MediaInfo m : infos) {
            if (m.section.isRejected()) {
                continue;
            }
            if (bundle == null || !bundle.contains(m.mid)) {
                throw NegotiationException.badSdp("mid " + m.mid + " is not in the answer's BUNDLE group");
            }
            if (!m.section.hasAttribute("rtcp-mux")) {
                throw NegotiationException.badSdp("mid " + m.mid + " has no a=rtcp-mux");
            }
        }
        MediaSection tag = bundle == null ? null : Bundle.transportSection(answer, bundle);
        if (tag == null) {
            throw NegotiationException.badSdp("answer rejects every m-line");
        }
        RemoteTransport remote = RemoteTransport.read(answer, tag, DtlsRole.ACTIVE);
        if (remote.setup() == DtlsRole.ACTPASS) {
            // Offered actpass, so the answer must choose (RFC 5763 section 5, RFC 8842 section 5.3).
            throw NegotiationException.badSdp("answer has a=setup:actpass; an answer must choose active or passive");
        }

        Map<String, MediaDescription> accepted = new LinkedHashMap<>();
        for (int i = 0; i < infos.size(); i++) {
            MediaInfo m = infos.get(i);
            SubscriberTrackLine offered = offeredLines.get(i);
            if (offered.active() && !m.section.isRejected() && m.receives()) {
                accepted.put(offered.mid(), describe(m, offered, video));
            }
        }
        return new SubscriberAnswer(remote.ice(), remote.fingerprint(), remote.setup(), accepted);
    }

    private static MediaDescription describe(MediaInfo m, SubscriberTrackLine offered, VideoCodec videoCodec)
            throws NegotiationException {
        boolean video = offered.kind() == MediaKind.VIDEO;
        int pt = video ? SubscriberOfferWriter.VP8_PT : SubscriberOfferWriter.OPUS_PT;
        MediaInfo.Codec primary = Forwarded.primary(m, offered.kind(), videoCodec);
        if (primary == null || primary.payloadType() != pt) {
            String what = "mid " + m.mid + " accepted without " + (video ? videoCodec.rtpName() : "Opus")
                    + " on payload type " + pt;
            if (video && videoCodec != VideoCodec.VP8) {
                throw NegotiationException.codecUnsupported(what
                        + ": the browser cannot receive this room's video codec");
            }
            throw NegotiationException.badSdp(what);
        }
        List<RtcpFeedback> offeredFeedback = video ? SubscriberOfferWriter.VIDEO_FEEDBACK
                : SubscriberOfferWriter.AUDIO_FEEDBACK;
        List<RtpCodec> codecs = new ArrayList<>();
        codecs.add(Forwarded.toRtpCodec(primary, intersect(primary.feedback(), offeredFeedback)));
        long rtxSsrc = 0;
        MediaInfo.Codec red = video ? null : OpusRed.redFor(m, pt);
        if (red != null && red.payloadType() == SubscriberOfferWriter.RED_PT) {
            codecs.add(Forwarded.toRtpCodec(red, List.of())); // the subscriber receives RED as it comes
        }
        if (video) {
            MediaInfo.Codec rtx = m.rtxFor(pt);
            if (rtx != null && rtx.payloadType() == SubscriberOfferWriter.VP8_RTX_PT) {
                codecs.add(Forwarded.toRtpCodec(rtx, List.of()));
                rtxSsrc = offered.rtxSsrc();
            }
        }
        List<HeaderExtension> extensions = new ArrayList<>();
        for (SdpAttributes.ExtMap e : m.extmaps) {
            int prismId = offeredExtensionId(offered.kind(), e.uri());
            if (prismId == 0 || extensions.stream().anyMatch(x -> x.uri().equals(e.uri()))) {
                continue;
            }
            if (e.id() != prismId) {
                throw NegotiationException.badSdp("mid " + m.mid + " answers extension " + e.uri() + " with id "
                        + e.id() + ", offered " + prismId);
            }
            extensions.add(new HeaderExtension(e.id(), e.uri()));
        }
        return new MediaDescription(offered.mid(), offered.kind(), codecs, extensions,
                List.of(new RtpEncoding(offered.ssrc(), rtxSsrc, null)), offered.streamId(), offered.trackId());
    }

    /** The id Prism offers for {@code uri} on lines of {@code kind}, or 0 when it does not offer it there. */
    private static int offeredExtensionId(MediaKind kind, String uri) {
        if (uri.equals(HeaderExtension.TRANSPORT_CC)) {
            return SubscriberOfferWriter.EXT_TRANSPORT_CC_ID;
        }
        if (kind == MediaKind.AUDIO && uri.equals(HeaderExtension.AUDIO_LEVEL)) {
            return SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID;
        }
        if (kind == MediaKind.VIDEO && uri.equals(HeaderExtension.ABS_SEND_TIME)) {
            return SubscriberOfferWriter.EXT_ABS_SEND_TIME_ID;
        }
        return 0;
    }

    private static List<RtcpFeedback> intersect(List<RtcpFeedback> answered, List<RtcpFeedback> offered) {
        List<RtcpFeedback> out = new ArrayList<>();
        for (RtcpFeedback f : answered) {
            if (offered.contains(f) && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
