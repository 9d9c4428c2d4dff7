package dev.prism.sdk;

import java.util.Map;

/**
 * A room as the server API shows it (docs/API.md, "Rooms").
 *
 * @param name            the room's name
 * @param live            someone is in it on the node asked
 * @param participants    how many are in it
 * @param maxParticipants the limit in force
 * @param emptyTimeout    seconds a created room's options are kept while it is empty (0 for a room not created
 *                        through the API)
 * @param metadata        the room's metadata, or null
 * @param createdAt       epoch ms of its creation through the API, or null
 * @param videoCodec      {@code vp8} or {@code h264} for a live room, else null
 * @param json            the whole answer, for fields without an accessor
 */
public record Room(String name, boolean live, int participants, int maxParticipants, int emptyTimeout,
                   String metadata, Long createdAt, String videoCodec, Map<String, Object> json) {

    static Room from(Object value) {
        Map<String, Object> m = Views.object(value, "room");
        return new Room(Views.string(m, "name"), Views.bool(m, "live", false), (int) Views.number(m, "participants", 0),
                (int) Views.number(m, "maxParticipants", 0), (int) Views.number(m, "emptyTimeout", 0),
                Views.optString(m, "metadata"), m.get("createdAt") instanceof Long l ? l : null,
                Views.optString(m, "videoCodec"), m);
    }
}
