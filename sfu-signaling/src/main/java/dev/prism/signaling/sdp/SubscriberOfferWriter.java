package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.VideoCodec;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the offer of a subscriber connection, where Prism sends and the browser receives. Pure and stateless; safe
 * from any thread.
 *
 * <p>Prism offers a fixed codec set and fixed header extension ids, so the forwarder can rewrite every outgoing packet
 * to these constants (the payload types and ids of the publisher are not the subscriber's):
 * <ul>
 *   <li>audio: Opus PT {@value #OPUS_PT} 48000/2, fmtp {@value #OPUS_FMTP}, rtcp-fb transport-cc, then RED PT
 *       {@value #RED_PT} red/48000/2 fmtp {@code 111/111} (RFC 2198; see {@code OpusRed}); extensions
 *       ssrc-audio-level id {@value #EXT_AUDIO_LEVEL_ID}, transport-wide-cc id {@value #EXT_TRANSPORT_CC_ID};</li>
 *   <li>video: VP8 PT {@value #VP8_PT} with rtcp-fb goog-remb, transport-cc, ccm fir, nack, nack pli; RTX PT
 *       {@value #VP8_RTX_PT} apt={@value #VP8_PT}; extensions abs-send-time id {@value #EXT_ABS_SEND_TIME_ID},
 *       transport-wide-cc id {@value #EXT_TRANSPORT_CC_ID}.</li>
 * </ul>
 * Each active line is {@code sendonly} with {@code a=msid}, {@code a=ssrc} (cname = stream id, msid) and, for video
 * with an RTX SSRC, {@code a=ssrc-group:FID}. Inactive lines keep their port and codecs, say {@code a=inactive}
 * and stay in the BUNDLE group, as Chrome expects of bundled lines that are not rejected. Session: ICE-lite,
 * a=setup:actpass (the browser answers active, Prism stays the DTLS server), rtcp-mux, rtcp-rsize, candidates then
 * end-of-candidates. No mid header extension is offered: every stream's SSRC is signalled, which is enough to demux.
 */
public final class SubscriberOfferWriter {
    private SubscriberOfferWriter() {
    }

    public static final int OPUS_PT = 111;
    public static final String OPUS_FMTP = "minptime=10;useinbandfec=1;" + OpusRed.DTX;
    /** Audio RED (RFC 2198) of Opus, offered after Opus; a subscriber that keeps it receives RED packets. */
    public static final int RED_PT = OpusRed.SUBSCRIBER_RED_PT;
    public static final int VP8_PT = 96;
    public static final int VP8_RTX_PT = 97;

    /** urn:ietf:params:rtp-hdrext:ssrc-audio-level, audio lines. */
    public static final int EXT_AUDIO_LEVEL_ID = 1;
    /** abs-send-time, video lines (REMB needs it). */
    public static final int EXT_ABS_SEND_TIME_ID = 2;
    /** transport-wide-cc-01, audio and video lines: Prism's send-side bandwidth estimation. */
    public static final int EXT_TRANSPORT_CC_ID = 3;

    static final List<RtcpFeedback> AUDIO_FEEDBACK = List.of(new RtcpFeedback("transport-cc", ""));
    static final List<RtcpFeedback> VIDEO_FEEDBACK = List.of(
            new RtcpFeedback("goog-remb", ""),
            new RtcpFeedback("transport-cc", ""),
            new RtcpFeedback("ccm", "fir"),
            new RtcpFeedback("nack", ""),
            new RtcpFeedback("nack", "pli"));

    /**
     * @param lines          every m-line of the connection in order, active and inactive; must not be empty: an offer
     *                       without m-lines sets up nothing, so the caller must not send one before the first track
     * @param sessionVersion the o= version, increased by the caller with each offer on this connection
     * @return SDP text with CRLF line ends
     * @throws IllegalArgumentException when {@code lines} is empty, mids repeat, or the version is negative
     */
    public static String offer(List<SubscriberTrackLine> lines, LocalTransportInfo local, long sessionVersion) {
        return offer(lines, local, sessionVersion, VideoCodec.VP8);
    }

    /**
     * As {@link #offer(List, LocalTransportInfo, long)} for a room whose video codec is {@code video}: video lines
     * offer that codec alone on payload type {@value #VP8_PT} (the forwarder writes one video payload type whatever
     * the codec), with its RTX on {@value #VP8_RTX_PT}; H.264 as {@code Forwarded.H264_FMTP} (Constrained Baseline,
     * packetization-mode 1).
     */
    public static String offer(List<SubscriberTrackLine> lines, LocalTransportInfo local, long sessionVersion,
                               VideoCodec video) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(video, "video");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a subscriber offer needs at least one m-line; do not offer before "
                    + "the first track");
        }
        if (sessionVersion < 0) {
            throw new IllegalArgumentException("negative session version " + sessionVersion);
        }
        Set<String> mids = new HashSet<>();
        Set<String> streams = new LinkedHashSet<>();
        for (SubscriberTrackLine l : lines) {
            if (!mids.add(l.mid())) {
                throw new IllegalArgumentException("mid " + l.mid() + " used twice");
            }
            if (l.active()) {
                streams.add(l.streamId());
            }
        }
        StringBuilder bundle = new StringBuilder("BUNDLE");
        for (SubscriberTrackLine l : lines) {
            bundle.append(' ').append(l.mid());
        }
        StringBuilder wms = new StringBuilder(" WMS");
        for (String s : streams) {
            wms.append(' ').append(s);
        }
        SessionDescription.Builder sd = LocalLines.sessionHeader(local, sessionVersion)
                .attribute("group", bundle.toString())
                .attribute("msid-semantic", wms.toString());
        for (SubscriberTrackLine l : lines) {
            sd.media(section(l, local, video));
        }
        return sd.build().write();
    }

    private static MediaSection section(SubscriberTrackLine l, LocalTransportInfo local, VideoCodec codec) {
        boolean video = l.kind() == MediaKind.VIDEO;
        List<String> pts = video ? List.of(Integer.toString(VP8_PT), Integer.toString(VP8_RTX_PT))
                : List.of(Integer.toString(OPUS_PT), Integer.toString(RED_PT));
        MediaSection.Builder b = MediaSection.builder(l.kind().sdpName(), LocalLines.port(local),
                        LocalLines.PROTOCOL, pts)
                .line('c', LocalLines.connection(local));
        LocalLines.transport(b, local, DtlsRole.ACTPASS);
        b.attribute("mid", l.mid());
        if (video) {
            b.attribute("extmap", EXT_ABS_SEND_TIME_ID + " " + HeaderExtension.ABS_SEND_TIME);
        } else {
            b.attribute("extmap", EXT_AUDIO_LEVEL_ID + " " + HeaderExtension.AUDIO_LEVEL);
        }
        b.attribute("extmap", EXT_TRANSPORT_CC_ID + " " + HeaderExtension.TRANSPORT_CC);
        String msid = l.streamId() + " " + l.trackId();
        if (l.active()) {
            b.flag("sendonly").attribute("msid", msid);
        } else {
            b.flag("inactive");
        }
        b.flag("rtcp-mux").flag("rtcp-rsize");
        if (video) {
            CodecLines.write(b, VP8_PT, codec.rtpName(), Forwarded.VP8_CLOCK, 1, VIDEO_FEEDBACK,
                    codec == VideoCodec.H264 ? Forwarded.H264_FMTP : null);
            CodecLines.write(b, VP8_RTX_PT, Forwarded.RTX, Forwarded.VP8_CLOCK, 1, List.of(), "apt=" + VP8_PT);
        } else {
            CodecLines.write(b, OPUS_PT, Forwarded.OPUS, Forwarded.OPUS_CLOCK, 2, AUDIO_FEEDBACK, OPUS_FMTP);
            CodecLines.write(b, RED_PT, OpusRed.RED, Forwarded.OPUS_CLOCK, 2, List.of(), OPUS_PT + "/" + OPUS_PT);
        }
        if (l.active()) {
            boolean rtx = video && l.rtxSsrc() != 0;
            if (rtx) {
                b.attribute("ssrc-group", "FID " + l.ssrc() + " " + l.rtxSsrc());
            }
            ssrc(b, l.ssrc(), l.streamId(), msid);
            if (rtx) {
                ssrc(b, l.rtxSsrc(), l.streamId(), msid);
            }
        }
        LocalLines.candidates(b, local);
        return b.build();
    }

    private static void ssrc(MediaSection.Builder b, long ssrc, String cname, String msid) {
        b.attribute("ssrc", ssrc + " cname:" + cname);
        b.attribute("ssrc", ssrc + " msid:" + msid);
    }
}
