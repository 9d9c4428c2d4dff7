package dev.prism.cluster.link;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the opener of a channel asks for: a {@code kind} (today only {@link #KIND_SESSION}: a client's signaling session
 * proxied from the node that holds its WebSocket) and a few headers (for a session: the access token or the resume
 * token, the client's address, the room). Immutable.
 *
 * <p>Limits (enforced by the codec on both ends): kind 1-{@value #MAX_KIND} UTF-8 bytes, at most {@value #MAX_HEADERS}
 * headers, names 1-{@value #MAX_NAME} bytes, values up to {@value #MAX_VALUE} bytes.
 */
public record OpenRequest(String kind, Map<String, String> headers) {
    public static final String KIND_SESSION = "session";
    /** The client's access token (a join), as the edge received it. */
    public static final String TOKEN = "token";
    /** The client's resume token (a resume). */
    public static final String RESUME_TOKEN = "resume";
    /** The client's address as the edge sees it (for the owner's log lines and limits). */
    public static final String CLIENT_ADDRESS = "client";
    /** The room, as the edge read it from the token. */
    public static final String ROOM = "room";

    public static final int MAX_KIND = 64;
    public static final int MAX_HEADERS = 32;
    public static final int MAX_NAME = 64;
    public static final int MAX_VALUE = 16 * 1024;

    public OpenRequest {
        Objects.requireNonNull(kind, "kind");
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    /** A session request with the given headers; null values are left out. */
    public static OpenRequest session(String token, String resumeToken, String clientAddress, String room) {
        Map<String, String> h = new LinkedHashMap<>();
        putIfPresent(h, TOKEN, token);
        putIfPresent(h, RESUME_TOKEN, resumeToken);
        putIfPresent(h, CLIENT_ADDRESS, clientAddress);
        putIfPresent(h, ROOM, room);
        return new OpenRequest(KIND_SESSION, h);
    }

    /** A header's value, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    private static void putIfPresent(Map<String, String> h, String name, String value) {
        if (value != null) {
            h.put(name, value);
        }
    }
}
