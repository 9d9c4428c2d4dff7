package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.http.OriginPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signaling upgrade checks {@code Origin} on the real server: a listed origin, the same origin and a client without
 * an Origin get their WebSocket; a foreign page gets 403 with the reason, counted; development mode accepts any page.
 */
class OriginCheckTest {
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static final String REFUSALS = "prism_signaling_refused_total{reason=\"origin not allowed\"}";

    @Test
    void productionAcceptsListedSameOriginAndNoOriginAndRefusesForeignPages() throws Exception {
        try (PrismServer server = start(List.of("https://app.example"), SECRET)) {
            int port = server.httpPort();
            String query = "/ws?token=" + token();
            assertThat(upgrade(port, query, "https://app.example")).startsWith("HTTP/1.1 101");
            assertThat(upgrade(port, query, "http://127.0.0.1:" + port)).as("not listed, not same origin either: "
                    + "a list replaces the same-origin default").startsWith("HTTP/1.1 403");
            assertThat(upgrade(port, query, null)).startsWith("HTTP/1.1 101");

            double before = Scrape.value(server, REFUSALS);
            String refused = upgrade(port, query, "https://evil.example");
            assertThat(refused).startsWith("HTTP/1.1 403").contains(OriginPolicy.REFUSED)
                    .contains("https://evil.example");
            assertThat(Scrape.value(server, REFUSALS)).isEqualTo(before + 1);
        }
    }

    @Test
    void productionWithoutAListAcceptsTheSameOriginOnly() throws Exception {
        try (PrismServer server = start(List.of(), SECRET)) {
            int port = server.httpPort();
            String query = "/ws?token=" + token();
            assertThat(upgrade(port, query, "http://127.0.0.1:" + port)).startsWith("HTTP/1.1 101");
            assertThat(upgrade(port, query, "http://127.0.0.1:1")).startsWith("HTTP/1.1 403");
            assertThat(upgrade(port, query, "https://evil.example")).startsWith("HTTP/1.1 403");
            assertThat(upgrade(port, query, null)).startsWith("HTTP/1.1 101");
        }
    }

    @Test
    void developmentModeAcceptsAnyPage() throws Exception {
        try (PrismServer server = start(List.of(), null)) {
            TokenService dev = server.tokens();
            long now = dev.nowEpochSeconds();
            String t = dev.issue(new AccessToken("origins", "dev", "dev", true, true, now, now + 600));
            assertThat(upgrade(server.httpPort(), "/ws?token=" + t, "https://evil.example"))
                    .startsWith("HTTP/1.1 101");
        }
    }

    private static PrismServer start(List<String> origins, String apiSecret) {
        return PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(apiSecret)
                .allowedOrigins(origins).build());
    }

    /** Sends a WebSocket upgrade with the given Origin (null: none) and returns the response head and body start. */
    private static String upgrade(int port, String pathAndQuery, String origin) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[2048];
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                String sofar = new String(buf, 0, n, StandardCharsets.UTF_8);
                int end = sofar.indexOf("\r\n\r\n");
                if (end >= 0 && (sofar.startsWith("HTTP/1.1 101") || sofar.length() > end + 4)) {
                    return sofar;
                }
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    private static String token() {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken("origins", "someone", "someone", true, true, now, now + 600));
    }
}
