package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.server.ApiHttp;
import dev.prism.signaling.auth.TokenService;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #16 with real browsers: two Chromium participants on the demo page exchange data messages through the SDK
 * ({@code sendData} / {@code dataReceived}), receive one from the server API, and see a live permission change: the
 * server API revokes bob's publishing, bob's page hears {@code permissionsChanged} and alice's page loses bob's tracks.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class DataAndGrantsBrowserTest implements BrowserArtifacts.Browsers {
    /** Generous: two loaded cores run both browsers and the server. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String ROOM = "data-grants";
    private static final String LISTEN = "window.got = []; window.perms = null;"
            + "window.prism.client.on('dataReceived', e => window.got.push({payload: e.payload, from: e.from,"
            + " server: e.fromServer}));"
            + "window.prism.client.on('permissionsChanged', p => { window.perms = p; });";

    private BrowserCall call;

    @BeforeEach
    void start() {
        call = BrowserCall.local(List.of("alice", "bob"));
    }

    @AfterEach
    void stop() {
        if (call != null) {
            call.close();
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return call == null ? List.of() : call.browsers();
    }

    @Override
    public InboundMedia.Sample statsForDump(ChromeBrowser browser) {
        return InboundMedia.sample(browser);
    }

    @Test
    void dataMessagesBetweenBrowsersAndALivePermissionChange() {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        for (ChromeBrowser b : List.of(alice, bob)) {
            b.open(call.server().joinUrl(ROOM, b.name()));
            b.waitFor(b.name() + " joined", "window.prism && window.prism.ready && window.prism.client", TIMEOUT);
            b.js(LISTEN);
        }
        TokenService tokens = call.server().server().tokens();
        long now = tokens.nowEpochSeconds();
        ApiHttp api = new ApiHttp(call.server().httpPort(), tokens.issueRoomAdmin("browser-test", now, now + 600));
        String bobId = (String) bob.js("return window.prism.client.localParticipant.id;");
        alice.waitFor("bob's two tracks at alice", "(() => { const b = window.prism.client.participants.get('"
                + bobId + "'); return b && b.tracks.size === 2; })()", TIMEOUT);

        Object delivered = bob.asyncJs("window.prism.client.sendData({hello: 'alice'})"
                + ".then(r => arguments[arguments.length - 1](r.delivered), e => arguments[arguments.length - 1](String(e)))");
        assertThat(delivered).isEqualTo(1L);
        alice.waitFor("bob's message at alice", "window.got.length === 1 && window.got[0].from === '" + bobId
                + "' && window.got[0].payload.hello === 'alice'", TIMEOUT);

        ApiHttp.Reply sent = api.post("/rooms/" + ROOM + "/data", new JsonObject().put("payload", "from the server"));
        assertThat(sent.body().getInteger("delivered")).isEqualTo(2);
        for (ChromeBrowser b : List.of(alice, bob)) {
            b.waitFor("the server's message at " + b.name(), "window.got.some(m => m.server === true"
                    + " && m.payload === 'from the server')", TIMEOUT);
        }

        ApiHttp.Reply revoked = api.patch("/rooms/" + ROOM + "/participants/" + bobId,
                new JsonObject().put("permissions", new JsonObject().put("canPublish", false)));
        assertThat(revoked.status()).as(revoked.body().encode()).isEqualTo(200);
        bob.waitFor("permissionsChanged at bob", "window.perms && window.perms.canPublish === false", TIMEOUT);
        alice.waitFor("bob's tracks gone at alice", "window.prism.client.participants.get('" + bobId
                + "').tracks.size === 0", TIMEOUT);
    }
}
