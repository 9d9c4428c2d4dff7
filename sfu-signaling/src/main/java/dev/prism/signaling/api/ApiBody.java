package dev.prism.signaling.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Reads and checks request bodies: a JSON object with only known members, each of the right type. */
final class ApiBody {
    private ApiBody() {
    }

    /** The body as a JSON object ({@code {}} when empty); 400 {@code bad_json} otherwise. */
    static JsonObject object(RoutingContext ctx, Set<String> allowed) throws ApiException {
        JsonObject body;
        if (ctx.body() == null || ctx.body().length() == 0) {
            body = new JsonObject();
        } else {
            String text = ctx.body().asString().strip();
            if (!text.startsWith("{")) {
                throw new ApiException(400, "bad_json", "the body must be a JSON object");
            }
            try {
                body = new JsonObject(text);
            } catch (DecodeException e) {
                throw new ApiException(400, "bad_json", "the body is not valid JSON");
            }
        }
        for (String name : body.fieldNames()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown field '" + dev.prism.core.text.ClientText.forLog(
                        name.length() > 64 ? name.substring(0, 64) : name) + "'; allowed: " + allowed);
            }
        }
        return body;
    }

    /** An optional whole number in {@code [min, max]}. */
    static int optionalInt(JsonObject body, String name, int fallback, int min, int max) throws ApiException {
        Object v = body.getValue(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw ApiException.badRequest("field '" + name + "' must be a whole number from " + min + " to " + max);
        }
        return n.intValue();
    }

    /** An optional string of at most {@code maxChars}. */
    static String optionalString(JsonObject body, String name, int maxChars) throws ApiException {
        Object v = body.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.length() > maxChars) {
            throw ApiException.badRequest("field '" + name + "' must be a string of at most " + maxChars
                    + " characters");
        }
        return s;
    }

    /** An optional boolean, null when absent. */
    static Boolean optionalBoolean(JsonObject body, String name) throws ApiException {
        Object v = body.getValue(name);
        if (v != null && !(v instanceof Boolean)) {
            throw ApiException.badRequest("field '" + name + "' must be true or false");
        }
        return (Boolean) v;
    }
}
