package dev.prism.sdk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client for a Prism node's server API ({@code /api/v1}, docs/API.md): rooms, participants, track mutes, data
 * messages and the webhook replay endpoint. Every call sends a fresh room admin token minted by the given
 * {@link PrismTokens} (lifetime {@link #TOKEN_TTL}), waits for the answer (at most the request timeout) and returns it
 * read; a refusal is a {@link PrismApiException} with the node's status, code and message, a transport failure an
 * {@link UncheckedIOException}.
 *
 * <pre>{@code
 * PrismApi api = new PrismApi(URI.create("https://sfu.example.com"), new PrismTokens(secret));
 * api.createRoom(RoomOptions.named("standup").maxParticipants(8));
 * for (Participant p : api.listParticipants("standup")) { ... }
 * }</pre>
 *
 * <p>Thread-safe: calls may run from any number of threads (one {@link HttpClient}, shared).
 */
public final class PrismApi {
    /** Lifetime of the token each call carries. */
    public static final Duration TOKEN_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final PrismTokens tokens;
    private final String subject;
    private final HttpClient http;
    private final Duration timeout;

    /** A client for the node at {@code nodeUrl} (e.g. {@code http://127.0.0.1:8080}), tokens named "prism-server-sdk". */
    public PrismApi(URI nodeUrl, PrismTokens tokens) {
        this(nodeUrl, tokens, "prism-server-sdk", HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .build(), DEFAULT_TIMEOUT);
    }

    /**
     * @param subject the tokens' {@code sub}, naming the backend in the node's logs (null for none)
     * @param http    the client to send with (its executor, proxy, TLS context)
     * @param timeout how long one call may wait for its answer
     */
    public PrismApi(URI nodeUrl, PrismTokens tokens, String subject, HttpClient http, Duration timeout) {
        String url = Objects.requireNonNull(nodeUrl, "nodeUrl").toString();
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.subject = subject;
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    // ---- rooms

    /** Creates a room with options, or replaces an existing room's options. */
    public Room createRoom(RoomOptions options) {
        return Room.from(call("POST", "/rooms", options.toJson()));
    }

    /** The node's live rooms and the rooms created through the API, by name. */
    public List<Room> listRooms() {
        return Views.list(Views.object(call("GET", "/rooms", null), "answer").get("rooms"), "rooms").stream()
                .map(Room::from).toList();
    }

    /** One room. @throws PrismApiException 404 {@code not_found} for a room the node does not know */
    public Room getRoom(String room) {
        return Room.from(call("GET", "/rooms/" + segment(room), null));
    }

    /** Removes everyone from the room ({@code room_closed}) and forgets its options. */
    public void deleteRoom(String room) {
        call("DELETE", "/rooms/" + segment(room), null);
    }

    /**
     * Sends a data message from the server.
     *
     * @param payload any JSON-able value ({@link Json#write}): a String, Number, Boolean, Map, List, or null
     * @param to      identities to send to; null or empty for everyone in the room
     * @throws PrismApiException 404 when nobody is in the room, 413 {@code data_too_large} over 16 KiB
     */
    public DataDelivery sendData(String room, Object payload, Collection<String> to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("payload", payload);
        if (to != null && !to.isEmpty()) {
            body.put("to", List.copyOf(to));
        }
        Map<String, Object> answer = Views.object(call("POST", "/rooms/" + segment(room) + "/data", body), "answer");
        List<String> unknown = new ArrayList<>();
        for (Object id : Views.list(answer.getOrDefault("unknown", List.of()), "unknown")) {
            unknown.add(String.valueOf(id));
        }
        return new DataDelivery((int) Views.number(answer, "delivered", 0), List.copyOf(unknown));
    }

    /**
     * The room's kept webhook events with {@code seq > afterSeq}, oldest first (docs/WEBHOOKS.md, "Replay").
     *
     * @throws PrismApiException 404 for a room the node has no events of
     */
    public List<WebhookEvent> events(String room, long afterSeq) {
        Object answer = call("GET", "/rooms/" + segment(room) + "/events?after=" + afterSeq, null);
        return Views.list(Views.object(answer, "answer").get("events"), "events").stream()
                .map(e -> WebhookEvent.from(Views.object(e, "event"))).toList();
    }

    // ---- participants

    /** The room's participants in join order. */
    public List<Participant> listParticipants(String room) {
        Object answer = call("GET", "/rooms/" + segment(room) + "/participants", null);
        return Views.list(Views.object(answer, "answer").get("participants"), "participants").stream()
                .map(Participant::from).toList();
    }

    /** One participant. @throws PrismApiException 404 when it is not in the room */
    public Participant getParticipant(String room, String identity) {
        return Participant.from(call("GET", participantPath(room, identity), null));
    }

    /** Removes a participant: its client is told {@code removed}, the others see it leave. */
    public void removeParticipant(String room, String identity) {
        call("DELETE", participantPath(room, identity), null);
    }

    /** Changes permissions and/or metadata, live; returns the participant's view after the change. */
    public Participant updateParticipant(String room, String identity, ParticipantUpdate update) {
        return Participant.from(call("PATCH", participantPath(room, identity), update.toJson()));
    }

    /** Mutes or unmutes a published track ({@link Participant.Track#id()}); returns whether it is muted now. */
    public boolean muteTrack(String room, String identity, String trackId, boolean muted) {
        Object answer = call("POST", participantPath(room, identity) + "/tracks/" + segment(trackId) + "/mute",
                Map.of("muted", muted));
        return Views.bool(Views.object(answer, "answer"), "muted", muted);
    }

    // ---- HTTP

    private static String participantPath(String room, String identity) {
        return "/rooms/" + segment(room) + "/participants/" + segment(identity);
    }

    /** A path segment, percent-encoded (an identity may hold '/', '@', spaces). */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a room, identity or track id must not be empty");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Object call(String method, String path, Map<String, Object> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + tokens.roomAdmin(subject, TOKEN_TTL))
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(method + " " + path + " interrupted"));
        }
        int status = response.statusCode();
        Object json = parseOrNull(response.body());
        if (status / 100 == 2) {
            if (json == null && !response.body().isBlank()) {
                throw new IllegalStateException(method + " " + path + ": the node's answer is not JSON");
            }
            return json;
        }
        if (json instanceof Map<?, ?> m && m.get("error") instanceof String code) {
            Object message = m.get("message");
            throw new PrismApiException(status, code, message instanceof String s ? s : code);
        }
        String text = response.body() == null ? "" : response.body().strip();
        throw new PrismApiException(status, "http_" + status, text.length() > 200 ? text.substring(0, 200) : text);
    }

    private static Object parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
