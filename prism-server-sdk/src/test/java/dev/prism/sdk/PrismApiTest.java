package dev.prism.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's requests (method, encoded path, body, a fresh roomAdmin token) and its reading of answers and refusals,
 * against a scripted HTTP server in the test. ServerApiSdkNodeTest in prism-server drives a real node.
 */
class PrismApiTest {
    private static final String SECRET = "sdk-api-test-secret-sdk-api-test-secret";

    record Seen(String method, String path, String auth, String body) {
    }

    private HttpServer server;
    private final List<Seen> seen = new ArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    private PrismApi api;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (seen) {
                seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()),
                        ex.getRequestHeaders().getFirst("Authorization"), body));
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        api = new PrismApi(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                new PrismTokens(SECRET));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Seen last() {
        synchronized (seen) {
            return seen.get(seen.size() - 1);
        }
    }

    @Test
    void roomsAreCreatedListedReadAndDeleted() {
        answer = "{\"name\":\"standup\",\"live\":false,\"participants\":0,\"maxParticipants\":8,\"emptyTimeout\":600,"
                + "\"metadata\":\"{\\\"topic\\\":\\\"daily\\\"}\",\"createdAt\":1796000000123}";
        Room room = api.createRoom(RoomOptions.named("standup").maxParticipants(8).emptyTimeout(600)
                .metadata("{\"topic\":\"daily\"}"));
        assertThat(room).extracting(Room::name, Room::live, Room::maxParticipants, Room::emptyTimeout, Room::metadata,
                Room::createdAt).containsExactly("standup", false, 8, 600, "{\"topic\":\"daily\"}", 1796000000123L);
        assertThat(last().method()).isEqualTo("POST");
        assertThat(last().path()).isEqualTo("/api/v1/rooms");
        assertThat(Json.parseObject(last().body())).isEqualTo(Map.of("name", "standup", "maxParticipants", 8L,
                "emptyTimeout", 600L, "metadata", "{\"topic\":\"daily\"}"));
        Map<String, Object> claims = Json.parseObject(new String(Base64.getUrlDecoder()
                .decode(last().auth().substring("Bearer ".length()).split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims).containsEntry("roomAdmin", true).containsEntry("sub", "prism-server-sdk");
        assertThat((long) claims.get("exp") - (long) claims.get("iat")).isEqualTo(300);

        answer = "{\"rooms\":[{\"name\":\"a\",\"live\":true,\"participants\":2,\"maxParticipants\":0,"
                + "\"emptyTimeout\":null,\"metadata\":null,\"createdAt\":null,\"videoCodec\":\"vp8\"}]}";
        assertThat(api.listRooms()).singleElement().satisfies(r -> {
            assertThat(r.live()).isTrue();
            assertThat(r.participants()).isEqualTo(2);
            assertThat(r.createdAt()).isNull();
            assertThat(r.videoCodec()).isEqualTo("vp8");
        });
        assertThat(last()).extracting(Seen::method, Seen::path).containsExactly("GET", "/api/v1/rooms");
        answer = "{\"name\":\"a b\",\"message\":\"closed\"}";
        api.deleteRoom("a b");
        assertThat(last()).extracting(Seen::method, Seen::path).containsExactly("DELETE", "/api/v1/rooms/a%20b");
    }

    @Test
    void participantsTracksDataAndEventsUseTheirPathsAndBodies() {
        String alice = "{\"identity\":\"al/ice@x\",\"name\":\"Alice\",\"permissions\":{\"canPublish\":false,"
                + "\"canSubscribe\":true,\"canData\":true},\"metadata\":\"m\",\"tracks\":[{\"id\":\"al/ice@x:0\","
                + "\"kind\":\"audio\",\"source\":\"microphone\",\"muted\":false}]}";
        answer = "{\"participants\":[" + alice + "]}";
        Participant p = api.listParticipants("r").get(0);
        assertThat(p.identity()).isEqualTo("al/ice@x");
        assertThat(p.permissions()).isEqualTo(new Participant.Permissions(false, true, true));
        assertThat(p.tracks()).containsExactly(new Participant.Track("al/ice@x:0", "audio", "microphone", false));
        assertThat(last().path()).isEqualTo("/api/v1/rooms/r/participants");

        answer = alice;
        api.getParticipant("r", "al/ice@x");
        assertThat(last().path()).isEqualTo("/api/v1/rooms/r/participants/al%2Fice%40x");
        api.updateParticipant("r", "al/ice@x", ParticipantUpdate.change().canPublish(false).canData(true)
                .metadata(null));
        assertThat(last().method()).isEqualTo("PATCH");
        assertThat(last().body()).isEqualTo("{\"permissions\":{\"canData\":true,\"canPublish\":false},"
                + "\"metadata\":null}");
        answer = "{\"identity\":\"al/ice@x\",\"removed\":true}";
        api.removeParticipant("r", "al/ice@x");
        assertThat(last()).extracting(Seen::method, Seen::path)
                .containsExactly("DELETE", "/api/v1/rooms/r/participants/al%2Fice%40x");

        answer = "{\"trackId\":\"al/ice@x:0\",\"muted\":true}";
        assertThat(api.muteTrack("r", "al/ice@x", "al/ice@x:0", true)).isTrue();
        assertThat(last().path()).isEqualTo("/api/v1/rooms/r/participants/al%2Fice%40x/tracks/al%2Fice%40x%3A0/mute");
        assertThat(last().body()).isEqualTo("{\"muted\":true}");

        answer = "{\"delivered\":1,\"unknown\":[\"zed\"]}";
        assertThat(api.sendData("r", Map.of("kind", "notice"), List.of("al/ice@x", "zed")))
                .isEqualTo(new DataDelivery(1, List.of("zed")));
        assertThat(last().body()).isEqualTo("{\"payload\":{\"kind\":\"notice\"},\"to\":[\"al/ice@x\",\"zed\"]}");
        api.sendData("r", "hi", null);
        assertThat(last().body()).isEqualTo("{\"payload\":\"hi\"}");

        answer = "{\"room\":\"r\",\"events\":[{\"id\":\"EV_1\",\"event\":\"room_started\",\"room\":\"r\","
                + "\"roomSid\":\"RM_1\",\"seq\":4,\"createdAt\":5}]}";
        assertThat(api.events("r", 3)).extracting(WebhookEvent::id, WebhookEvent::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("EV_1", 4L));
        assertThat(last().path()).isEqualTo("/api/v1/rooms/r/events?after=3");
    }

    @Test
    void refusalsAreTypedExceptions() {
        status = 404;
        answer = "{\"error\":\"not_found\",\"message\":\"no room 'x'\"}";
        assertThatThrownBy(() -> api.getRoom("x")).isInstanceOfSatisfying(PrismApiException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("not_found");
            assertThat(e.reason()).isEqualTo("no room 'x'");
        });
        status = 502;
        answer = "<html>bad gateway</html>";
        assertThatThrownBy(() -> api.listRooms()).isInstanceOfSatisfying(PrismApiException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.code()).isEqualTo("http_502");
            assertThat(e.reason()).isEqualTo("<html>bad gateway</html>");
        });
        status = 200;
        answer = "{\"rooms\":7}";
        assertThatThrownBy(() -> api.listRooms()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> api.getRoom("")).isInstanceOf(IllegalArgumentException.class);
        server.stop(0);
        assertThatThrownBy(() -> api.listRooms()).isInstanceOf(UncheckedIOException.class);
    }
}
