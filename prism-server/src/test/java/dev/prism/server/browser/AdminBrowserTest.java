package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's view of a real call: two Chromium participants join one room through the demo page, then
 *
 * <ol>
 *   <li>the Prometheus endpoint, scraped during the call, shows the packet counters rising;</li>
 *   <li>a third Chromium opens {@code /admin}, is refused with a wrong secret (401, nothing shown), signs in, sees the
 *       room and both participants live (connected, with bitrates), plots one of them, saves screenshots
 *       ({@code target/browser-artifacts/admin-live*.png}), removes the other from the page (confirming the dialog),
 *       and sees it disappear — while the removed participant's own page is told and the remaining one sees it
 *       leave; removing it again from a stale page shows a not-found message; muting the other's microphone from
 *       the page shows it muted there and on that participant's own page.</li>
 * </ol>
 */
@Tag("browser")
@ExtendWith(BrowserArtifacts.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminBrowserTest implements BrowserArtifacts.Browsers {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(15);

    private final String room = "admin-" + Long.toHexString(System.nanoTime());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BrowserCall call;
    private ChromeBrowser alice;
    private ChromeBrowser bob;
    private ChromeBrowser admin;

    @BeforeAll
    void startACall() {
        call = BrowserCall.local(List.of("alice", "bob", "admin"));
        alice = call.browsers().get(0);
        bob = call.browsers().get(1);
        admin = call.browsers().get(2);
        BrowserThreads.parallel(List.of(alice, bob), b -> {
            b.open(call.server().joinUrl(room, b.name()));
            return b;
        });
        BrowserThreads.parallel(List.of(alice, bob), b -> awaitVideoFrom(b, b == alice ? "bob" : "alice"));
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

    @Test
    @Order(1)
    void prometheusPacketCountersRiseDuringTheCall() throws Exception {
        String first = scrape();
        Map<String, Double> before = counters(first);
        assertThat(before.get("in")).as("packets in so far").isPositive();
        AtomicReference<Map<String, Double>> last = new AtomicReference<>(before);
        // Poll the endpoint until every packet counter has grown (media keeps flowing between two scrapes).
        admin.waitUntil("packet counters to rise between scrapes", METRICS_TIMEOUT, b -> {
            Map<String, Double> now = counters(scrapeUnchecked());
            last.set(now);
            return now.entrySet().stream().allMatch(e -> e.getValue() > before.get(e.getKey())) ? now : null;
        }, () -> "before " + before + ", last " + last.get());
        String later = scrapeUnchecked();
        System.out.printf("[prism-admin] metrics: %s -> %s%n", before, last.get());
        admin.waitUntil("the sampler to count both participants and record their bitrates", METRICS_TIMEOUT,
                b -> {
                    String s = scrapeUnchecked();
                    return value(s, "prism_participants") == 2 && value(s,
                            "prism_participant_uplink_bitrate_bps_count") > 0 ? s : null;
                }, () -> later.lines().filter(l -> l.startsWith("prism_participant")).toList().toString());
        assertThat(value(later, "prism_dtls_handshakes_total{result=\"ok\"}")).as("two connections each").isEqualTo(4);
    }

    @Test
    @Order(2)
    void adminPageShowsTheCallLiveAndRemovesAParticipantFromThePage() throws Exception {
        admin.open(call.server().adminUrl(room));

        // A wrong secret: the page says 401 and shows nothing about rooms.
        signIn("not-the-admin-secret");
        admin.waitFor("the 401 message", "!document.querySelector('#login-error').hidden && "
                + "document.querySelector('#login-error').textContent.includes('401')", PAGE_TIMEOUT);
        assertThat(admin.js("return document.querySelector('#app').hidden;")).isEqualTo(true);
        assertThat((String) admin.js("return document.body.innerText;")).doesNotContain(room, "alice", "bob");

        // The right one: live room with both participants connected and measured.
        signIn(call.server().adminSecret());
        admin.waitFor("the live indicator", "document.querySelector('#live').textContent === 'live'",
                PAGE_TIMEOUT);
        admin.waitFor("the room in the room list", "!!document.querySelector('tr[data-room-id=\"" + room + "\"]')",
                PAGE_TIMEOUT);
        String aliceId = participantId("alice");
        String bobId = participantId("bob");
        for (String id : List.of(aliceId, bobId)) {
            String card = "document.querySelector('article[data-participant-id=\"" + id + "\"]')";
            admin.waitFor(id + " connected with an uplink and a downlink bitrate",
                    card + ".querySelector('.state').textContent === 'connected' && "
                            + card + ".querySelector('[data-stat=up]').textContent.includes('bit/s') && "
                            + card + ".querySelector('[data-stat=down]').textContent.includes('bit/s') && "
                            + card + ".querySelectorAll('tr[data-track-id]').length === 2",
                    PAGE_TIMEOUT);
        }
        // Every track shows its codec and the other participant as subscriber.
        assertThat((String) admin.js("return [...document.querySelectorAll('tr[data-track-id]')]"
                + ".map(r => r.children[1].textContent).join(' ');")).contains("opus/48000/2", "VP8/90000");
        assertThat(admin.js("return document.querySelectorAll('li[data-subscriber-id]').length;")).isEqualTo(4L);

        // Plot alice: the time-series panel opens and fills.
        admin.js("document.querySelector('article[data-participant-id=\"" + aliceId
                + "\"] button[data-action=plot]').click();");
        admin.waitFor("alice's plots", "!document.querySelector('#plots').hidden && window.Chart && "
                + "Chart.getChart(document.querySelector('#plot-bitrate')).data.datasets[0].data"
                + ".filter(p => p.y > 0).length >= 2", PAGE_TIMEOUT);
        admin.screenshot(BrowserArtifacts.file("admin-live.png"));
        admin.js("document.querySelector('#room').scrollIntoView();");
        admin.screenshot(BrowserArtifacts.file("admin-live-room.png"));
        admin.js("document.querySelector('#plots').scrollIntoView();");
        admin.screenshot(BrowserArtifacts.file("admin-live-plots.png"));
        JsonObject api = roomFromApi();
        assertThat(api.getJsonArray("participants")).hasSize(2);
        // Link quality from RTCP shows up once receiver reports have come and gone.
        for (String id : List.of(aliceId, bobId)) {
            String card = "document.querySelector('article[data-participant-id=\"" + id + "\"]')";
            admin.waitFor(id + "'s RTT, loss and jitter measured", "['rtt', 'loss', 'jitter'].every(k => !" + card
                    + ".querySelector('[data-stat=' + k + '] .na'))", PAGE_TIMEOUT);
        }
        for (Object o : roomFromApi().getJsonArray("participants")) {
            JsonObject link = ((JsonObject) o).getJsonObject("link");
            assertThat(link.getValue("rttMillis")).as("rtt of %s", o).isNotNull();
            assertThat(link.getDouble("lossFraction")).as("uplink loss of %s", o).isBetween(0.0, 0.05);
            assertThat(link.getValue("jitterMillis")).isNotNull();
        }

        // Remove bob from the page: confirm, then he is gone from the page, the room and alice's view.
        admin.js("document.querySelector('article[data-participant-id=\"" + bobId
                + "\"] button[data-action=remove]').click();");
        admin.waitFor("the confirmation dialog", "document.querySelector('#confirm').open", PAGE_TIMEOUT);
        assertThat((String) admin.js("return document.querySelector('#confirm-text').textContent;"))
                .contains("bob", bobId);
        admin.js("document.querySelector('#confirm-ok').click();");
        admin.waitFor("bob to disappear from the page", "!document.querySelector('article[data-participant-id=\""
                + bobId + "\"]') && !!document.querySelector('article[data-participant-id=\"" + aliceId + "\"]')",
                PAGE_TIMEOUT);
        admin.waitFor("the confirmation message", "[...document.querySelectorAll('#messages .msg.ok')]"
                + ".some(m => m.textContent.includes('" + bobId + "'))", PAGE_TIMEOUT);
        admin.waitFor("the room list to count one participant", "document.querySelector('tr[data-room-id=\""
                + room + "\"]').children[1].textContent === '1'", PAGE_TIMEOUT);
        assertThat((String) admin.js("return document.querySelector('tr[data-room-id=\"" + room + "\"]').children[5]"
                + ".textContent;")).as("the room's media thread and port").matches("#\\d+ · UDP \\d+");
        assertThat(roomFromApi().getJsonArray("participants")).hasSize(1);
        bob.waitFor("bob's page to be told he was removed",
                "window.prism.errors.some(e => e.startsWith('removed'))", PAGE_TIMEOUT);
        alice.waitFor("alice's page to drop bob's tile",
                "!document.querySelector('[data-participant-id=\"" + bobId + "\"]')", PAGE_TIMEOUT);
        admin.screenshot(BrowserArtifacts.file("admin-after-remove.png"));

        // The page acting on what is gone (a stale view): the API's 404 becomes a message, nothing breaks.
        admin.js("removeParticipant(arguments[0], 'bob');", bobId);
        admin.waitFor("the confirmation dialog", "document.querySelector('#confirm').open", PAGE_TIMEOUT);
        admin.js("document.querySelector('#confirm-ok').click();");
        admin.waitFor("a not-found message", "[...document.querySelectorAll('#messages .msg.warn')]"
                + ".some(m => m.textContent.includes('Not found') && m.textContent.includes('" + bobId + "'))",
                PAGE_TIMEOUT);

        // Mute alice's microphone from the page: confirmed, then shown muted, and alice's own page is told.
        String audioRow = "document.querySelector('tr[data-track-id=\"" + aliceId + ":0\"]')";
        admin.js(audioRow + ".querySelector('button[data-action=mute]').click();");
        admin.waitFor("the confirmation dialog", "document.querySelector('#confirm').open", PAGE_TIMEOUT);
        admin.js("document.querySelector('#confirm-ok').click();");
        admin.waitFor("alice's microphone shown muted", audioRow + ".querySelector('.tag').textContent === 'muted' && "
                + audioRow + ".querySelector('button[data-action=mute]').textContent === 'Unmute'", PAGE_TIMEOUT);
        alice.waitFor("alice's page to show her microphone muted (the server's word wins)",
                "window.prism.client.isMuted('audio') === true && "
                        + "document.querySelector('#btn-mic').dataset.muted === 'true'", PAGE_TIMEOUT);

        // Removing him again through the API: a clear 404.
        HttpResponse<String> again = http.send(request("/admin/api/rooms/" + enc(room) + "/participants/"
                + enc(bobId)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(404);
    }

    // ---- steps ------------------------------------------------------------------------------------------------

    private ChromeBrowser awaitVideoFrom(ChromeBrowser b, String sender) {
        AtomicReference<InboundMedia.Sample> last = new AtomicReference<>();
        b.waitUntil("video and audio from " + sender, MEDIA_TIMEOUT, x -> {
            InboundMedia.Sample s = InboundMedia.sample(x);
            last.set(s);
            return s.from(sender, "video").filter(v -> v.framesDecoded() > 0).isPresent()
                    && s.from(sender, "audio").filter(a -> a.packetsReceived() > 0).isPresent() ? s : null;
        }, () -> "last " + last.get());
        return b;
    }

    private void signIn(String secret) {
        admin.waitFor("the sign-in form", "!document.querySelector('#login').hidden", PAGE_TIMEOUT);
        admin.js("document.querySelector('#secret').value = arguments[0];"
                + "document.querySelector('#login-form').requestSubmit();", secret);
    }

    /** The id of the participant called {@code name}, as the admin page shows it. */
    private String participantId(String name) {
        return admin.waitUntil(name + " on the admin page", PAGE_TIMEOUT, b -> (String) b.js(
                "for (const a of document.querySelectorAll('article[data-participant-id]'))"
                        + "  if (a.querySelector('.who').firstChild.textContent === arguments[0])"
                        + "    return a.getAttribute('data-participant-id');"
                        + "return null;", name),
                () -> "participants: " + admin.js("return document.querySelector('#participants').innerText;"));
    }

    private JsonObject roomFromApi() throws Exception {
        HttpResponse<String> r = http.send(request("/admin/api/rooms/" + enc(room)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(call.server().baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + call.server().adminSecret());
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(call.server().baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private String scrapeUnchecked() {
        try {
            return scrape();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Double> counters(String scrape) {
        return Map.of(
                "in", value(scrape, "prism_media_packets_total{direction=\"in\"}"),
                "out", value(scrape, "prism_media_packets_total{direction=\"out\"}"),
                "bytesIn", value(scrape, "prism_media_bytes_total{direction=\"in\"}"),
                "forwarded", value(scrape, "prism_rtp_forwarded_packets_total"));
    }

    private static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
