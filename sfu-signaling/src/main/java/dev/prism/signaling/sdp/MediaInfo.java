package dev.prism.signaling.sdp;

import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtcpFeedback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interpreted content of one media section: codecs in m= line order (with their fmtp and rtcp-fb), header
 * extensions, direction, SSRCs and groups, rids, msid. Reading it validates every interpreted attribute, so a
 * malformed one surfaces as an {@link SdpParseException} naming its line.
 */
final class MediaInfo {
    /** One payload type with an rtpmap; {@code fmtp} null when there is none. */
    record Codec(SdpAttributes.RtpMap rtpmap, SdpAttributes.Fmtp fmtp, List<RtcpFeedback> feedback) {
        int payloadType() {
            return rtpmap.payloadType();
        }

        boolean is(String name, int clockRate) {
            return rtpmap.name().equalsIgnoreCase(name) && rtpmap.clockRate() == clockRate;
        }

        /** For RTX, the associated payload type; -1 when absent or unreadable. */
        int apt() {
            String apt = fmtp == null ? null : fmtp.parameters().get("apt");
            return apt == null ? -1 : (int) Tokens.parseUnsigned(apt, SdpAttributes.MAX_PAYLOAD_TYPE);
        }
    }

    final MediaSection section;
    final String mid;
    /** "sendrecv" when no direction attribute is present. */
    final String direction;
    final List<Codec> codecs;
    final List<SdpAttributes.ExtMap> extmaps;
    final List<SdpAttributes.Ssrc> ssrcs;
    final List<SdpAttributes.SsrcGroup> ssrcGroups;
    final List<SdpAttributes.Rid> rids;
    /** Send-direction rids of a=simulcast, in order; empty without a=simulcast. */
    final List<String> simulcastSend;
    /** Media-level a=msid, or null. */
    final SdpAttributes.Msid msid;

    private MediaInfo(MediaSection section, String mid, String direction, List<Codec> codecs,
                      List<SdpAttributes.ExtMap> extmaps, List<SdpAttributes.Ssrc> ssrcs,
                      List<SdpAttributes.SsrcGroup> ssrcGroups, List<SdpAttributes.Rid> rids,
                      List<String> simulcastSend, SdpAttributes.Msid msid) {
        this.section = section;
        this.mid = mid;
        this.direction = direction;
        this.codecs = codecs;
        this.extmaps = extmaps;
        this.ssrcs = ssrcs;
        this.ssrcGroups = ssrcGroups;
        this.rids = rids;
        this.simulcastSend = simulcastSend;
        this.msid = msid;
    }

    static MediaInfo read(MediaSection s) throws SdpParseException {
        String mid = null;
        String direction = null;
        SdpAttributes.Msid msid = null;
        Map<Integer, SdpAttributes.RtpMap> rtpmaps = new HashMap<>();
        Map<Integer, SdpAttributes.Fmtp> fmtps = new HashMap<>();
        Map<Integer, List<RtcpFeedback>> feedback = new HashMap<>();
        List<RtcpFeedback> wildcardFeedback = new ArrayList<>();
        List<SdpAttributes.ExtMap> extmaps = new ArrayList<>();
        List<SdpAttributes.Ssrc> ssrcs = new ArrayList<>();
        List<SdpAttributes.SsrcGroup> groups = new ArrayList<>();
        List<SdpAttributes.Rid> rids = new ArrayList<>();
        List<String> simulcast = List.of();
        for (SdpLine l : s.attributes()) {
            switch (l.attributeName()) {
                case "mid" -> {
                    String v = l.attributeValue() == null ? "" : l.attributeValue().strip();
                    if (v.isEmpty() || Tokens.split(v).size() != 1) {
                        throw new SdpParseException(l.number(), "a=mid needs one token");
                    }
                    if (mid != null) {
                        throw new SdpParseException(l.number(), "second a=mid in one media section");
                    }
                    mid = v;
                }
                case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                    if (direction == null) {
                        direction = l.attributeName();
                    }
                }
                case "rtpmap" -> {
                    SdpAttributes.RtpMap m = SdpAttributes.rtpmap(l);
                    rtpmaps.putIfAbsent(m.payloadType(), m);
                }
                case "fmtp" -> {
                    SdpAttributes.Fmtp f = SdpAttributes.fmtp(l);
                    fmtps.putIfAbsent(f.payloadType(), f);
                }
                case "rtcp-fb" -> {
                    SdpAttributes.RtcpFb fb = SdpAttributes.rtcpFb(l);
                    if (fb.payloadType() < 0) {
                        wildcardFeedback.add(fb.feedback());
                    } else {
                        feedback.computeIfAbsent(fb.payloadType(), k -> new ArrayList<>()).add(fb.feedback());
                    }
                }
                case "extmap" -> extmaps.add(SdpAttributes.extmap(l));
                case "ssrc" -> ssrcs.add(SdpAttributes.ssrc(l));
                case "ssrc-group" -> groups.add(SdpAttributes.ssrcGroup(l));
                case "rid" -> rids.add(SdpAttributes.rid(l));
                case "simulcast" -> simulcast = SdpAttributes.simulcastSend(l);
                case "msid" -> {
                    if (msid == null) {
                        msid = SdpAttributes.msid(l);
                    }
                }
                default -> {
                    // Not interpreted by Prism.
                }
            }
        }
        List<Codec> codecs = new ArrayList<>();
        for (String format : s.formats()) {
            long pt = Tokens.parseUnsigned(format, SdpAttributes.MAX_PAYLOAD_TYPE);
            SdpAttributes.RtpMap map = pt < 0 ? null : rtpmaps.get((int) pt);
            if (map == null) {
                continue; // static payload types without rtpmap, or non-RTP formats: nothing Prism forwards
            }
            List<RtcpFeedback> fb = new ArrayList<>(feedback.getOrDefault(map.payloadType(), List.of()));
            for (RtcpFeedback w : wildcardFeedback) {
                if (!fb.contains(w)) {
                    fb.add(w);
                }
            }
            codecs.add(new Codec(map, fmtps.get(map.payloadType()), List.copyOf(fb)));
        }
        return new MediaInfo(s, mid, direction == null ? "sendrecv" : direction, List.copyOf(codecs),
                List.copyOf(extmaps), List.copyOf(ssrcs), List.copyOf(groups), List.copyOf(rids),
                List.copyOf(simulcast), msid);
    }

    /** AUDIO or VIDEO, or null for any other media. */
    MediaKind kind() {
        return switch (section.media()) {
            case "audio" -> MediaKind.AUDIO;
            case "video" -> MediaKind.VIDEO;
            default -> null;
        };
    }

    /** True for RTP profiles with DTLS-SRTP and feedback (UDP/TLS/RTP/SAVPF and friends). */
    boolean isSecureRtp() {
        return section.protocol().toUpperCase(java.util.Locale.ROOT).endsWith("RTP/SAVPF");
    }

    /** The first codec with this name and clock rate, or null. */
    Codec codec(String name, int clockRate) {
        for (Codec c : codecs) {
            if (c.is(name, clockRate)) {
                return c;
            }
        }
        return null;
    }

    /** The first RTX codec whose apt is {@code payloadType}, or null. */
    Codec rtxFor(int payloadType) {
        for (Codec c : codecs) {
            if (c.is("rtx", c.rtpmap().clockRate()) && c.apt() == payloadType) {
                return c;
            }
        }
        return null;
    }

    boolean sends() {
        return direction.equals("sendonly") || direction.equals("sendrecv");
    }

    boolean receives() {
        return direction.equals("recvonly") || direction.equals("sendrecv");
    }
}
