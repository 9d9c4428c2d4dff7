package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.RtcpFeedback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Readers for the attribute values Prism interprets. Each takes the {@code a=} line and throws
 * {@link SdpParseException} naming that line when the value is malformed; none throws anything else.
 */
final class SdpAttributes {
    private SdpAttributes() {
    }

    /** {@code a=rtpmap:<pt> <name>/<clock>[/<channels>]}. */
    record RtpMap(int payloadType, String name, int clockRate, int channels) {
    }

    /** {@code a=fmtp:<pt> <params>}; {@code params} as written, {@code parameters} split at ';' and '='. */
    record Fmtp(int payloadType, String params, Map<String, String> parameters) {
    }

    /** {@code a=rtcp-fb:<pt|*> <type> [<param>]}; payloadType -1 for "*". */
    record RtcpFb(int payloadType, RtcpFeedback feedback) {
    }

    /** {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}; direction null when absent. */
    record ExtMap(int id, String direction, String uri) {
    }

    /** {@code a=ssrc:<ssrc> <attribute>[:<value>]}. */
    record Ssrc(long ssrc, String attribute, String value) {
    }

    /** {@code a=ssrc-group:<semantics> <ssrc> ...}. */
    record SsrcGroup(String semantics, List<Long> ssrcs) {
    }

    /** {@code a=rid:<id> <send|recv> [<restrictions>]}. */
    record Rid(String id, String direction) {
    }

    /** {@code a=msid:<stream> [<track>]}; track null when absent. */
    record Msid(String streamId, String trackId) {
    }

    static final int MAX_PAYLOAD_TYPE = 127;
    /** RFC 8285: 1-14 one-byte, 1-255 two-byte, 4096-4351 only for negotiation. */
    static final int MAX_EXTMAP_ID = 4351;

    static RtpMap rtpmap(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, 2);
        int pt = payloadType(line, t.get(0));
        String[] enc = t.get(1).split("/", -1);
        if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
            throw bad(line, "encoding must be <name>/<clock rate>[/<channels>]");
        }
        long clock = Tokens.parseUnsigned(enc[1], Integer.MAX_VALUE);
        long channels = enc.length == 3 ? Tokens.parseUnsigned(enc[2], 255) : 1;
        if (clock < 1 || channels < 1) {
            throw bad(line, "bad clock rate or channel count");
        }
        return new RtpMap(pt, enc[0], (int) clock, (int) channels);
    }

    static Fmtp fmtp(SdpLine line) throws SdpParseException {
        String v = value(line);
        int sp = firstBlank(v);
        if (sp < 0) {
            throw bad(line, "expected '<payload type> <parameters>'");
        }
        int pt = payloadType(line, v.substring(0, sp));
        String params = v.substring(sp + 1).strip();
        Map<String, String> map = new LinkedHashMap<>();
        for (String p : params.split(";")) {
            String kv = p.strip();
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            // Valueless parameters (RED's "111/111") are kept with an empty value.
            map.putIfAbsent(eq < 0 ? kv : kv.substring(0, eq).strip(), eq < 0 ? "" : kv.substring(eq + 1).strip());
        }
        return new Fmtp(pt, params, Collections.unmodifiableMap(map));
    }

    static RtcpFb rtcpFb(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, 3);
        int pt = t.get(0).equals("*") ? -1 : payloadType(line, t.get(0));
        return new RtcpFb(pt, new RtcpFeedback(t.get(1), t.size() == 3 ? t.get(2) : ""));
    }

    static ExtMap extmap(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, Integer.MAX_VALUE);
        String idToken = t.get(0);
        String direction = null;
        int slash = idToken.indexOf('/');
        if (slash >= 0) {
            direction = idToken.substring(slash + 1);
            idToken = idToken.substring(0, slash);
            if (!isDirection(direction)) {
                throw bad(line, "bad extmap direction '" + Tokens.snippet(direction) + "'");
            }
        }
        long id = Tokens.parseUnsigned(idToken, MAX_EXTMAP_ID);
        if (id < 1) {
            throw bad(line, "extmap id must be 1.." + MAX_EXTMAP_ID);
        }
        return new ExtMap((int) id, direction, t.get(1));
    }

    static Ssrc ssrc(SdpLine line) throws SdpParseException {
        String v = value(line);
        int sp = firstBlank(v);
        long ssrc = Tokens.parseSsrc(sp < 0 ? v : v.substring(0, sp));
        if (ssrc < 0) {
            throw bad(line, "bad SSRC");
        }
        if (sp < 0) {
            throw bad(line, "expected '<ssrc> <attribute>[:<value>]'");
        }
        String rest = v.substring(sp + 1).strip();
        int colon = rest.indexOf(':');
        String attribute = colon < 0 ? rest : rest.substring(0, colon);
        if (attribute.isEmpty()) {
            throw bad(line, "SSRC attribute without a name");
        }
        return new Ssrc(ssrc, attribute, colon < 0 ? null : rest.substring(colon + 1));
    }

    static SsrcGroup ssrcGroup(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, 64);
        List<Long> ssrcs = new ArrayList<>(t.size() - 1);
        for (String s : t.subList(1, t.size())) {
            long ssrc = Tokens.parseSsrc(s);
            if (ssrc < 0) {
                throw bad(line, "bad SSRC '" + Tokens.snippet(s) + "'");
            }
            ssrcs.add(ssrc);
        }
        return new SsrcGroup(t.get(0), List.copyOf(ssrcs));
    }

    static Rid rid(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, 3);
        String dir = t.get(1);
        if (!dir.equals("send") && !dir.equals("recv")) {
            throw bad(line, "rid direction must be send or recv");
        }
        return new Rid(t.get(0), dir);
    }

    /**
     * The rids of the send direction of {@code a=simulcast}, first alternative of each stream, without the "~"
     * (paused) prefix. Empty when there is no send direction.
     */
    static List<String> simulcastSend(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, 4);
        if (t.size() % 2 != 0) {
            throw bad(line, "expected '<send|recv> <streams>' pairs");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i += 2) {
            String dir = t.get(i);
            if (!dir.equals("send") && !dir.equals("recv")) {
                throw bad(line, "simulcast direction must be send or recv");
            }
            if (!dir.equals("send")) {
                continue;
            }
            String streams = t.get(i + 1);
            // Older drafts (and old Firefox) wrote "send rid=a;b".
            if (streams.startsWith("rid=")) {
                streams = streams.substring(4);
            }
            for (String stream : streams.split(";")) {
                String firstAlt = stream.split(",", -1)[0]; // "," alone: an empty first alternative, refused below
                if (firstAlt.startsWith("~")) {
                    firstAlt = firstAlt.substring(1);
                }
                if (firstAlt.isEmpty()) {
                    throw bad(line, "empty rid in simulcast list");
                }
                out.add(firstAlt);
            }
        }
        return out;
    }

    static Msid msid(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 1, 2);
        return new Msid(t.get(0), t.size() == 2 ? t.get(1) : null);
    }

    static DtlsFingerprint fingerprint(SdpLine line) throws SdpParseException {
        List<String> t = tokens(line, 2, 2);
        String hex = t.get(1);
        if (!hex.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+")) {
            throw bad(line, "fingerprint must be colon-separated hex bytes");
        }
        return new DtlsFingerprint(t.get(0).toLowerCase(Locale.ROOT), hex.toUpperCase(Locale.ROOT));
    }

    static DtlsRole setup(SdpLine line) throws SdpParseException {
        String v = value(line).strip();
        return switch (v) {
            case "active", "passive", "actpass" -> DtlsRole.fromSdp(v);
            default -> throw bad(line, "unsupported a=setup value '" + Tokens.snippet(v) + "'");
        };
    }

    static boolean isDirection(String s) {
        return s.equals("sendrecv") || s.equals("sendonly") || s.equals("recvonly") || s.equals("inactive");
    }

    private static String value(SdpLine line) throws SdpParseException {
        String v = line.attributeValue();
        if (v == null || v.isBlank()) {
            throw bad(line, "missing value");
        }
        return v;
    }

    private static List<String> tokens(SdpLine line, int min, int max) throws SdpParseException {
        List<String> t = Tokens.split(value(line));
        if (t.size() < min || t.size() > max) {
            throw bad(line, max == Integer.MAX_VALUE
                    ? "expected at least " + min + " fields"
                    : min == max ? "expected " + min + " fields" : "expected " + min + " to " + max + " fields");
        }
        return t;
    }

    private static int payloadType(SdpLine line, String s) throws SdpParseException {
        long pt = Tokens.parseUnsigned(s, MAX_PAYLOAD_TYPE);
        if (pt < 0) {
            throw bad(line, "bad payload type '" + Tokens.snippet(s) + "'");
        }
        return (int) pt;
    }

    private static int firstBlank(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == ' ' || v.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    private static SdpParseException bad(SdpLine line, String problem) {
        return new SdpParseException(line.number(),
                "a=" + line.attributeName() + ": " + problem + " in '" + Tokens.snippet(line.toString()) + "'");
    }
}
