package dev.prism.sdk;

import java.util.List;
import java.util.Map;

/**
 * A participant as the server API shows it (docs/API.md, "Participants").
 *
 * @param identity    its identity (the token's {@code sub})
 * @param name        its display name
 * @param permissions its grants now
 * @param metadata    its metadata, or null
 * @param tracks      its published tracks
 * @param json        the whole answer, for fields without an accessor
 */
public record Participant(String identity, String name, Permissions permissions, String metadata, List<Track> tracks,
                          Map<String, Object> json) {

    /** A participant's grants. */
    public record Permissions(boolean canPublish, boolean canSubscribe, boolean canData) {
    }

    /**
     * A published track.
     *
     * @param id     its id, e.g. {@code alice:0} (the path segment of {@link PrismApi#muteTrack})
     * @param kind   {@code audio} or {@code video}
     * @param source {@code microphone}, {@code camera}, {@code screen}, {@code screen_audio} or {@code unknown}
     * @param muted  muted by its publisher or the server
     */
    public record Track(String id, String kind, String source, boolean muted) {
    }

    static Participant from(Object value) {
        Map<String, Object> m = Views.object(value, "participant");
        Map<String, Object> p = m.get("permissions") == null ? Map.of() : Views.object(m.get("permissions"),
                "permissions");
        Permissions permissions = new Permissions(Views.bool(p, "canPublish", true),
                Views.bool(p, "canSubscribe", true), Views.bool(p, "canData", true));
        List<Track> tracks = Views.list(m.get("tracks") == null ? List.of() : m.get("tracks"), "tracks").stream()
                .map(t -> Views.object(t, "track"))
                .map(t -> new Track(Views.string(t, "id"), Views.optString(t, "kind"), Views.optString(t, "source"),
                        Views.bool(t, "muted", false)))
                .toList();
        return new Participant(Views.string(m, "identity"), Views.optString(m, "name"), permissions,
                Views.optString(m, "metadata"), tracks, m);
    }
}
