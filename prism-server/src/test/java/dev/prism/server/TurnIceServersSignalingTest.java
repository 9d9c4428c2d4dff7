package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node configured with TURN (--turn-url x3, --turn-secret, --turn-ttl) hands every participant its own credentials
 * in {@code welcome.iceServers}, and fresh ones in the welcome of a resume. The password is checked here with the JDK's
 * HMAC directly, the way coturn computes it.
 */
class TurnIceServersSignalingTest {
    private static final String SECRET = "turn-test-api-secret-0123456789abcdef";
    private static final String TURN_SECRET = "turn-test-shared-secret-0123456789abcdef";
    private static final List<String> URLS = List.of("turn:turn.example.com:3478?transport=udp",
            "turn:turn.example.com:3478?transport=tcp", "turns:turn.example.com:443?transport=tcp");
    private static final long TTL = 900;
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).resumeWindowSeconds(5)
                .turnUrls(URLS).turnSecret(TURN_SECRET).turnTtlSeconds(TTL).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsTestClient join(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return WsTestClient.connect(server.httpPort(),
                ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600)));
    }

    private static String hmacSha1Base64(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Checks one welcome's list; returns the credential's expiry. */
    private static long checkIceServers(JsonArray list, String identity) throws Exception {
        assertThat(list).hasSize(1);
        JsonObject entry = list.getJsonObject(0);
        assertThat(entry.getJsonArray("urls").getList()).isEqualTo(URLS);
        String username = entry.getString("username");
        assertThat(username).matches("[0-9]+:" + identity);
        assertThat(entry.getString("credential")).isEqualTo(hmacSha1Base64(TURN_SECRET, username));
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        long now = System.currentTimeMillis() / 1000;
        assertThat(expiry).isBetween(now + TTL - 5, now + TTL + 1);
        return expiry;
    }

    @Test
    void everyParticipantGetsItsOwnCredentialAndAResumeGetsAFreshOne() throws Exception {
        try (WsTestClient alice = join("turn", "alice"); WsTestClient bob = join("turn", "bob")) {
            JsonObject aliceWelcome = alice.next("welcome", 5);
            long aliceExpiry = checkIceServers(aliceWelcome.getJsonArray("iceServers"), "alice");
            checkIceServers(bob.next("welcome", 5).getJsonArray("iceServers"), "bob");

            alice.abort();
            try (WsTestClient again = WsTestClient.connectQuery(server.httpPort(),
                    "resume=" + aliceWelcome.getString("resumeToken"))) {
                JsonObject resumed = again.next("welcome", 5);
                assertThat(resumed.getBoolean("resumed")).isTrue();
                long resumedExpiry = checkIceServers(resumed.getJsonArray("iceServers"), "alice");
                assertThat(resumedExpiry).as("minted again at the resume").isGreaterThanOrEqualTo(aliceExpiry);
            }
        }
    }
}
