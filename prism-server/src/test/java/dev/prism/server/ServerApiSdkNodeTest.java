package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.prism.core.config.PrismConfig;
import dev.prism.sdk.DataDelivery;
import dev.prism.sdk.Participant;
import dev.prism.sdk.ParticipantUpdate;
import dev.prism.sdk.PrismApi;
import dev.prism.sdk.PrismApiException;
import dev.prism.sdk.PrismTokens;
import dev.prism.sdk.Room;
import dev.prism.sdk.RoomOptions;
import dev.prism.sdk.WebhookEvent;
import dev.prism.sdk.WebhookVerificationException;
import dev.prism.sdk.WebhookVerifier;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java server SDK (module prism-server-sdk) against a real node: tokens minted by {@link PrismTokens} accepted by
 * the node (and by its TokenService, claim for claim), every {@link PrismApi} call on live participants over real
 * WebSockets, refusals as {@link PrismApiException}, the replay endpoint, and the node's webhooks checked by
 * {@link WebhookVerifier} in a receiver in the test.
 */
class ServerApiSdkNodeTest {
    private static final String SECRET = "sdk-node-test-secret-sdk-node-test-0123";
    private static final String KEY1 = "sdk-rotated-key-one-sdk-rotated-key-0123";
    private static PrismServer node;
    private static HttpServer receiver;
    private static final List<WebhookEvent> received = new ArrayList<>();
    private static final List<String> refused = new ArrayList<>();
    private static PrismTokens tokens;
    private static PrismApi api;

    @BeforeAll
    static void start() throws IOException {
        WebhookVerifier verifier = new WebhookVerifier(SECRET);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = 204;
            try {
                WebhookEvent event = verifier.verify(ex.getRequestHeaders().getFirst(WebhookVerifier.SIGNATURE_HEADER),
                        ex.getRequestHeaders().getFirst(WebhookVerifier.KEY_ID_HEADER), body);
                synchronized (received) {
                    if (!event.id().equals(ex.getRequestHeaders().getFirst(WebhookVerifier.EVENT_ID_HEADER))) {
                        refused.add("Prism-Event-Id is not the event's id: " + event.id());
                    }
                    received.add(event);
                    received.notifyAll();
                }
            } catch (WebhookVerificationException e) {
                synchronized (received) {
                    refused.add(e.getMessage());
                }
                status = 401;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        node = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET)
                .apiKeys(List.of("k1=" + KEY1))
                .webhookUrls(List.of("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"))
                .webhookAllowPrivate("on").build());
        tokens = new PrismTokens(SECRET);
        api = new PrismApi(URI.create("http://127.0.0.1:" + node.httpPort()), tokens);
    }

    @AfterAll
    static void stop() {
        node.close();
        receiver.stop(0);
    }

    private static WsTestClient join(String room, String identity) {
        WsTestClient c = WsTestClient.connect(node.httpPort(), tokens.participant(room, identity)
                .name(identity.toUpperCase()).ttl(Duration.ofMinutes(10)).mint());
        c.next("welcome", 10);
        return c;
    }

    /** Waits for a verified webhook that matches, or fails after {@code seconds}. */
    private static WebhookEvent awaitWebhook(Predicate<WebhookEvent> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (received) {
            while (true) {
                for (WebhookEvent e : received) {
                    if (match.test(e)) {
                        return e;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no matching webhook within " + seconds + " s; got " + received);
                }
                received.wait(left);
            }
        }
    }

    @Test
    void sdkTokensAreReadByPrismsTokenServiceClaimForClaim() throws TokenException {
        TokenService nodeTokens = TokenService.withExtraKeys(SECRET, Map.of("k1", KEY1), TokenService.SYSTEM_EPOCH_SECONDS,
                86_400);
        AccessToken t = nodeTokens.verify(PrismTokens.withKeyId("k1", KEY1).participant("standup", "bob").name("Bob")
                .canPublish(false).canData(false).codec("h264").ttl(Duration.ofMinutes(10)).mint());
        assertThat(t).extracting(AccessToken::room, AccessToken::identity, AccessToken::name, AccessToken::canPublish,
                AccessToken::canSubscribe, AccessToken::canData).containsExactly("standup", "bob", "Bob", false, true,
                false);
        assertThat(t.videoCodec().wireName()).isEqualTo("h264");
        assertThat(t.expiresAtEpochSeconds() - t.issuedAtEpochSeconds()).isEqualTo(600);
        assertThat(nodeTokens.verify(tokens.participant("r", "a").mint()).canPublish()).isTrue();
    }

    @Test
    void roomsAndRefusalsThroughTheSdk() {
        Room created = api.createRoom(RoomOptions.named("sdk-opts").maxParticipants(5).emptyTimeout(120)
                .metadata("{\"topic\":\"sdk\"}"));
        assertThat(created).extracting(Room::name, Room::live, Room::maxParticipants, Room::emptyTimeout,
                Room::metadata).containsExactly("sdk-opts", false, 5, 120, "{\"topic\":\"sdk\"}");
        assertThat(created.createdAt()).isPositive();
        assertThat(api.createRoom(RoomOptions.named("sdk-opts").maxParticipants(6)).maxParticipants()).isEqualTo(6);
        assertThat(api.listRooms()).extracting(Room::name).contains("sdk-opts");
        // A rotated key named by kid works as the API secret does.
        PrismApi rotated = new PrismApi(URI.create("http://127.0.0.1:" + node.httpPort()),
                PrismTokens.withKeyId("k1", KEY1));
        assertThat(rotated.getRoom("sdk-opts").maxParticipants()).isEqualTo(6);

        assertThatThrownBy(() -> api.createRoom(RoomOptions.named("bad name!")))
                .isInstanceOfSatisfying(PrismApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("bad_request");
                });
        PrismApi forged = new PrismApi(URI.create("http://127.0.0.1:" + node.httpPort()),
                new PrismTokens("wrong-secret-wrong-secret-wrong-secret-01"));
        assertThatThrownBy(forged::listRooms).isInstanceOfSatisfying(PrismApiException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("unauthorized");
            assertThat(e.reason()).isEqualTo("bad token signature");
        });

        api.deleteRoom("sdk-opts");
        assertThatThrownBy(() -> api.getRoom("sdk-opts")).isInstanceOfSatisfying(PrismApiException.class,
                e -> assertThat(e.code()).isEqualTo("not_found"));
    }

    @Test
    void participantsDataMutesAndRemovalThroughTheSdkWithVerifiedWebhooksAndReplay() throws Exception {
        try (WsTestClient alice = join("sdk-live", "alice");
             WsTestClient bob = join("sdk-live", "bob@example.com")) {
            assertThat(api.listParticipants("sdk-live")).extracting(Participant::identity)
                    .containsExactly("alice", "bob@example.com");
            Participant b = api.getParticipant("sdk-live", "bob@example.com"); // '@' percent-encoded in the path
            assertThat(b.name()).isEqualTo("BOB@EXAMPLE.COM");
            assertThat(b.permissions()).isEqualTo(new Participant.Permissions(true, true, true));

            DataDelivery all = api.sendData("sdk-live", Map.of("kind", "notice", "text", "5 minutes left"), null);
            assertThat(all).isEqualTo(new DataDelivery(2, List.of()));
            JsonObject got = bob.next("data", 10);
            assertThat(got.getBoolean("server")).isTrue();
            assertThat(got.getJsonObject("payload").getString("text")).isEqualTo("5 minutes left");
            alice.next("data", 10);
            assertThat(api.sendData("sdk-live", "only you", List.of("alice", "zed")))
                    .isEqualTo(new DataDelivery(1, List.of("zed")));
            assertThat(alice.next("data", 10).getString("payload")).isEqualTo("only you");
            assertThatThrownBy(() -> api.sendData("sdk-live", "x".repeat(17_000), null))
                    .isInstanceOfSatisfying(PrismApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(413);
                        assertThat(e.code()).isEqualTo("data_too_large");
                    });

            publish(alice);
            String trackId = bob.next("trackPublished", 10).getJsonObject("track").getString("id");
            assertThat(api.muteTrack("sdk-live", "alice", trackId, true)).isTrue();
            assertThat(bob.next("trackMuted", 10).getBoolean("muted")).isTrue();
            assertThatThrownBy(() -> api.muteTrack("sdk-live", "alice", "nope", true))
                    .isInstanceOfSatisfying(PrismApiException.class, e -> assertThat(e.status()).isEqualTo(404));

            Participant changed = api.updateParticipant("sdk-live", "alice", ParticipantUpdate.change()
                    .canData(false).metadata("{\"role\":\"host\"}"));
            assertThat(changed.permissions().canData()).isFalse();
            assertThat(changed.metadata()).isEqualTo("{\"role\":\"host\"}");
            assertThat(alice.next("permissionsChanged", 10).getJsonObject("permissions").getBoolean("canData"))
                    .isFalse();

            api.removeParticipant("sdk-live", "bob@example.com");
            assertThat(bob.next("error", 10).getString("code")).isEqualTo("removed");
            assertThat(alice.next("participantLeft", 10).getString("participantId")).isEqualTo("bob@example.com");
            assertThatThrownBy(() -> api.removeParticipant("sdk-live", "bob@example.com"))
                    .isInstanceOfSatisfying(PrismApiException.class, e -> assertThat(e.status()).isEqualTo(404));

            // The node's webhooks, verified by the SDK's WebhookVerifier in the receiver, and the same events replayed.
            WebhookEvent left = awaitWebhook(e -> e.room().equals("sdk-live")
                    && e.event().equals("participant_left"), 20);
            assertThat(left.participantIdentity()).isEqualTo("bob@example.com");
            assertThat(left.reason()).isEqualTo("removed");
            WebhookEvent muted = awaitWebhook(e -> e.room().equals("sdk-live") && e.event().equals("track_muted"), 20);
            assertThat(muted.trackSid()).isEqualTo(trackId);
            assertThat(muted.muted()).isTrue();
            List<WebhookEvent> replay = api.events("sdk-live", 0);
            assertThat(replay).extracting(WebhookEvent::seq).startsWith(1L, 2L, 3L).isSorted();
            assertThat(replay.get(0).event()).isEqualTo("room_started");
            assertThat(replay).extracting(WebhookEvent::id).contains(left.id(), muted.id());
            assertThat(api.events("sdk-live", left.seq())).extracting(WebhookEvent::seq)
                    .allMatch(seq -> seq > left.seq());
            assertThatThrownBy(() -> api.events("never-seen", 0))
                    .isInstanceOfSatisfying(PrismApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            synchronized (received) {
                assertThat(refused).as("webhooks the verifier refused").isEmpty();
            }
        }
    }

    private static void publish(WsTestClient c) throws IOException {
        c.send(new JsonObject().put("type", "publishOffer").put("requestId", "p")
                .put("sdp", SignalingBadInputTest.resource("/sdp/chrome-publish-offer-plain.sdp")));
        c.next("publishAnswer", 10);
    }
}
