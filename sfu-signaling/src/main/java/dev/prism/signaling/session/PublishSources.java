package dev.prism.signaling.session;

import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.room.TrackSource;
import dev.prism.core.text.ClientText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code tracks} of a {@code publishOffer} (docs/PROTOCOL.md): which source each m-line carries (microphone,
 * camera, screen, screen_audio). Pure functions of the client's message; every rejection is a {@link SignalingError}
 * with code {@code bad_source} (one bounded metric label), and nothing of the offer is applied.
 *
 * <p>A source must match its m-line's kind: {@code screen} and {@code camera} are video, {@code screen_audio} and
 * {@code microphone} audio. An m-line the client does not declare gets microphone or camera by its kind.
 */
final class PublishSources {
    static final String CODE = "bad_source";
    /** More entries than m-lines an offer may carry is never a real client. */
    static final int MAX_ENTRIES = SessionLimits.MAX_MEDIA_SECTIONS;
    private static final int MAX_ECHOED_CHARS = 32;

    private PublishSources() {
    }

    /**
     * Reads {@code msg.tracks}: absent means no declarations.
     *
     * @return mid -> source, for the m-lines the client declared
     * @throws SignalingError {@code bad_source} when {@code tracks} is not an array of {@code {mid, source}} objects,
     *                        names a source the protocol does not know, or declares a mid twice
     */
    static Map<String, TrackSource> parse(JsonObject msg) throws SignalingError {
        Object raw = msg.getValue("tracks");
        Map<String, TrackSource> sources = new HashMap<>();
        if (raw == null) {
            return sources;
        }
        if (!(raw instanceof JsonArray declared)) {
            throw new SignalingError(CODE, "field 'tracks' must be an array of {mid, source}");
        }
        if (declared.size() > MAX_ENTRIES) {
            throw new SignalingError(CODE, "field 'tracks' lists " + declared.size() + " entries; at most "
                    + MAX_ENTRIES);
        }
        for (Object o : declared) {
            if (!(o instanceof JsonObject d) || !(d.getValue("mid") instanceof String mid) || mid.isEmpty()) {
                throw new SignalingError(CODE, "each entry of 'tracks' needs a non-empty string 'mid'");
            }
            TrackSource source = sourceOf(d.getValue("source"), mid);
            if (source != null && sources.put(mid, source) != null) {
                throw new SignalingError(CODE, "mid '" + echo(mid) + "' is declared twice in 'tracks'");
            }
        }
        return sources;
    }

    /**
     * Checks each declared source against the kind of the m-line the answer accepted (a declaration for an m-line
     * the offer does not carry, or one refused, is ignored).
     *
     * @throws SignalingError {@code bad_source} when a source names the other kind (e.g. {@code screen} on audio)
     */
    static void checkKinds(Map<String, TrackSource> sources, Collection<MediaDescription> accepted)
            throws SignalingError {
        for (MediaDescription d : accepted) {
            TrackSource s = sources.get(d.mid());
            if (s != null && kindOf(s) != d.kind()) {
                throw new SignalingError(CODE, "mid '" + echo(d.mid()) + "' is " + d.kind().sdpName()
                        + " but is declared as source '" + s.wireName() + "'");
            }
        }
    }

    /** The media kind a source must be sent as. */
    static MediaKind kindOf(TrackSource s) {
        return s == TrackSource.MICROPHONE || s == TrackSource.SCREEN_AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
    }

    /** null when the entry leaves the source out (the default by kind applies). */
    private static TrackSource sourceOf(Object value, String mid) throws SignalingError {
        if (value == null) {
            return null;
        }
        TrackSource s = value instanceof String name ? TrackSource.fromWire(name) : TrackSource.UNKNOWN;
        if (s == TrackSource.UNKNOWN) {
            throw new SignalingError(CODE, "mid '" + echo(mid) + "': unknown source '" + echo(String.valueOf(value))
                    + "'; expected microphone, camera, screen or screen_audio");
        }
        return s;
    }

    private static String echo(String clientText) {
        String s = clientText.length() > MAX_ECHOED_CHARS ? clientText.substring(0, MAX_ECHOED_CHARS) + "..."
                : clientText;
        return ClientText.forLog(s);
    }
}
