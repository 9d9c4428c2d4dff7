package dev.prism.sdk;

import java.util.List;
import java.util.Map;

/** Reading the server API's JSON answers; a shape the SDK does not expect is an {@link IllegalStateException}. */
final class Views {
    private Views() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException("the node's answer has no " + what + " object");
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalStateException("the node's answer has no " + what + " array");
    }

    static String string(Map<String, Object> m, String field) {
        if (m.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalStateException("the node's answer has no string '" + field + "'");
    }

    static String optString(Map<String, Object> m, String field) {
        return m.get(field) instanceof String s ? s : null;
    }

    static boolean bool(Map<String, Object> m, String field, boolean absent) {
        return m.get(field) instanceof Boolean b ? b : absent;
    }

    static long number(Map<String, Object> m, String field, long absent) {
        return m.get(field) instanceof Long n ? n : absent;
    }
}
