package dev.prism.server;

import dev.prism.core.rtp.VideoCodec;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Turns the configured video codec names ({@link dev.prism.core.config.PrismConfig#videoCodecs()}, checked) into codecs. */
final class VideoCodecs {
    private VideoCodecs() {
    }

    /** The first named: a new room's codec when its first join asks for none, or for one not allowed. */
    static VideoCodec defaultOf(List<String> names) {
        return VideoCodec.fromWire(names.get(0));
    }

    /** Every codec named. */
    static Set<VideoCodec> allowed(List<String> names) {
        Set<VideoCodec> out = EnumSet.noneOf(VideoCodec.class);
        for (String n : names) {
            out.add(VideoCodec.fromWire(n));
        }
        return out;
    }
}
