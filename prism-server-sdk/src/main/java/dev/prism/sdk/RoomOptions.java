package dev.prism.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of {@link PrismApi#createRoom}: {@code RoomOptions.named("standup").maxParticipants(8)}. Absent options
 * take the node's defaults (docs/API.md, "Rooms"). Immutable.
 *
 * @param name            1-128 of {@code A-Z a-z 0-9 _ - .}
 * @param maxParticipants 0 for the node's limit; null for the default
 * @param emptyTimeout    seconds (at most 86400) the options are kept while the room is empty; null for 300
 * @param metadata        at most 4096 characters, usually JSON text; null for none
 */
public record RoomOptions(String name, Integer maxParticipants, Integer emptyTimeout, String metadata) {

    public static RoomOptions named(String name) {
        return new RoomOptions(name, null, null, null);
    }

    public RoomOptions maxParticipants(int max) {
        return new RoomOptions(name, max, emptyTimeout, metadata);
    }

    public RoomOptions emptyTimeout(int seconds) {
        return new RoomOptions(name, maxParticipants, seconds, metadata);
    }

    public RoomOptions metadata(String text) {
        return new RoomOptions(name, maxParticipants, emptyTimeout, text);
    }

    Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (maxParticipants != null) {
            body.put("maxParticipants", maxParticipants);
        }
        if (emptyTimeout != null) {
            body.put("emptyTimeout", emptyTimeout);
        }
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return body;
    }
}
