package dev.prism.server.cluster;

import dev.prism.cluster.NodeView;
import dev.prism.core.clock.MonoClock;
import dev.prism.core.room.Room;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import dev.prism.signaling.api.ApiReplies;
import dev.prism.signaling.api.ServerApiRoutes;
import dev.prism.signaling.route.Route;
import dev.prism.signaling.session.SfuContext;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the server API work on any cluster node (docs/API.md, "Cluster"). Runs after the API authenticated the caller
 * and read the body, before the endpoints:
 * <ul>
 *   <li>a call about a room ({@code /rooms/{room}...}, and {@code POST /rooms} by its {@code name}) that another node
 *       owns is sent to that node's server API address ({@link NodeView}'s {@code apiUrl}) and its answer returned
 *       verbatim; the owner checks the token again (the edge is not trusted). A room nobody owns yet is placed as a
 *       join would place it, so it may be placed on another node and the call forwarded there;</li>
 *   <li>{@code GET /rooms} is answered with every live node's rooms ({@link ClusterRoomList});</li>
 *   <li>a request that already carries {@link OwnerClient#HOP_HEADER} is never sent on: it is served here, or refused
 *       {@code 421 wrong_node} when the room moved meanwhile (the endpoints do that).</li>
 * </ul>
 * Everything else goes on to the endpoints ({@code ctx.next()}).
 *
 * <p>Threading: Vert.x event loop of the request; nothing blocks.
 */
public final class ApiForwarding implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiForwarding.class);
    /** How long a forwarded call may take: above the owner's own 5 s room timeout, so its 503 comes through. */
    static final long FORWARD_TIMEOUT_MILLIS = 6_000;
    private static final String ROOMS = ServerApiRoutes.PREFIX + "/rooms";

    private final SfuContext sfu;
    private final Supplier<List<NodeView>> liveNodes;
    private final OwnerClient client;
    private final ClusterRoomList roomList;
    private final ApiForwardCounters counters;
    private final RepeatingLog failureLog = new RepeatingLog(MonoClock.SYSTEM, 10_000);

    ApiForwarding(Vertx vertx, SfuContext sfu, String selfId, Supplier<List<NodeView>> liveNodes,
                  ApiForwardCounters counters) {
        this.sfu = sfu;
        this.liveNodes = liveNodes;
        this.counters = counters;
        this.client = new OwnerClient(vertx, selfId);
        this.roomList = new ClusterRoomList(client, liveNodes, counters);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.request().getHeader(OwnerClient.HOP_HEADER) != null) {
            ctx.next(); // loop guard: served here (the local room list, or the room if it is here) or 421
            return;
        }
        String path = ctx.request().path();
        HttpMethod method = ctx.request().method();
        String room;
        if (path.equals(ROOMS) || path.equals(ROOMS + "/")) {
            if (method == HttpMethod.GET) {
                roomList.handle(ctx);
                return;
            }
            room = method == HttpMethod.POST ? nameInBody(ctx) : null;
        } else if (path.startsWith(ROOMS + "/")) {
            room = roomSegment(path.substring(ROOMS.length() + 1));
        } else {
            room = null;
        }
        if (room == null || room.isEmpty() || live(room)) {
            ctx.next();
            return;
        }
        Context context = Vertx.currentContext();
        sfu.routing().route(room).whenComplete((route, e) -> context.runOnContext(v -> {
            NodeView owner = route instanceof Route.Remote remote ? node(remote.nodeId()) : null;
            if (owner == null || owner.descriptor().apiUrl().isEmpty()) {
                ctx.next(); // here, unplaceable (503) or an owner without an API address (421): the endpoints say
            } else {
                forward(ctx, owner);
            }
        }));
    }

    private void forward(RoutingContext ctx, NodeView owner) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        client.send(ctx.request().method(), owner.descriptor().apiUrl(), ctx.request().uri(),
                ctx.request().getHeader(HttpHeaders.AUTHORIZATION), contentType,
                ctx.body() == null ? null : ctx.body().buffer(), FORWARD_TIMEOUT_MILLIS).onComplete(ar -> {
                    if (ctx.response().ended() || ctx.response().closed()) {
                        return;
                    }
                    if (ar.succeeded()) {
                        counters.count(ApiForwardCounters.Outcome.ANSWERED);
                        OwnerClient.Answer a = ar.result();
                        ctx.response().setStatusCode(a.status()).putHeader(OwnerClient.SERVED_BY_HEADER, owner.id());
                        if (a.contentType() != null) {
                            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, a.contentType());
                        }
                        if (a.wwwAuthenticate() != null) {
                            ctx.response().putHeader("WWW-Authenticate", a.wwwAuthenticate());
                        }
                        ctx.response().end(a.body());
                        return;
                    }
                    OwnerClient.NoAnswer no = ar.cause() instanceof OwnerClient.NoAnswer n ? n
                            : new OwnerClient.NoAnswer(ApiForwardCounters.Outcome.UNREACHABLE, 503,
                                    "the room's node could not be reached", ar.cause());
                    counters.count(no.outcome);
                    long skipped = failureLog.admit();
                    if (skipped >= 0) {
                        LOG.warn("api: {} {} for node {} at {} failed: {} ({}) ({} more failures not logged)",
                                ctx.request().method(), ClientText.forLog(ctx.request().path()), owner.id(),
                                owner.descriptor().apiUrl(), no.getMessage(),
                                no.getCause() == null ? "-" : no.getCause().toString(), skipped);
                    }
                    ApiReplies.fail(ctx, no.status, no.outcome.label, no.getMessage() + " (node " + owner.id()
                            + ")");
                });
    }

    private boolean live(String roomId) {
        Room r = sfu.rooms().get(roomId);
        return r != null && !r.isClosed();
    }

    private NodeView node(String nodeId) {
        for (NodeView n : liveNodes.get()) {
            if (n.id().equals(nodeId)) {
                return n;
            }
        }
        return null;
    }

    /** The room of {@code POST /rooms}, or null when the body has none (the endpoint refuses it: 400). */
    private static String nameInBody(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
            return body != null && body.getValue("name") instanceof String s ? s : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** The decoded first segment of {@code rest} ({@code "r1/participants" -> "r1"}), or null when malformed. */
    static String roomSegment(String rest) {
        int slash = rest.indexOf('/');
        String raw = slash < 0 ? rest : rest.substring(0, slash);
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    void close() {
        client.close();
    }
}
