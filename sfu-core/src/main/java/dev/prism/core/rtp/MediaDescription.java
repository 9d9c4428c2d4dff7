package dev.prism.core.rtp;

import java.util.List;

/**
 * What one m-line carries once negotiated, independent of SDP text: mid, kind, codecs (primary first, RTX after),
 * header extensions, the RTP streams (encodings), the media stream / track ids from {@code a=msid}, and the
 * direction from Prism's point of view ({@code sending} = Prism sends on this m-line).
 */
public record MediaDescription(String mid, MediaKind kind, List<RtpCodec> codecs, List<HeaderExtension> extensions,
                               List<RtpEncoding> encodings, String streamId, String trackId) {
    public MediaDescription {
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
        encodings = List.copyOf(encodings);
    }

    /** The first non-RTX codec, or null. */
    public RtpCodec primaryCodec() {
        for (RtpCodec c : codecs) {
            if (!c.isRtx()) {
                return c;
            }
        }
        return null;
    }

    /** The RTX codec repairing {@code payloadType}, or null. */
    public RtpCodec rtxFor(int payloadType) {
        for (RtpCodec c : codecs) {
            if (c.isRtx() && c.associatedPayloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }

    /** The id negotiated for {@code uri}, or 0 when it was not negotiated. */
    public int extensionId(String uri) {
        for (HeaderExtension e : extensions) {
            if (e.uri().equals(uri)) {
                return e.id();
            }
        }
        return 0;
    }
}
