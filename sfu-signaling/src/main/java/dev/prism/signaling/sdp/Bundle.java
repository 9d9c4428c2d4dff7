package dev.prism.signaling.sdp;

import java.util.List;

/** BUNDLE group helpers (RFC 8843). */
final class Bundle {
    private Bundle() {
    }

    /** The mids of the first session-level a=group:BUNDLE, or null when there is none. */
    static List<String> group(SessionDescription sd) {
        for (SdpLine l : sd.attributes("group")) {
            List<String> t = l.attributeValue() == null ? List.of() : Tokens.split(l.attributeValue());
            if (!t.isEmpty() && t.get(0).equals("BUNDLE")) {
                return List.copyOf(t.subList(1, t.size()));
            }
        }
        return null;
    }

    /**
     * The section whose transport the bundle uses: the first mid of the group (the BUNDLE tag) when that section is
     * not rejected, else the first non-rejected section named by the group; null when there is none.
     */
    static MediaSection transportSection(SessionDescription sd, List<String> group) {
        for (String mid : group) {
            for (MediaSection m : sd.media()) {
                if (mid.equals(m.mid()) && !m.isRejected()) {
                    return m;
                }
            }
        }
        return null;
    }
}
