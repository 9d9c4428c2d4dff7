package dev.prism.signaling.session;

import dev.prism.core.text.ClientText;
import dev.prism.signaling.sdp.MediaSection;
import dev.prism.signaling.sdp.SdpParseException;
import dev.prism.signaling.sdp.SessionDescription;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which m-lines of a publisher's offer the answer refused (port 0), and why, for the {@code refused} list of
 * {@code publishAnswer} (docs/PROTOCOL.md): a browser that offers only H.264 video otherwise sees its video refused
 * with nothing but {@code m=video 0} to go by. Lines the offer had already stopped (port 0) are not listed. Pure;
 * any thread.
 */
public final class PublishRefusals {
    /** Why a line was refused: a bounded set, also the metric label. */
    public static final List<String> REASONS = List.of("unsupported_codec", "unsupported_media", "not_bundled", "not_srtp");

    /** One refused line. {@code codecs}: the encodings the offer listed (client text, already made display-safe). */
    record Refused(String mid, String kind, String reason, String message) {
        JsonObject toJson() {
            return new JsonObject().put("mid", mid).put("kind", kind).put("reason", reason).put("message", message);
        }
    }

    private PublishRefusals() {
    }

    /** The refused lines of {@code answerSdp} (Prism's own, well-formed) against {@code offerSdp} (already parsed once). */
    static List<Refused> of(String offerSdp, String answerSdp) {
        SessionDescription offer;
        SessionDescription answer;
        try {
            offer = SessionDescription.parse(offerSdp);
            answer = SessionDescription.parse(answerSdp);
        } catch (SdpParseException e) {
            return List.of(); // cannot happen: both were parsed by the negotiation
        }
        Set<String> bundle = new LinkedHashSet<>();
        String group = offer.attribute("group");
        if (group != null && group.startsWith("BUNDLE")) {
            bundle.addAll(Arrays.asList(group.substring("BUNDLE".length()).trim().split("\\s+")));
        }
        List<Refused> out = new ArrayList<>();
        int n = Math.min(offer.media().size(), answer.media().size());
        for (int i = 0; i < n; i++) {
            MediaSection o = offer.media().get(i);
            if (o.isRejected() || !answer.media().get(i).isRejected()) {
                continue;
            }
            String kind = ClientText.forDisplay(ClientText.forLog(o.media()));
            String mid = o.mid() == null ? null : ClientText.forLog(o.mid());
            out.add(refused(o, kind, mid, bundle));
        }
        return out;
    }

    static JsonArray toJson(List<Refused> refused) {
        JsonArray a = new JsonArray();
        refused.forEach(r -> a.add(r.toJson()));
        return a;
    }

    private static Refused refused(MediaSection o, String kind, String mid, Set<String> bundle) {
        if (!kind.equals("audio") && !kind.equals("video")) {
            return new Refused(mid, kind, "unsupported_media", "Prism forwards audio and video only, not " + kind);
        }
        if (mid == null || !bundle.contains(o.mid())) {
            return new Refused(mid, kind, "not_bundled", "the " + kind + " line is not in the BUNDLE group");
        }
        if (!o.protocol().toUpperCase(Locale.ROOT).contains("SAVP")) {
            return new Refused(mid, kind, "not_srtp", "the " + kind + " line does not use SRTP ("
                    + ClientText.forLog(o.protocol()) + ")");
        }
        return new Refused(mid, kind, "unsupported_codec", "Prism forwards " + (kind.equals("audio") ? "Opus" : "VP8")
                + " " + kind + "; the offer has " + codecs(o));
    }

    /** The distinct encoding names of the line's a=rtpmap, RTX and FEC helpers left out; at most eight. */
    private static String codecs(MediaSection o) {
        Set<String> names = new LinkedHashSet<>();
        for (var line : o.attributes("rtpmap")) {
            String v = line.attributeValue();
            int sp = v == null ? -1 : v.indexOf(' ');
            if (sp < 0) {
                continue;
            }
            int slash = v.indexOf('/', sp);
            String name = v.substring(sp + 1, slash < 0 ? v.length() : slash);
            String upper = name.toUpperCase(Locale.ROOT);
            if (!upper.equals("RTX") && !upper.equals("RED") && !upper.equals("ULPFEC") && !upper.equals("FLEXFEC-03")
                    && names.size() < 8) {
                names.add(ClientText.forLog(name));
            }
        }
        return names.isEmpty() ? "no codec" : String.join(", ", names);
    }
}
