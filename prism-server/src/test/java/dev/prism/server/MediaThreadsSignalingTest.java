package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node with two media threads, over real WebSockets: rooms are spread over the threads, every connection of a room
 * is offered that room's port, and an emptied room gives its place back.
 */
class MediaThreadsSignalingTest {
    private static final String SECRET = "threads-secret-threads-secret-0123456789";
    private static final Pattern CANDIDATE_PORT = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 (\\d+) typ host");
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).mediaThreads(2)
                .resumeWindowSeconds(0).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void roomsLiveOnDifferentThreadsAndEveryConnectionOfARoomGetsItsPort() {
        assertThat(server.mediaPorts()).hasSize(2).doesNotHaveDuplicates();
        try (WsTestClient a1 = join("room-a", "a1"); WsTestClient b1 = join("room-b", "b1")) {
            a1.next("welcome", 5);
            b1.next("welcome", 5);
            int portA = candidatePort(publish(a1).getString("sdp"));
            int portB = candidatePort(publish(b1).getString("sdp"));
            assertThat(server.mediaPorts()).contains(portA, portB);
            assertThat(portA).as("two rooms on an idle two-thread node go to different threads").isNotEqualTo(portB);
            assertThat(server.media().roomsOn(0)).isEqualTo(1);
            assertThat(server.media().roomsOn(1)).isEqualTo(1);

            try (WsTestClient a2 = join("room-a", "a2")) {
                a2.next("welcome", 5);
                JsonObject offer = a2.next("subscriberOffer", 5);
                assertThat(candidatePort(offer.getString("sdp"))).as("a subscriber joins its room's thread")
                        .isEqualTo(portA);
                assertThat(candidatePort(publish(a2).getString("sdp"))).isEqualTo(portA);
            }
        }
        // Both rooms emptied: their places are given back.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.media().roomsOn(0) + server.media().roomsOn(1) > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.media().roomsOn(0) + server.media().roomsOn(1)).isZero();
    }

    private static int candidatePort(String sdp) {
        Matcher m = CANDIDATE_PORT.matcher(sdp);
        assertThat(m.find()).as("a host candidate in:%n%s", sdp).isTrue();
        int port = Integer.parseInt(m.group(1));
        while (m.find()) {
            assertThat(Integer.parseInt(m.group(1))).as("one port per connection").isEqualTo(port);
        }
        return port;
    }

    private static WsTestClient join(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return WsTestClient.connect(server.httpPort(),
                ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600)));
    }

    /** Publishes Chrome's captured audio+video offer; returns the answer. */
    private static JsonObject publish(WsTestClient c) {
        String offer;
        try {
            offer = SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "p1").put("sdp", offer)
                .put("tracks", new JsonArray().add(new JsonObject().put("mid", "0").put("source", "microphone"))
                        .add(new JsonObject().put("mid", "1").put("source", "camera"))));
        return c.next("publishAnswer", 5);
    }
}
