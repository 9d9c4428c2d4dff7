package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.signaling.auth.TurnCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a participant is told about ICE servers, and when it is told again (fake clock and timers). */
class IceServersRefreshTest {
    private static final String SECRET = "prism-turn-secret-0123456789abcdefghij";
    private static final List<String> URLS = List.of("turn:turn.example.com:3478?transport=udp",
            "turns:turn.example.com:443?transport=tcp");

    private final FakeClock clock = new FakeClock();
    private final ManualTimers timers = new ManualTimers(clock);
    private final List<JsonObject> sent = new ArrayList<>();
    private boolean joined = true;

    private IceServers turn(long ttlSeconds) {
        return IceServers.turn(URLS, new TurnCredentials(SECRET, ttlSeconds, () -> clock.wallMillis() / 1000));
    }

    private IceServersRefresh refresh(IceServers servers, String identity) {
        return new IceServersRefresh(servers, identity,
                (task, nanos) -> timers.schedule(task, nanos, TimeUnit.NANOSECONDS), sent::add, () -> joined);
    }

    private long nowSeconds() {
        return clock.wallMillis() / 1000;
    }

    @Test
    void withoutTurnTheListIsEmptyAndNothingIsScheduled() {
        IceServersRefresh r = refresh(IceServers.NONE, "alice");
        assertThat(r.fresh()).isEqualTo(new JsonArray());
        timers.advance(Duration.ofDays(30));
        assertThat(sent).isEmpty();
    }

    @Test
    void theWelcomeListHoldsTheUrlsAndACredentialForThisIdentity() {
        JsonArray list = refresh(turn(3600), "alice").fresh();
        assertThat(list).hasSize(1);
        JsonObject server = list.getJsonObject(0);
        assertThat(server.getJsonArray("urls").getList()).isEqualTo(URLS);
        assertThat(server.getString("username")).isEqualTo((nowSeconds() + 3600) + ":alice");
        assertThat(server.getString("credential")).isEqualTo(
                new TurnCredentials(SECRET, 1, () -> 0).password(server.getString("username")));
        assertThat(server.fieldNames()).containsExactlyInAnyOrder("urls", "username", "credential");
    }

    @Test
    void freshCredentialsArriveWhenThreeQuartersOfTheLifetimeHavePassed() {
        IceServersRefresh r = refresh(turn(3600), "alice");
        long firstExpiry = Long.parseLong(r.fresh().getJsonObject(0).getString("username").split(":")[0]);
        timers.advance(Duration.ofMinutes(45).minusSeconds(1));
        assertThat(sent).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(sent).hasSize(1);
        JsonObject msg = sent.get(0);
        assertThat(msg.getString("type")).isEqualTo("iceServers");
        String username = msg.getJsonArray("iceServers").getJsonObject(0).getString("username");
        assertThat(username).isEqualTo((nowSeconds() + 3600) + ":alice");
        // the old credential still had a quarter of its life left when the new one came
        assertThat(firstExpiry - nowSeconds()).isEqualTo(15 * 60);
        // and again, every 45 minutes, for as long as the call lasts
        timers.advance(Duration.ofHours(3));
        assertThat(sent).hasSize(5);
        assertThat(r.refreshes()).isEqualTo(5);
    }

    @Test
    void detachedSessionsGetNothingAndAResumeWelcomeRearms() {
        IceServersRefresh r = refresh(turn(600), "alice");
        r.fresh();
        joined = false; // the socket dropped
        timers.advance(Duration.ofMinutes(20));
        assertThat(sent).isEmpty();
        joined = true;
        JsonArray resumed = r.fresh(); // the resume's welcome
        assertThat(resumed.getJsonObject(0).getString("username")).isEqualTo((nowSeconds() + 600) + ":alice");
        timers.advance(Duration.ofSeconds(450));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aWelcomeRestartsTheTimerInsteadOfAddingOne() {
        IceServersRefresh r = refresh(turn(600), "alice");
        r.fresh();
        timers.advance(Duration.ofSeconds(400));
        r.fresh(); // resumed 400 s in: the next refresh is due 450 s after that, once
        timers.advance(Duration.ofSeconds(449));
        assertThat(sent).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        assertThat(sent).hasSize(1);
    }

    @Test
    void aClosedSessionIsNeverRefreshed() {
        IceServersRefresh r = refresh(turn(600), "alice");
        r.fresh();
        r.close();
        timers.advance(Duration.ofHours(2));
        assertThat(sent).isEmpty();
        r.fresh();
        timers.advance(Duration.ofHours(2));
        assertThat(sent).isEmpty();
    }

    @Test
    void eachParticipantsCredentialNamesItself() {
        IceServers servers = turn(3600);
        String alice = refresh(servers, "alice").fresh().getJsonObject(0).getString("username");
        String bob = refresh(servers, "bob").fresh().getJsonObject(0).getString("username");
        assertThat(alice).endsWith(":alice");
        assertThat(bob).endsWith(":bob");
    }

    @Test
    void turnNeedsAUrl() {
        assertThatThrownBy(() -> IceServers.turn(List.of(), new TurnCredentials(SECRET, 60, () -> 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
