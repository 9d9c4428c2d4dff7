package dev.prism.perf.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One participant in a Janus VideoRoom (multistream API of Janus 1.x): a publisher joins and configures with its
 * offer in one request; a subscriber joins with every publisher's feed, answers the offer Janus sends and starts.
 * Each participant has its own Janus session and handle, as a browser would.
 */
final class JanusSignaling implements RoomSignaling {
    private static final String VIDEOROOM = "janus.plugin.videoroom";

    private final HttpClient http;
    private final URI base;
    private final Executor loop;
    private final long room;
    private final String display;
    private final List<Long> feeds;
    private final Consumer<Long> onPublished;
    private JanusSession session;
    private long handle;
    private CompletableFuture<JsonObject> pendingJsep;
    private Function<String, String> answerer;

    /**
     * @param feeds       for a subscriber: the publishers' feed ids to subscribe to
     * @param onPublished for a publisher: told its feed id once Janus accepted its offer
     */
    JanusSignaling(HttpClient http, URI base, Executor loop, long room, String display, List<Long> feeds,
                   Consumer<Long> onPublished) {
        this.http = http;
        this.base = base;
        this.loop = loop;
        this.room = room;
        this.display = display;
        this.feeds = feeds;
        this.onPublished = onPublished;
    }

    @Override
    public CompletableFuture<Void> join(Function<String, String> subscriberAnswerer) {
        this.answerer = subscriberAnswerer;
        CompletableFuture<Void> attached = JanusSession.create(http, base, loop)
                .thenCompose(s -> {
                    session = s;
                    return s.attach(VIDEOROOM, this::onEvent);
                })
                .thenAccept(h -> handle = h);
        if (subscriberAnswerer == null) {
            return attached;
        }
        JsonArray streams = new JsonArray();
        feeds.forEach(f -> streams.add(new JsonObject().put("feed", f)));
        return attached.thenCompose(v -> {
            CompletableFuture<JsonObject> offer = expectJsep();
            session.message(handle, new JsonObject().put("request", "join").put("room", room)
                    .put("ptype", "subscriber").put("streams", streams), null);
            return offer;
        }).thenComposeAsync(offer -> {
            String answer = answerer.apply(offer.getString("sdp"));
            return session.message(handle, new JsonObject().put("request", "start"),
                    new JsonObject().put("type", "answer").put("sdp", answer));
        }, loop).thenCompose(r -> session.trickleCompleted(handle)).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<String> publish(String offerSdp) {
        CompletableFuture<JsonObject> answer = expectJsep();
        session.message(handle, new JsonObject().put("request", "joinandconfigure").put("room", room)
                        .put("ptype", "publisher").put("display", display),
                new JsonObject().put("type", "offer").put("sdp", offerSdp));
        return answer.thenCompose(a -> session.trickleCompleted(handle).thenApply(r -> a.getString("sdp")));
    }

    private synchronized CompletableFuture<JsonObject> expectJsep() {
        pendingJsep = new CompletableFuture<>();
        return pendingJsep;
    }

    /** On the loop. */
    private void onEvent(JsonObject ev) {
        JsonObject data = ev.getJsonObject("plugindata", new JsonObject()).getJsonObject("data", new JsonObject());
        if (data.containsKey("error")) {
            fail(new IllegalStateException(display + ": videoroom error " + data.encode()));
            return;
        }
        if ("joined".equals(data.getString("videoroom")) && onPublished != null) {
            onPublished.accept(data.getLong("id"));
        }
        JsonObject jsep = ev.getJsonObject("jsep");
        if (jsep != null) {
            CompletableFuture<JsonObject> f;
            synchronized (this) {
                f = pendingJsep;
                pendingJsep = null;
            }
            if (f != null) {
                f.complete(jsep);
            }
        }
    }

    private synchronized void fail(Exception e) {
        if (pendingJsep != null) {
            pendingJsep.completeExceptionally(e);
            pendingJsep = null;
        } else {
            System.err.println(e.getMessage());
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }
}
