package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.http.OriginPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/nginx/prism.conf} in a real nginx (Debian's; {@code ./test} installs it) in front of a real node with
 * an API and an admin secret: the demo page and the SDK come through whole, a signaling WebSocket joins a room and
 * gets its welcome, a page served through the proxy may open its socket (its Origin is the proxy's address, which the
 * node compares with the Host nginx passes on) while a foreign page may not, the admin API answers with its
 * credential only, health and readiness pass and {@code /metrics} does not. The upstream also lists a port where
 * nothing listens, first: every request still succeeds because nginx moves on to the next node
 * ({@code proxy_next_upstream}), and its error log shows that it did.
 *
 * <p>The config is the file operators install, rendered by replacing only the node lines between its
 * {@code # nodes:begin} / {@code # nodes:end} markers and its {@code listen 80;}; a small main config around it gives
 * nginx non-root paths for its logs, pid and temporary files. nginx runs as its own process (master and worker),
 * stopped with SIGTERM and, failing that, killed with its workers, whatever happens.
 */
class NginxFrontTest {
    private static final String API_SECRET = "nginx-front-api-secret-0123456789abcdef";
    private static final String ADMIN_SECRET = "nginx-front-admin-secret-0123456789abcdef";

    @TempDir
    static Path dir;
    private static PrismServer server;
    private static Nginx nginx;
    private static int deadPort;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").mediaThreads(1).apiSecret(API_SECRET)
                .adminSecret(ADMIN_SECRET).build());
        deadPort = freePort();
        nginx = Nginx.start(dir, Nginx.render(Nginx.operatorsConfig(), List.of(deadPort, server.httpPort()),
                freePort()));
    }

    @AfterAll
    static void stop() {
        try {
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void theDemoPageAndTheSdkComeThroughWhole() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Prism</title>");
        assertThat(page.headers().firstValue("content-security-policy")).as("the node's own headers pass").isPresent();

        HttpResponse<byte[]> sdk = http.send(request("/sdk/prism-sdk.js", null).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sdk.statusCode()).isEqualTo(200);
        assertThat(sdk.headers().firstValue("content-type").orElse("")).contains("javascript");
        assertThat(sdk.body()).as("larger than nginx's proxy buffers, byte for byte").isEqualTo(resource(
                "/webroot/sdk/prism-sdk.js"));
    }

    @Test
    void aSignalingSocketThroughNginxJoinsARoom() {
        try (WsTestClient alice = WsTestClient.connect(nginx.port(), token("front", "alice"))) {
            JsonObject welcome = alice.next("welcome", 10);
            assertThat(welcome.getJsonObject("participant").getString("id")).isEqualTo("alice");
            try (WsTestClient bob = WsTestClient.connect(nginx.port(), token("front", "bob"))) {
                bob.next("welcome", 10);
                assertThat(alice.next("participantJoined", 10).toString()).contains("bob");
                alice.send(new JsonObject().put("type", "ping").put("requestId", "through-nginx"));
                assertThat(alice.next("pong", 10).getString("requestId")).isEqualTo("through-nginx");
            }
        }
    }

    @Test
    void aPageServedThroughTheProxyMayOpenItsSocketAndAForeignPageMayNot() throws Exception {
        String self = "http://127.0.0.1:" + nginx.port();
        String accepted = upgradeAndReadFirstMessage(self, token("origins", "page"));
        assertThat(accepted).as("same origin as the proxy: Host reaches the node with its port")
                .startsWith("HTTP/1.1 101").contains("\"type\":\"welcome\"");
        String refused = upgradeAndReadFirstMessage("https://evil.example", token("origins", "evil"));
        assertThat(refused).startsWith("HTTP/1.1 403").contains(OriginPolicy.REFUSED);
        String badToken = upgradeAndReadFirstMessage(self, "not-a-token");
        assertThat(badToken).as("the node's refusal is final, not retried elsewhere").startsWith("HTTP/1.1 401");
    }

    @Test
    void theAdminApiAnswersThroughNginxWithItsCredentialOnly() throws Exception {
        try (WsTestClient carol = WsTestClient.connect(nginx.port(), token("admin-view", "carol"))) {
            carol.next("welcome", 10);
            assertThat(get("/admin/", null).statusCode()).isEqualTo(200);
            assertThat(get("/admin/api/rooms", null).statusCode()).isEqualTo(401);
            assertThat(get("/admin/api/rooms", "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> rooms = get("/admin/api/rooms", ADMIN_SECRET);
            assertThat(rooms.statusCode()).isEqualTo(200);
            JsonArray list = new JsonObject(rooms.body()).getJsonArray("rooms");
            assertThat(list.stream().map(r -> ((JsonObject) r).getString("id"))).contains("admin-view");
            HttpResponse<String> room = get("/admin/api/rooms/admin-view", ADMIN_SECRET);
            assertThat(room.statusCode()).isEqualTo(200);
            assertThat(room.body()).contains("carol");
        }
    }

    @Test
    void healthAndReadinessComeThroughAndMetricsStayOnTheNode() throws Exception {
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"ready\"");
        assertThat(get("/metrics", null).statusCode()).as("denied on the public side").isEqualTo(403);
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).as("scraped on the node's own port").isEqualTo(200);
    }

    @Test
    void aNodeThatRefusesConnectionsIsSkipped() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        }
        // The first request after nginx started (the start-up probe) was sent to the dead node first.
        assertThat(Files.readString(nginx.errorLog())).contains("connect() failed")
                .contains("127.0.0.1:" + deadPort);
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(API_SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private static HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    private static HttpResponse<String> get(String path, String bearer) throws Exception {
        return http.send(request(path, bearer).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NginxFrontTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name + " on the test class path").isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * A browser's upgrade through nginx (Host: the proxy's address, the given Origin): the response head, and after a
     * 101 the first text message the node sends; after a refusal, the start of the body.
     */
    private static String upgradeAndReadFirstMessage(String origin, String token) throws IOException {
        try (Socket s = new Socket("127.0.0.1", nginx.port())) {
            s.setSoTimeout(10_000);
            String request = "GET /ws?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + nginx.port() + "\r\n"
                    + "Origin: " + origin + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                head.write(in.readUnsignedByte());
            }
            String h = head.toString(StandardCharsets.US_ASCII);
            if (!h.startsWith("HTTP/1.1 101")) {
                byte[] body = new byte[512];
                int n = in.read(body);
                return h + (n > 0 ? new String(body, 0, n, StandardCharsets.UTF_8) : "");
            }
            int opcode = in.readUnsignedByte() & 0x0f;
            long length = in.readUnsignedByte() & 0x7f; // server frames are not masked
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            assertThat(opcode).as("a text frame").isEqualTo(1);
            return h + new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
