package dev.prism.signaling.api;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import dev.prism.signaling.auth.ServerApiTokens;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.session.SfuContext;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the server API under {@code /api/v1} (docs/API.md) on the node's router: every request needs
 * {@code Authorization: Bearer <token>} with {@code roomAdmin: true} (401 with the reason for a missing, forged or
 * expired token, 403 without the grant, nothing changed either way); bodies are JSON of at most
 * {@value #MAX_BODY_BYTES} bytes; every answer is counted by endpoint and status ({@link ApiCounters}).
 *
 * <p>Extension hook: another feature adds an authenticated route with {@link #route} before {@link #accept} mounts
 * the API (e.g. {@code api.route(HttpMethod.GET, "/rooms/:room/events", "rooms.events", handler)}); its handler runs
 * on the event loop, reads {@link #TOKEN_KEY} from the context if it needs the caller, and answers with
 * {@link ApiReplies}.
 */
public final class ServerApiRoutes implements Consumer<Router> {
    private static final Logger log = LoggerFactory.getLogger(ServerApiRoutes.class);
    public static final String PREFIX = "/api/v1";
    /** Routing-context key of the verified {@link ServerApiTokens.ServerApiToken}. */
    public static final String TOKEN_KEY = "prism.api.token";
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String BEARER = "Bearer ";

    /** A handler that may refuse with an {@link ApiException}. */
    public interface ApiHandler {
        void handle(RoutingContext ctx) throws ApiException;
    }

    private record Registered(HttpMethod method, String path, String endpoint, ApiHandler handler) {
    }

    private final SfuContext sfu;
    private final ServerApiTokens tokens;
    private final RoomDirectory directory;
    private final RepeatingLog refusalLog;
    private final List<Registered> routes = new ArrayList<>();
    private ApiCounters counters;
    private boolean mounted;

    /**
     * @param directory the room options the conference's per-room limit reads (wired by the launcher with
     *                  {@code conference.roomMaxParticipants(directory::maxParticipants)})
     */
    public ServerApiRoutes(SfuContext sfu, ServerApiTokens tokens, RoomDirectory directory, MonoClock clock) {
        this.sfu = sfu;
        this.tokens = tokens;
        this.directory = directory;
        this.refusalLog = new RepeatingLog(clock, 10_000);
        LiveRooms live = new LiveRooms(sfu);
        RoomEndpoints rooms = new RoomEndpoints(sfu, live, directory);
        ParticipantEndpoints participants = new ParticipantEndpoints(sfu, live, directory);
        route(HttpMethod.POST, "/rooms", "rooms.create", rooms::create);
        route(HttpMethod.GET, "/rooms", "rooms.list", ctx -> rooms.list(ctx));
        route(HttpMethod.GET, "/rooms/:room", "rooms.get", ctx -> rooms.get(ctx));
        route(HttpMethod.DELETE, "/rooms/:room", "rooms.delete", ctx -> rooms.delete(ctx));
        route(HttpMethod.POST, "/rooms/:room/data", "rooms.data", rooms::data);
        route(HttpMethod.GET, "/rooms/:room/participants", "participants.list", ctx -> participants.list(ctx));
        route(HttpMethod.GET, "/rooms/:room/participants/:identity", "participants.get",
                ctx -> participants.get(ctx));
        route(HttpMethod.DELETE, "/rooms/:room/participants/:identity", "participants.remove",
                ctx -> participants.remove(ctx));
        route(HttpMethod.PATCH, "/rooms/:room/participants/:identity", "participants.update", participants::update);
        route(HttpMethod.POST, "/rooms/:room/participants/:identity/tracks/:track/mute", "tracks.mute",
                participants::mute);
    }

    /**
     * Adds an authenticated route under {@link #PREFIX}. Call before the router is mounted.
     *
     * @param path     relative to {@code /api/v1}, Vert.x path syntax ({@code /rooms/:room/events})
     * @param endpoint the metric label of this endpoint (a fixed name, e.g. {@code rooms.events})
     */
    public ServerApiRoutes route(HttpMethod method, String path, String endpoint, ApiHandler handler) {
        if (mounted) {
            throw new IllegalStateException("add server API routes before the router is mounted");
        }
        routes.add(new Registered(method, path, endpoint, handler));
        return this;
    }

    /** The options of rooms created through the API. */
    public RoomDirectory directory() {
        return directory;
    }

    /** Counts by endpoint and status; bind it to the node's registry. Available once mounted. */
    public ApiCounters counters() {
        return counters;
    }

    /** Forgets created rooms empty for longer than their {@code emptyTimeout}; call every second or so. */
    public void sweep() {
        // A room is in the registry while someone is in it (the conference drops it when it empties): no need to
        // read its participants off its loop.
        directory.sweep(id -> {
            var r = sfu.rooms().get(id);
            return r != null && !r.isClosed();
        }, key -> {
            int sep = key.indexOf('\u0000');
            return sfu.conference().participant(key.substring(0, sep), key.substring(sep + 1)) != null;
        }).forEach(id -> log.info("api: room {} forgotten after its empty timeout", ClientText.forLog(id)));
    }

    @Override
    public void accept(Router router) {
        mounted = true;
        List<String> names = new ArrayList<>();
        routes.forEach(r -> names.add(r.endpoint()));
        names.add("unknown");
        names.add("unauthenticated");
        counters = new ApiCounters(names);
        router.route(PREFIX + "/*").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            ctx.next();
        });
        router.route(PREFIX + "/*").handler(this::authenticate);
        router.route(PREFIX + "/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        for (Registered r : routes) {
            router.route(r.method(), PREFIX + r.path()).handler(ctx -> run(ctx, r));
        }
        router.route(PREFIX + "/*").handler(ctx -> {
            count(ctx, "unknown");
            ApiReplies.fail(ctx, 404, "not_found", "no such endpoint: " + ctx.request().method() + " "
                    + ClientText.forLog(ctx.request().path()));
        });
    }

    /** Starts the empty-timeout sweep on {@code vertx} (every second). */
    public void startSweeping(Vertx vertx) {
        vertx.setPeriodic(1000, id -> sweep());
    }

    private void run(RoutingContext ctx, Registered r) {
        count(ctx, r.endpoint());
        try {
            r.handler().handle(ctx);
        } catch (ApiException e) {
            ApiReplies.fail(ctx, e);
        }
    }

    private void count(RoutingContext ctx, String endpoint) {
        ctx.addHeadersEndHandler(v -> counters.request(endpoint, ctx.response().getStatusCode()));
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String jwt = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        try {
            ctx.put(TOKEN_KEY, tokens.verify(jwt));
            ctx.next();
        } catch (TokenException e) {
            counters.refuse(e.kind());
            counters.request("unauthenticated", e.kind() == TokenException.Kind.NOT_ROOM_ADMIN ? 403 : 401);
            long skipped = refusalLog.admit();
            if (skipped >= 0) {
                log.info("api: refused {} {} from {}: {} ({} more refusals not logged)", ctx.request().method(),
                        ClientText.forLog(ctx.request().path()), ctx.request().remoteAddress(), e.reason(), skipped);
            }
            if (e.kind() == TokenException.Kind.NOT_ROOM_ADMIN) {
                ApiReplies.fail(ctx, 403, "forbidden", e.reason());
            } else {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prism-api\"");
                ApiReplies.fail(ctx, 401, "unauthorized", e.reason());
            }
        }
    }
}
