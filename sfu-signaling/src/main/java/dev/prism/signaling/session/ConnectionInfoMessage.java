package dev.prism.signaling.session;

import dev.prism.conference.ConnectionRole;
import dev.prism.core.inspect.ConnectionPath;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code connectionInfo} message (docs/PROTOCOL.md): the client's report of one peer connection's selected
 * candidate pair. Checked strictly: every field is one of a few fixed words (so it can become a metric label), and
 * anything else is refused with {@code bad_request}, whose message names the field and the allowed words but never
 * repeats the client's text. The values kept are this class's own constants, not the client's strings. Pure; any
 * thread.
 *
 * @param role which connection it is about
 * @param path what the client sees on it
 */
record ConnectionInfoMessage(ConnectionRole role, ConnectionPath path) {
    private static final List<String> ROLES = List.of("publisher", "subscriber");

    /** @throws SignalingError {@code bad_request} when a field is missing, not a string, or not an allowed word */
    static ConnectionInfoMessage parse(JsonObject msg) throws SignalingError {
        ConnectionRole role = ConnectionRole.fromWire(oneOf(msg, "connection", ROLES, true));
        String protocol = oneOf(msg, "protocol", ConnectionPath.PROTOCOLS, true);
        String candidateType = oneOf(msg, "candidateType", ConnectionPath.CANDIDATE_TYPES, true);
        String relayProtocol = oneOf(msg, "relayProtocol", ConnectionPath.RELAY_PROTOCOLS, false);
        String family = oneOf(msg, "family", ConnectionPath.FAMILIES, false);
        if (relayProtocol != null && !candidateType.equals("relay")) {
            throw new SignalingError("bad_request", "field 'relayProtocol' is only for candidateType 'relay'");
        }
        return new ConnectionInfoMessage(role, new ConnectionPath(protocol, candidateType, relayProtocol, family));
    }

    /**
     * The field's value as the allowed word it equals (the constant itself), or null when it is absent or JSON null
     * and not {@code required}.
     */
    private static String oneOf(JsonObject msg, String field, List<String> allowed, boolean required)
            throws SignalingError {
        Object v = msg.getValue(field);
        if (v == null && !required) {
            return null;
        }
        if (v instanceof String s) {
            int i = allowed.indexOf(s);
            if (i >= 0) {
                return allowed.get(i);
            }
        }
        throw new SignalingError("bad_request", "field '" + field + "' must be one of " + String.join(", ", allowed)
                + (required ? "" : " (or null)"));
    }
}
