package dev.prism.signaling.session;

import dev.prism.core.text.ClientText;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Reading a client's message and its fields; every failure is a {@link SignalingError} with its code. Pure. */
final class MessageFields {
    private MessageFields() {
    }

    /** The text frame as a JSON object. @throws SignalingError {@code bad_json} */
    static JsonObject parse(String text) throws SignalingError {
        Object parsed;
        try {
            parsed = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new SignalingError("bad_json", "malformed JSON: " + ClientText.forLog(firstLine(e.getMessage())));
        }
        if (!(parsed instanceof JsonObject o)) {
            throw new SignalingError("bad_json", "a message must be a JSON object");
        }
        return o;
    }

    /** The {@code requestId} to echo, as a string; null when absent. */
    static String requestId(JsonObject msg) {
        Object rid = msg.getValue("requestId");
        return rid == null ? null : String.valueOf(rid);
    }

    static String requiredString(JsonObject msg, String field) throws SignalingError {
        if (msg.getValue(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new SignalingError("bad_request", "field '" + field + "' (non-empty string) is required");
    }

    /** An optional integer field in {@code min..max}, {@code absent} when missing. */
    static int optionalInt(JsonObject msg, String field, int absent, int min, int max) throws SignalingError {
        Object v = msg.getValue(field);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < min
                || n.intValue() > max) {
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
