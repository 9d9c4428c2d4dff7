package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.http.HttpLimits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP connections that send nothing, or trickle a request head byte by byte, are closed after the request-head
 * deadline; a WebSocket that answers pings stays open however long it is quiet; one that answers nothing is closed.
 * Raw sockets against the real server, with the timeouts shortened (1 s head deadline, 2 s idle, pings every 0.5 s).
 */
class HttpTimeoutsTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static final String HEAD_TIMEOUTS = "prism_connections_cut_total{reason=\"request_head_timeout\"}";
    private static final String UNRESPONSIVE = "prism_connections_cut_total{reason=\"websocket_unresponsive\"}";
    private static PrismServer server;
    private static ScheduledExecutorService trickler;

    @BeforeAll
    static void start() {
        HttpLimits limits = HttpLimits.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofMillis(500));
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).build(), limits);
        trickler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        trickler.shutdownNow();
        server.close();
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        double before = Scrape.value(server, HEAD_TIMEOUTS);
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            assertThat(closedWithin(s, 10)).as("closed by the server").isTrue();
        }
        assertThat(Scrape.value(server, HEAD_TIMEOUTS)).isEqualTo(before + 1);
    }

    @Test
    void aSlowlorisIsClosedAtTheDeadlineThoughItKeepsTrickling() throws Exception {
        double before = Scrape.value(server, HEAD_TIMEOUTS);
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            AtomicInteger trickled = new AtomicInteger();
            // One header byte every 200 ms: far more often than the 2 s idle timeout, never a complete head.
            var task = trickler.scheduleAtFixedRate(() -> {
                try {
                    out.write('X');
                    out.flush();
                    trickled.incrementAndGet();
                } catch (IOException e) {
                    throw new IllegalStateException(e); // closed: stops the task
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            try {
                assertThat(closedWithin(s, 10)).as("closed by the server").isTrue();
            } finally {
                task.cancel(false);
            }
            assertThat(trickled.get()).as("bytes trickled before the cut").isGreaterThanOrEqualTo(2);
        }
        assertThat(Scrape.value(server, HEAD_TIMEOUTS)).isEqualTo(before + 1);
    }

    @Test
    void aKeptAliveConnectionMustSendItsNextRequestInTimeToo() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            byte[] head = new byte[12];
            assertThat(s.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            assertThat(closedWithin(s, 10)).as("closed by the server").isTrue();
        }
    }

    @Test
    void aWebSocketThatAnswersPingsStaysOpenPastTheIdleTimeout() {
        try (WsTestClient c = WsTestClient.connect(server.httpPort(), token("quiet", "patient"))) {
            c.next("welcome", 5);
            c.quietFor(5000); // 2.5 idle timeouts without a message either way, pings answered by the JDK client
            c.send(new JsonObject().put("type", "ping").put("requestId", "still-open"));
            assertThat(c.next("pong", 5).getString("requestId")).isEqualTo("still-open");
            assertThat(c.closeCode()).isEqualTo(-1);
        }
    }

    @Test
    void aWebSocketThatAnswersNothingIsClosed() throws Exception {
        double before = Scrape.value(server, UNRESPONSIVE);
        try (RawWebSocket ws = RawWebSocket.connect(server.httpPort(), "/ws?token=" + token("quiet", "gone"))) {
            ws.readTimeoutMillis(10_000);
            assertThat(ws.closedByServer()).isTrue(); // reads the welcome and the pings it never answers, then EOF
        }
        assertThat(Scrape.value(server, UNRESPONSIVE)).isEqualTo(before + 1);
    }

    /** Reads until the server ends the connection; false if it is still open after {@code seconds}. */
    private static boolean closedWithin(Socket s, int seconds) throws IOException {
        s.setSoTimeout(seconds * 1000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain whatever the server says (a response, or a 408) until it closes
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }
}
