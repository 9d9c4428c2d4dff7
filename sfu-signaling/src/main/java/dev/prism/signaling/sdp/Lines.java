package dev.prism.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/** Attribute look-ups shared by the session level and media sections: a view over a list of lines. */
final class Lines {
    private Lines() {
    }

    static List<SdpLine> attributes(List<SdpLine> lines) {
        List<SdpLine> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.isAttribute()) {
                out.add(l);
            }
        }
        return List.copyOf(out);
    }

    static List<SdpLine> attributes(List<SdpLine> lines, String name) {
        List<SdpLine> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.isAttribute() && l.attributeName().equals(name)) {
                out.add(l);
            }
        }
        return List.copyOf(out);
    }

    static SdpLine firstAttribute(List<SdpLine> lines, String name) {
        for (SdpLine l : lines) {
            if (l.isAttribute() && l.attributeName().equals(name)) {
                return l;
            }
        }
        return null;
    }

    static SdpLine first(List<SdpLine> lines, char type) {
        for (SdpLine l : lines) {
            if (l.type() == type) {
                return l;
            }
        }
        return null;
    }
}
