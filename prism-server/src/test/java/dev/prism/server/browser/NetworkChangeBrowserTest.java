package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A network change mid-call with real browsers (issue #13, item 5): bob sits in a network namespace and, while he and
 * alice see each other, his address is replaced by another ({@link NetNamespace#moveAddress()}: what a phone's move
 * from Wi-Fi to cellular looks like from inside). His ICE pairs and his signaling socket die with the old address.
 * The SDK restarts ICE on both connections (and resumes the socket) without leaving the room: alice decodes his video
 * again and he decodes hers on his new pairs, he is the same participant, and alice never sees him leave. What is
 * asserted can truly fail; the times are printed, not asserted (the target: video back within 2 s): from the
 * old address's deletion, both pages' timelines (the SDK's ICE restart steps, local candidates, selected pairs, video
 * frozen and back from a 30 ms stats poll). They show where the time goes: the restart is answered within about a
 * second, but Chromium gathers a candidate on the new address only ~2 s after the change (its own network-change
 * notification), and the pair and the first key frame follow within ~0.5 s.
 *
 * <p>Needs root (network namespaces), like {@link ImpairedNetworkBrowserTest}; everything made here is deleted
 * afterwards.
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
class NetworkChangeBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);
    /** Frames decoded after the change before video counts as back: more than a jitter buffer can hold. */
    private static final int FRAMES_AFTER_CHANGE = 10;

    /** Decoded video frames of the subscriber connection and the local address of each connection's selected pair. */
    private static final String STATS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const c = window.prism && window.prism.client;
              if (!c || !c.subscriberPc || !c.publisherPc) return { error: 'no connections yet' };
              const local = async (pc) => {
                const stats = await pc.getStats();
                let address = null;
                stats.forEach((s) => {
                  if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
                  const pair = stats.get(s.selectedCandidatePairId);
                  const cand = pair && stats.get(pair.localCandidateId);
                  if (cand) address = cand.address || cand.ip || null;
                });
                return { stats, address };
              };
              const sub = await local(c.subscriberPc);
              const pub = await local(c.publisherPc);
              let videoFrames = 0;
              sub.stats.forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') videoFrames += s.framesDecoded || 0;
              });
              return { videoFrames, subscriberLocal: sub.address, publisherLocal: pub.address,
                       iceRestarts: c.iceRestarts, state: c.state, id: c.participantId || (c.self && c.self.id) || null };
            })().then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e) })));
            """;

    /**
     * Records, with wall-clock timestamps (the pages, the server's log and this test share the machine's clock), what a
     * page sees of the change: the SDK's ICE restart steps and reconnect, each connection's ICE state and selected pair
     * (its local address), and, from a 30 ms stats poll, when decoded video froze, came back and reached
     * {@link #FRAMES_AFTER_CHANGE} frames after coming back.
     */
    private static final String RECORD_TIMELINE = """
            const c = window.prism.client;
            const frames = arguments[0];
            window.__timeline = [];
            const at = (what) => window.__timeline.push(Date.now() + ' ' + what);
            window.addEventListener('online', () => at('online'));
            if (navigator.connection) navigator.connection.addEventListener('change', () => at('connection change'));
            for (const [role, pc] of [['pub', c.publisherPc], ['sub', c.subscriberPc]]) {
              pc.addEventListener('iceconnectionstatechange', () => at(role + ' ice ' + pc.iceConnectionState));
              pc.addEventListener('icecandidate', (e) => {
                if (e.candidate && e.candidate.address) at(role + ' candidate ' + e.candidate.address + ' ' + e.candidate.protocol);
              });
              const rtp = role === 'pub' ? pc.getSenders() : pc.getReceivers();
              const ice = rtp.map((x) => x.transport && x.transport.iceTransport).find(Boolean);
              if (ice) ice.addEventListener('selectedcandidatepairchange', () => {
                const pair = ice.getSelectedCandidatePair();
                at(role + ' pair ' + (pair && pair.local ? pair.local.address : '?'));
              });
            }
            for (const n of ['reconnecting', 'reconnected']) c.on(n, () => at(n));
            c.on('iceRestart', (e) => at('restart ' + e.phase + ' (' + e.cause + ')'));
            let last = -1, lastAt = 0, backAt = 0, sinceBack = 0;
            window.__frameTimer = setInterval(async () => {
              let n = 0;
              (await c.subscriberPc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') n += s.framesDecoded || 0;
              });
              const now = Date.now();
              if (last >= 0 && n > last) {
                if (now - lastAt > 250) {
                  window.__timeline.push(lastAt + ' video froze');
                  at('video back');
                  backAt = now;
                  sinceBack = 0;
                }
                sinceBack += n - last;
                if (backAt && sinceBack >= frames) {
                  at('video ' + frames + ' frames');
                  backAt = 0;
                }
              }
              if (n !== last) { last = n; lastAt = now; }
            }, 30);
            return true;
            """;

    private BrowserCall call;

    @BeforeEach
    void setUp() {
        call = BrowserCall.inNamespace(false, List.of("alice"), List.of("bob"));
    }

    @AfterEach
    void tearDown() {
        if (call != null) {
            call.close();
        }
    }

    @Override
    public List<ChromeBrowser> browsersToDump() {
        return call == null ? List.of() : call.browsers();
    }

    @Test
    void aParticipantWhoseAddressChangesMidCallGetsMediaBackByIceRestartWithoutLeaving() {
        ChromeBrowser alice = call.browsers().get(0);
        ChromeBrowser bob = call.browsers().get(1);
        String room = "netchange-" + Long.toHexString(System.nanoTime());
        alice.open(call.server().joinUrl(room, "alice"));
        bob.open(call.server().joinUrl(call.ns().hostAddress(), room, "bob"));
        awaitVideo(alice, 1, s -> true);
        JsonObject bobBefore = awaitVideo(bob, 1, s -> true);
        String oldAddress = call.ns().nsAddress();
        String bobId = bobIdSeenBy(alice);
        ClientEvents.record(alice);

        alice.js(RECORD_TIMELINE, FRAMES_AFTER_CHANGE);
        bob.js(RECORD_TIMELINE, FRAMES_AFTER_CHANGE);
        long commandsAt = System.currentTimeMillis();
        String newAddress = call.ns().moveAddress();
        long changedAt = call.ns().addressDeletedAtMillis();
        long commandsMs = System.currentTimeMillis() - commandsAt;
        // Media back on the new path: both of bob's pairs moved, then video decodes on, each way.
        JsonObject bobMoved = awaitStats(bob, "both pairs on " + newAddress, RECOVERY_TIMEOUT,
                s -> newAddress.equals(s.getString("subscriberLocal")) && newAddress.equals(s.getString("publisherLocal")));
        JsonObject aliceAfter = awaitVideo(alice, stats(alice).getLong("videoFrames") + FRAMES_AFTER_CHANGE, s -> true);
        JsonObject bobAfter = awaitVideo(bob, bobMoved.getLong("videoFrames") + FRAMES_AFTER_CHANGE, s -> true);
        long polledMs = System.currentTimeMillis() - changedAt;
        List<String> bobTimeline = timeline(bob, changedAt);
        List<String> aliceTimeline = timeline(alice, changedAt);

        System.out.printf("[prism-netchange] address %s -> %s (the ip commands took %d ms; times from the old address's "
                + "deletion): video decoded again %s at alice (bob's video), %s at bob (alice's video); target within "
                + "2000 ms; media flowing both ways on the new pairs seen by %d ms; bob's ICE restarts %d%n", oldAddress,
                newAddress, commandsMs, videoBack(aliceTimeline, "video back"), videoBack(bobTimeline, "video back"),
                polledMs, bobAfter.getLong("iceRestarts"));
        System.out.printf("[prism-netchange] breakdown, ms after the change: bob %s; alice %s%n", bobTimeline,
                aliceTimeline);
        System.out.printf("[prism-netchange] summary, ms after the change: detected %s, socket resumed %s, ICE "
                + "restart started %s, answered %s (subscriber's renewed offer answered %s), bob's pairs on the new "
                + "address %s (pub) %s (sub); video back at alice %s (%d frames %s), at bob %s (%d frames %s)%n",
                first(bobTimeline, "restart detected"), first(bobTimeline, "reconnected"),
                first(bobTimeline, "restart started"), first(bobTimeline, "restart done"),
                first(bobTimeline, "restart subscriberAnswered"), first(bobTimeline, "pub pair " + newAddress),
                first(bobTimeline, "sub pair " + newAddress), videoBack(aliceTimeline, "video back"),
                FRAMES_AFTER_CHANGE, videoBack(aliceTimeline, "video " + FRAMES_AFTER_CHANGE + " frames"),
                videoBack(bobTimeline, "video back"), FRAMES_AFTER_CHANGE,
                videoBack(bobTimeline, "video " + FRAMES_AFTER_CHANGE + " frames"));

        assertThat(bobBefore.getString("subscriberLocal")).as("bob's pair before the change").isEqualTo(oldAddress);
        assertThat(bobAfter.getLong("iceRestarts")).as("bob restarted ICE").isPositive();
        assertThat(bobAfter.getString("publisherLocal")).as("bob's publisher pair").isEqualTo(newAddress);
        assertThat(bobAfter.getString("subscriberLocal")).as("bob's subscriber pair").isEqualTo(newAddress);
        assertThat(aliceAfter.getString("state")).isEqualTo("connected");
        assertThat(bobAfter.getString("state")).isEqualTo("connected");
        assertThat(bobIdSeenBy(alice)).as("bob is the same participant").isEqualTo(bobId);
        assertThat(ClientEvents.seen(alice).stream().map(String::valueOf))
                .as("alice never sees bob leave or join again")
                .noneMatch(e -> e.startsWith("participantLeft") || e.startsWith("participantJoined"));
    }

    /**
     * The page's timeline since the change, each entry as "ms-after-the-change what", once its frame poll saw
     * {@link #FRAMES_AFTER_CHANGE} frames after video came back (or after a few seconds: the figures then show "-").
     */
    private static List<String> timeline(ChromeBrowser b, long changedAt) {
        String done = "return window.__timeline.some((e) => e.endsWith(' video " + FRAMES_AFTER_CHANGE + " frames'));";
        try {
            b.waitUntil("the frame poll's figures", Duration.ofSeconds(5), x -> Boolean.TRUE.equals(x.js(done)) ? true : null,
                    () -> "");
        } catch (AssertionError e) {
            // printed as "-": the figures are information, what the test asserts is checked apart
        }
        b.js("clearInterval(window.__frameTimer);");
        return ((List<?>) b.js("return window.__timeline;")).stream().map(String::valueOf)
                .map(e -> (Long.parseLong(e.substring(0, e.indexOf(' '))) - changedAt) + e.substring(e.indexOf(' ')))
                .toList();
    }

    /** The time of the first entry of {@code timeline} starting with {@code what} (after the time), or "-". */
    private static String first(List<String> timeline, String what) {
        return timeline.stream().filter(e -> e.substring(e.indexOf(' ') + 1).startsWith(what))
                .map(e -> e.substring(0, e.indexOf(' ')) + " ms").findFirst().orElse("-");
    }

    /**
     * The time of {@code what} ("video back", or "video N frames") after the longest freeze in {@code timeline} (a
     * loaded page's late stats poll can record a short one of its own), or "-".
     */
    private static String videoBack(List<String> timeline, String what) {
        long longest = -1;
        int backAt = -1;
        for (int i = 0; i + 1 < timeline.size(); i++) {
            if (timeline.get(i).endsWith(" video froze") && timeline.get(i + 1).endsWith(" video back")) {
                long freeze = ms(timeline.get(i + 1)) - ms(timeline.get(i));
                if (freeze > longest) {
                    longest = freeze;
                    backAt = i + 1;
                }
            }
        }
        if (backAt < 0) {
            return "-";
        }
        for (int i = backAt; i < timeline.size(); i++) {
            if (timeline.get(i).endsWith(" " + what)) {
                return ms(timeline.get(i)) + " ms";
            }
        }
        return "-";
    }

    private static long ms(String entry) {
        return Long.parseLong(entry.substring(0, entry.indexOf(' ')));
    }

    private static String bobIdSeenBy(ChromeBrowser viewer) {
        return (String) viewer.js("for (const p of window.prism.client.participants.values())"
                + " if (p.name === 'bob') return p.id; return null;");
    }

    private static JsonObject stats(ChromeBrowser b) {
        return new JsonObject(String.valueOf(b.asyncJs(STATS)));
    }

    /** Waits until the subscriber connection decoded at least {@code frames} video frames and {@code also} holds. */
    private static JsonObject awaitVideo(ChromeBrowser b, long frames, java.util.function.Predicate<JsonObject> also) {
        return awaitStats(b, frames + " decoded video frames", frames > 1 ? RECOVERY_TIMEOUT : MEDIA_TIMEOUT,
                s -> s.getLong("videoFrames") >= frames && also.test(s));
    }

    /** Waits until the page's stats ({@link #STATS}) satisfy {@code condition}. */
    private static JsonObject awaitStats(ChromeBrowser b, String description, Duration timeout,
                                         java.util.function.Predicate<JsonObject> condition) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        return b.waitUntil(description, timeout, Duration.ofMillis(50), x -> {
            JsonObject s = stats(x);
            last.set(s);
            return !s.containsKey("error") && condition.test(s) ? s : null;
        }, () -> "last stats " + last.get());
    }
}
