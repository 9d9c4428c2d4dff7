package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 item 8 on a single node: a same-identity rejoin must never land in a room that has just closed (emptied by
 * its last participant leaving, or closed by an operator). Each round races the joins against the room's end over real
 * WebSockets, with two media threads so that a room opened again may live on another loop; afterwards whoever holds an
 * open socket must be in the registry's live room: a newcomer sees it, and no participant is left in a closed room.
 */
class ClosedRoomRejoinTest {
    private static final String SECRET = "closed-room-closed-room-closed-room-0123";
    private static final int ROUNDS = 20;
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1").apiSecret(SECRET).resumeWindowSeconds(30)
                .mediaThreads(2).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String token(String room, String identity) {
        TokenService ts = new TokenService(SECRET, TokenService.SYSTEM_EPOCH_SECONDS);
        long now = ts.nowEpochSeconds();
        return ts.issue(new AccessToken(room, identity, identity, true, true, now, now + 600));
    }

    private static WsTestClient connect(String room, String identity) {
        return WsTestClient.connect(server.httpPort(), token(room, identity));
    }

    @Test
    void twoConcurrentRejoinsWhileTheLastParticipantLeavesEndInOneLiveRoom() {
        for (int round = 0; round < ROUNDS; round++) {
            String room = "race-leave-" + round;
            WsTestClient old = connect(room, "alice");
            old.next("welcome", 5);
            CompletableFuture<WsTestClient> a = CompletableFuture.supplyAsync(() -> connect(room, "alice"));
            CompletableFuture<WsTestClient> b = CompletableFuture.supplyAsync(() -> connect(room, "alice"));
            old.close(); // 1000: leaves at once, emptying the room while the rejoins arrive
            List<WsTestClient> rejoins = List.of(a.join(), b.join());
            settle(room, rejoins, 1);
            rejoins.forEach(WsTestClient::close);
        }
        noEmptyRoomIsLeft();
    }

    @Test
    void aRejoinRacingAnOperatorsCloseNeverStaysInTheClosedRoom() {
        for (int round = 0; round < ROUNDS; round++) {
            String room = "race-close-" + round;
            WsTestClient old = connect(room, "alice");
            old.next("welcome", 5);
            CompletableFuture<WsTestClient> rejoin = CompletableFuture.supplyAsync(() -> connect(room, "alice"));
            server.sfu().conference().closeRoom(room).join();
            WsTestClient again = rejoin.join();
            // Before the close: replaced, or closed with the room (4005); after it: welcomed in a new room.
            settle(room, List.of(again), -1);
            old.close();
            again.close();
        }
        noEmptyRoomIsLeft();
    }

    @Test
    void aRejoinAfterAnOperatorClosedTheRoomOpensItAgain() {
        try (WsTestClient alice = connect("closed-then-back", "alice");
             WsTestClient bob = connect("closed-then-back", "bob")) {
            alice.next("welcome", 5);
            bob.next("welcome", 5);
            server.sfu().conference().closeRoom("closed-then-back").join();
            assertThat(alice.awaitClose(5)).isEqualTo(4005);
            assertThat(bob.awaitClose(5)).isEqualTo(4005);
            try (WsTestClient back = connect("closed-then-back", "alice")) {
                assertThat(back.next("welcome", 5).getJsonObject("room").getJsonArray("participants")).hasSize(1);
                settle("closed-then-back", List.of(back), 1);
            }
        }
    }

    /**
     * Waits until each client's fate is known (welcomed and open, or closed), then checks the invariant: the open
     * ones are the room's participants, in the registry's live room, and a newcomer sees them there.
     *
     * @param expectOpen how many clients must end up open, or -1 for any number up to one
     */
    private static void settle(String room, List<WsTestClient> clients, int expectOpen) {
        waitFor(() -> clients.stream().allMatch(c -> c.closeCode() != -1 || welcomed(c)), "every join answered");
        // a welcomed socket may still be replaced or closed by what raced it: wait until the room agrees
        waitFor(() -> openCount(clients) == participantsOf(room).size(), "the room holds exactly the open sockets");
        int open = openCount(clients);
        if (expectOpen >= 0) {
            assertThat(open).as("open rejoins in %s", room).isEqualTo(expectOpen);
        } else {
            assertThat(open).as("open rejoins in %s", room).isLessThanOrEqualTo(1);
        }
        if (open == 0) {
            return;
        }
        WsTestClient alive = clients.stream().filter(c -> c.closeCode() == -1).findFirst().orElseThrow();
        alive.send(new JsonObject().put("type", "ping").put("requestId", "alive"));
        assertThat(alive.next("pong", 5).getString("requestId")).isEqualTo("alive");
        Room live = server.sfu().rooms().get(room);
        assertThat(live).as("the room of an open session is registered").isNotNull();
        assertThat(live.isClosed()).isFalse();
        try (WsTestClient newcomer = connect(room, "newcomer")) {
            JsonObject welcome = newcomer.next("welcome", 5);
            assertThat(welcome.getJsonObject("room").getJsonArray("participants").stream()
                    .map(p -> ((JsonObject) p).getString("id")).toList())
                    .as("a newcomer in %s sees the rejoined participant", room).contains("alice");
        }
    }

    /** Every socket closed: every room is gone, none kept open empty by a join given up or refused. */
    private static void noEmptyRoomIsLeft() {
        waitFor(() -> server.sfu().conference().participantCount() == 0, "everyone gone");
        waitFor(() -> server.sfu().rooms().rooms().isEmpty(), "no room left, saw "
                + server.sfu().rooms().rooms().stream().map(Room::id).toList());
    }

    private static boolean welcomed(WsTestClient c) {
        return c.seen().stream().anyMatch(m -> "welcome".equals(m.getString("type")))
                || !c.quietFor(1).stream().filter(m -> "welcome".equals(m.getString("type"))).toList().isEmpty();
    }

    private static int openCount(List<WsTestClient> clients) {
        return (int) clients.stream().filter(c -> c.closeCode() == -1).count();
    }

    /** The participants of the registry's live room of that id (read on its loop). */
    private static List<String> participantsOf(String roomId) {
        Room r = server.sfu().rooms().get(roomId);
        if (r == null) {
            return List.of();
        }
        CompletableFuture<List<String>> ids = new CompletableFuture<>();
        r.executor().execute(() -> ids.complete(r.isClosed() ? List.of()
                : new ArrayList<>(r.participants().stream().map(Participant::id).toList())));
        return ids.join();
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // poll
        }
    }
}
