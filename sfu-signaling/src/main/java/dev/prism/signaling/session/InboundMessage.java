package dev.prism.signaling.session;

import dev.prism.core.text.ClientText;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * One text message from a participant's WebSocket (docs/PROTOCOL.md), decoded and checked for its envelope, and the
 * field checks that request handlers share. Pure functions of the client's text: fuzzed by
 * {@code InboundMessageFuzzTest}. Every rejection is a {@link SignalingError} ({@code bad_json} or
 * {@code bad_request}); nothing else is thrown, whatever the text.
 *
 * @param type      the message type, or null when the object has no string {@code type} (the caller rejects it
 *                  with {@link #TYPE_REQUIRED}, echoing {@code requestId})
 * @param requestId the client's {@code requestId} as text, or null
 * @param body      the whole message object
 */
record InboundMessage(String type, String requestId, JsonObject body) {
    static final String TYPE_REQUIRED = "field 'type' (string) is required";

    /**
     * @throws SignalingError {@code bad_json} when the text is not JSON or not a JSON object
     */
    static InboundMessage decode(String text) throws SignalingError {
        Object parsed;
        try {
            parsed = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new SignalingError("bad_json", "malformed JSON: " + ClientText.forLog(firstLine(e.getMessage())));
        }
        if (!(parsed instanceof JsonObject msg)) {
            throw new SignalingError("bad_json", "a message must be a JSON object");
        }
        Object rid = msg.getValue("requestId");
        return new InboundMessage(msg.getValue("type") instanceof String t ? t : null,
                rid == null ? null : String.valueOf(rid), msg);
    }

    /** A required non-empty string field, else {@code bad_request}. */
    static String requiredString(JsonObject msg, String field) throws SignalingError {
        if (msg.getValue(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new SignalingError("bad_request", "field '" + field + "' (non-empty string) is required");
    }

    /** An optional integer field in {@code min..max} ({@code absent} when missing), else {@code bad_request}. */
    static int optionalInt(JsonObject msg, String field, int absent, int min, int max) throws SignalingError {
        Object v = msg.getValue(field);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw new SignalingError("bad_request", "field '" + field + "' must be an integer in " + min + ".." + max);
        }
        return n.intValue();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
