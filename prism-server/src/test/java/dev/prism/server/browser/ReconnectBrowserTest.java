package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ParticipantMediaStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leaving and coming back, and media-state reconciliation, with real browsers on the demo page: a participant whose
 * signaling socket drops resumes within the window without anyone else noticing and its media never stops; a page
 * reload leaves no ghost; an ICE restart of both connections keeps media flowing; a track whose forwarding is silently
 * broken on the server is noticed by the subscriber's SDK and repaired.
 *
 * <p>Each test joins a room of its own; the two browsers and the server are shared by the tests of this class.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconnectBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    /** Target: a resume completes within this of the socket being usable again. */
    private static final long MAX_RESUME_MS = 2000;
    private BrowserCall call;

    @BeforeAll
    void start() {
        call = BrowserCall.local(List.of("alice", "bob"));
    }

    @AfterAll
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
    void aDroppedSignalingSocketResumesWithoutOthersNoticingAndMediaKeepsFlowing() {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        String room = room("resume");
        joinBoth(alice, bob, room);
        ClientEvents.record(alice);
        InboundMedia.Sample before = InboundMedia.sample(alice);

        // The socket drops without a goodbye (a close code that is not 1000/1001: the server keeps bob for a resume).
        bob.js("window.prism.client._socket.ws.close(3001, 'test: network drop'); return true;");
        Map<?, ?> resumed = bob.waitUntil("bob's client to resume", Duration.ofSeconds(10),
                b -> (Map<?, ?>) b.js("const c = window.prism.client;"
                        + "return c.state === 'connected' && c.lastReconnect ? c.lastReconnect : null;"),
                () -> "state " + bob.js("return window.prism.client.state;"));
        long ms = ((Number) resumed.get("ms")).longValue();
        System.out.printf("[prism-resume] bob's signaling socket dropped and resumed in %d ms (%s attempts), "
                + "resumed=%s%n", ms, resumed.get("attempts"), resumed.get("resumed"));
        assertThat(resumed.get("resumed")).as("the same session, not a new join").isEqualTo(Boolean.TRUE);
        assertThat(ms).as("resume time").isLessThan(MAX_RESUME_MS);

        awaitRising(alice, "bob", before);
        awaitRising(bob, "alice", InboundMedia.sample(bob));
        assertThat(ClientEvents.seen(alice)).as("what alice saw of bob's drop and resume").isEmpty();
        assertThat(participantsOnServer(room)).hasSize(2);
        assertThat(bob.js("return window.prism.client.publisherPc.connectionState;")).isEqualTo("connected");
        assertThat(call.server().server().sfu().counters().resumedSessions()).isPositive();
    }

    @Test
    void aPageReloadRejoinsWithoutAGhost() {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        String room = room("reload");
        joinBoth(alice, bob, room);
        String oldId = participantId(alice, "bob");
        long start = System.nanoTime();
        bob.js("location.reload(); return true;");
        alice.waitUntil("the old bob to be gone from alice's page", Duration.ofSeconds(5),
                a -> Boolean.FALSE.equals(a.js("return window.prism.client.participants.has(arguments[0]);", oldId))
                        ? Boolean.TRUE : null, () -> "participants " + participants(alice));
        long goneMs = (System.nanoTime() - start) / 1_000_000;
        awaitFlowing(bob, "alice");
        awaitFlowing(alice, "bob");
        long bobs = (Long) alice.js("return [...window.prism.client.participants.values()]"
                + ".filter((p) => p.name === 'bob').length;");
        System.out.printf("[prism-reload] bob reloaded: the old bob left alice's view %d ms later (resume window "
                + "%d s); %d bob in the room%n", goneMs, call.server().server().sfu().resumeWindow().toSeconds(), bobs);
        assertThat(bobs).as("exactly one bob").isEqualTo(1);
        assertThat(goneMs).as("gone long before the resume window ends").isLessThan(5000);
        assertThat(participantsOnServer(room)).as("participants the server has in the room").hasSize(2);
    }

    @Test
    void anIceRestartOfBothConnectionsKeepsMediaFlowing() {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        joinBoth(alice, bob, room("ice"));
        String ufrags = "const c = window.prism.client; const u = (pc) => (pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/) || [])[1];"
                + "return u(c.publisherPc) + ' ' + u(c.subscriberPc);";
        String before = (String) bob.js(ufrags);
        InboundMedia.Sample aliceBefore = InboundMedia.sample(alice);
        bob.asyncJs("const done = arguments[arguments.length - 1];"
                + "window.prism.client.restartIce().then(() => done(true), (e) => done(String(e)));");
        String after = bob.waitUntil("new server credentials on both of bob's connections", Duration.ofSeconds(10),
                b -> {
                    String u = (String) b.js(ufrags);
                    String[] now = u.split(" ");
                    String[] was = before.split(" ");
                    return !now[0].equals(was[0]) && !now[1].equals(was[1]) ? u : null;
                }, () -> "ufrags " + bob.js(ufrags));
        awaitRising(alice, "bob", aliceBefore);
        awaitRising(bob, "alice", InboundMedia.sample(bob));
        System.out.printf("[prism-ice] bob restarted ICE on both connections (server ufrags %s -> %s); media flows both "
                + "ways%n", before, after);
        assertThat(bob.js("return window.prism.client.iceRestarts;")).isEqualTo(1L);
    }

    @Test
    void aMissingTrackIsNoticedAndRepairedByReconciliation() throws Exception {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        String room = room("repair");
        joinBoth(alice, bob, room);
        String bobId = participantId(alice, "bob");
        String aliceVideo = (String) bob.js("for (const p of window.prism.client.participants.values())"
                + " if (p.name === 'alice') for (const t of p.tracks.values()) if (t.kind === 'video') return t.id;"
                + "return null;");
        assertThat(call.server().server().sfu().dropConsumerForTesting(room, bobId, aliceVideo)
                .get(5, TimeUnit.SECONDS))
                .as("a consumer to break").isTrue();
        long broken = System.nanoTime();
        Map<?, ?> repair = bob.waitUntil("bob's SDK to report the missing video and get it repaired",
                Duration.ofSeconds(20), b -> (Map<?, ?>) b.js("const r = window.prism.client.repairs;"
                        + "return r.find((x) => x.trackId === arguments[0]) || null;", aliceVideo),
                () -> "repairs " + bob.js("return JSON.stringify(window.prism.client.repairs);"));
        long noticedMs = (System.nanoTime() - broken) / 1_000_000;
        InboundMedia.Sample at = InboundMedia.sample(bob);
        awaitRising(bob, "alice", at);
        long flowingMs = (System.nanoTime() - broken) / 1_000_000;
        List<ParticipantMediaStats> stats = call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS);
        ParticipantMediaStats bobStats = stats.stream().filter(s -> s.participantId().equals(bobId)).findFirst()
                .orElseThrow();
        System.out.printf("[prism-repair] alice's video to bob broken on the server: bob reported it (%s) after %d ms, "
                + "the server did '%s', video decoding again after %d ms; server records %s%n", repair.get("issue"),
                noticedMs, repair.get("action"), flowingMs, bobStats.repairs());
        assertThat(repair.get("action")).isEqualTo("resubscribed");
        assertThat(bobStats.repairs()).anySatisfy(e -> {
            assertThat(e.trackId()).isEqualTo(aliceVideo);
            assertThat(e.action()).isEqualTo("resubscribed");
        });
    }

    // --- steps -------------------------------------------------------------------------------------------------

    private static String room(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private void joinBoth(ChromeBrowser alice, ChromeBrowser bob, String room) {
        BrowserThreads.parallel(List.of(alice, bob), b -> {
            b.open(call.server().joinUrl(room, b.name()));
            return b;
        });
        awaitFlowing(alice, "bob");
        awaitFlowing(bob, "alice");
    }

    /** Waits until video frames are decoded and audio is received from {@code sender}. */
    private static InboundMedia.Sample awaitFlowing(ChromeBrowser viewer, String sender) {
        AtomicReference<InboundMedia.Sample> last = new AtomicReference<>();
        return viewer.waitUntil("audio and video from " + sender, MEDIA_TIMEOUT, x -> {
            InboundMedia.Sample s = InboundMedia.sample(x);
            last.set(s);
            return s.framesDecodedFrom(sender) > 0 && s.audioPacketsFrom(sender) > 0 ? s : null;
        }, () -> "last " + last.get());
    }

    /** Waits until frames and audio packets from {@code sender} have grown past {@code base}. */
    private static void awaitRising(ChromeBrowser viewer, String sender, InboundMedia.Sample base) {
        AtomicReference<InboundMedia.Sample> last = new AtomicReference<>();
        viewer.waitUntil("frames and audio from " + sender + " to keep rising", MEDIA_TIMEOUT, x -> {
            InboundMedia.Sample s = InboundMedia.sample(x);
            last.set(s);
            return s.framesDecodedFrom(sender) > base.framesDecodedFrom(sender) + 5
                    && s.audioPacketsFrom(sender) > base.audioPacketsFrom(sender) + 5 ? s : null;
        }, () -> "base " + base + "\nlast " + last.get());
    }

    private static String participantId(ChromeBrowser viewer, String name) {
        return viewer.waitUntil("participant " + name, MEDIA_TIMEOUT, b -> (String) b.js(
                "for (const p of window.prism.client.participants.values()) if (p.name === arguments[0]) return p.id;"
                        + "return null;", name), () -> participants(viewer));
    }

    private List<String> participantsOnServer(String room) {
        try {
            return call.server().server().sfu().mediaStats(room).get(5, TimeUnit.SECONDS).stream()
                    .map(ParticipantMediaStats::participantId).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String participants(ChromeBrowser viewer) {
        return String.valueOf(viewer.js("return JSON.stringify([...window.prism.client.participants.values()]"
                + ".map((p) => ({ id: p.id, name: p.name })));"));
    }
}
