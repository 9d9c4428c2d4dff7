package dev.prism.signaling.sdp;

import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.VideoCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What Prism forwards, in SDP terms: the codecs, the RTCP feedback and the header extensions it keeps. */
final class Forwarded {
    private Forwarded() {
    }

    static final String OPUS = "opus";
    static final int OPUS_CLOCK = 48000;
    static final String VP8 = "VP8";
    static final int VP8_CLOCK = 90000;
    static final String RTX = "rtx";
    static final String H264 = "H264";
    /**
     * The H.264 format Prism offers subscribers: Constrained Baseline level 3.1, non-interleaved packetization, and
     * levels may differ per direction (the publisher's encoder picks its own level; see {@link H264ProfileLevelId}).
     */
    static final String H264_FMTP = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

    /** RTCP feedback Prism understands (as receiver on publish, as sender on subscribe). */
    static final List<RtcpFeedback> FEEDBACK = List.of(
            new RtcpFeedback("nack", ""),
            new RtcpFeedback("nack", "pli"),
            new RtcpFeedback("ccm", "fir"),
            new RtcpFeedback("goog-remb", ""),
            new RtcpFeedback("transport-cc", ""));

    /** Header extensions kept from a publisher's offer, with the offerer's ids. */
    static final List<String> EXTENSIONS = List.of(
            HeaderExtension.SDES_MID,
            HeaderExtension.SDES_RID,
            HeaderExtension.SDES_REPAIRED_RID,
            HeaderExtension.AUDIO_LEVEL,
            HeaderExtension.ABS_SEND_TIME,
            HeaderExtension.TRANSPORT_CC);

    /** Largest extension id usable in RTP packets (two-byte form). */
    static final int MAX_RTP_EXTENSION_ID = 255;

    /** The primary codec Prism forwards for {@code kind} in this section of a VP8 room, or null. */
    static MediaInfo.Codec primary(MediaInfo m, MediaKind kind) {
        return primary(m, kind, VideoCodec.VP8);
    }

    /**
     * The primary codec Prism forwards for {@code kind} in this section of a room whose video codec is {@code video},
     * or null: Opus for audio; for video the first VP8, or the first H.264 that
     * {@link H264ProfileLevelId#isForwardable}.
     */
    static MediaInfo.Codec primary(MediaInfo m, MediaKind kind, VideoCodec video) {
        if (kind == MediaKind.AUDIO) {
            return m.codec(OPUS, OPUS_CLOCK);
        }
        if (video != VideoCodec.H264) {
            return m.codec(VP8, VP8_CLOCK);
        }
        for (MediaInfo.Codec c : m.codecs) {
            if (c.is(H264, VP8_CLOCK)
                    && H264ProfileLevelId.isForwardable(c.fmtp() == null ? Map.of() : c.fmtp().parameters())) {
                return c;
            }
        }
        return null;
    }

    /** The entries of {@code offered} that Prism keeps, in offered order, without duplicates. */
    static List<RtcpFeedback> keptFeedback(List<RtcpFeedback> offered) {
        List<RtcpFeedback> out = new ArrayList<>();
        for (RtcpFeedback f : offered) {
            if (FEEDBACK.contains(f) && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The domain codec for an SDP codec with the given (already filtered) feedback. */
    static RtpCodec toRtpCodec(MediaInfo.Codec c, List<RtcpFeedback> feedback) {
        Map<String, String> fmtp = c.fmtp() == null ? Map.of() : c.fmtp().parameters();
        return new RtpCodec(c.payloadType(), c.rtpmap().name(), c.rtpmap().clockRate(), c.rtpmap().channels(), fmtp,
                feedback);
    }
}
