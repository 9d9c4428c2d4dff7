package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The pages a node serves carry a Content-Security-Policy that forbids framing, and the other security headers, on
 * the page and on its static assets; the demo page's policy allows what the page uses (its own scripts, the signaling
 * WebSocket on this host) and the page keeps within it (no inline script or style). The admin page is public (it
 * holds no data) and its API is not, as README says.
 */
class SecurityHeadersTest {
    private static final String ADMIN_SECRET = "admin-secret-admin-secret-admin-secret-42";
    private static final HttpClient http = HttpClient.newHttpClient();
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1")
                .apiSecret("test-secret-test-secret-test-secret-0123").adminSecret(ADMIN_SECRET).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/index.html", "/app.js", "/style.css", "/sdk/prism-sdk.js", "/admin/",
            "/admin/admin.js", "/admin/admin.css", "/admin/vendor/chart.umd.min.js"})
    void everyPageAndAssetForbidsFramingAndSniffing(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("frame-ancestors 'none'", "default-src 'none'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void theDemoPagePolicyAllowsItsScriptsAndTheSignalingSocketOnThisHost() throws Exception {
        String csp = get("/").headers().firstValue("Content-Security-Policy").orElseThrow();
        String host = "127.0.0.1:" + server.httpPort();
        assertThat(csp).contains("script-src 'self'", "style-src 'self'",
                "connect-src 'self' ws://" + host + " wss://" + host, "media-src 'self' blob: mediastream:")
                .doesNotContain("unsafe-inline", "unsafe-eval");
    }

    @Test
    void theDemoPageHasNoInlineScriptOrStyleThePolicyWouldBlock() throws IOException {
        String html = resource("/webroot/index.html");
        Matcher scripts = Pattern.compile("<script\\b([^>]*)>").matcher(html);
        int count = 0;
        while (scripts.find()) {
            assertThat(scripts.group(1)).as("every script is a file").contains("src=");
            count++;
        }
        assertThat(count).isPositive();
        assertThat(html).doesNotContain("<style", " style=", "onclick=", "onload=", "javascript:");
    }

    @Test
    void theAdminPageIsPublicAndItsApiIsNot() throws Exception {
        HttpResponse<String> page = get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Admin secret");
        assertThat(get("/admin/api/rooms").statusCode()).isEqualTo(401);
        assertThat(get("/admin/api/node").statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = SecurityHeadersTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
