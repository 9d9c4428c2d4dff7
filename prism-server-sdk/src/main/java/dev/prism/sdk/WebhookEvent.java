package dev.prism.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A webhook event (docs/WEBHOOKS.md, "Events"), as posted and as the replay endpoint returns it. De-duplicate on
 * {@link #id()} or ({@link #roomSid()}, {@link #seq()}); order on {@link #seq()} within a {@link #roomSid()}.
 *
 * @param id        unique event id ({@code EV_...}), also the {@code Prism-Event-Id} header
 * @param event     {@code room_started}, {@code room_finished}, {@code participant_joined}, {@code participant_left},
 *                  {@code track_published}, {@code track_unpublished}, {@code track_muted} (others may come)
 * @param room      the room's name
 * @param roomSid   the id of this room's numbering
 * @param seq       the room's sequence number, from 1
 * @param createdAt when the node saw it, Unix epoch milliseconds
 * @param json      the whole event as parsed (unmodifiable), for fields without an accessor
 */
public record WebhookEvent(String id, String event, String room, String roomSid, long seq, long createdAt,
                           Map<String, Object> json) {

    /** Reads an event object. @throws IllegalArgumentException if a common field is missing or of the wrong type */
    public static WebhookEvent from(Map<String, Object> json) {
        return new WebhookEvent(string(json, "id"), string(json, "event"), string(json, "room"),
                string(json, "roomSid"), number(json, "seq"), number(json, "createdAt"), Collections.unmodifiableMap(new LinkedHashMap<>(json)));
    }

    /** The participant's identity ({@code participant.identity}), or null for room events. */
    public String participantIdentity() {
        return member("participant", "identity");
    }

    /** The participant's display name ({@code participant.name}, on {@code participant_joined}), or null. */
    public String participantName() {
        return member("participant", "name");
    }

    /** The track's id ({@code track.sid}) on track events, or null. */
    public String trackSid() {
        return member("track", "sid");
    }

    /** {@code participant_left}'s reason: {@code left}, {@code removed}, {@code timed_out}, {@code migrated}; or null. */
    public String reason() {
        return json.get("reason") instanceof String s ? s : null;
    }

    /** {@code track_muted}'s {@code muted}, or null. */
    public Boolean muted() {
        return json.get("muted") instanceof Boolean b ? b : null;
    }

    private String member(String object, String field) {
        return json.get(object) instanceof Map<?, ?> m && m.get(field) instanceof String s ? s : null;
    }

    private static String string(Map<String, Object> json, String field) {
        if (json.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("event field '" + field + "' missing or not a string");
    }

    private static long number(Map<String, Object> json, String field) {
        if (json.get(field) instanceof Long n) {
            return n;
        }
        throw new IllegalArgumentException("event field '" + field + "' missing or not a whole number");
    }
}
