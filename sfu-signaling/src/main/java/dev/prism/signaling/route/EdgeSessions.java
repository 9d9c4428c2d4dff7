package dev.prism.signaling.route;

import dev.prism.core.text.ClientText;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.session.NewSessionRefusal;
import dev.prism.signaling.session.ParticipantSession;
import dev.prism.signaling.session.SessionRefusals;
import dev.prism.signaling.session.SfuContext;
import dev.prism.signaling.session.VertxSessionSocket;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/**
 * What a node in a cluster does with a signaling WebSocket once its token (or its resume token) is checked and the
 * socket upgraded: it asks the routing where the room runs, then runs the session here ({@link Route.Local}, as a
 * single node does), proxies it to the owner ({@link Route.Remote}, a {@link ProxiedSession}), or refuses with
 * {@code cluster_unavailable} and close 4014 ({@link Route.Unavailable}).
 *
 * <p>The route is looked up after the upgrade: the upgrade answers at once (a browser cannot follow a redirect, so
 * there is nothing to decide before it), and a refusal after it can say why in the protocol's own terms. The socket is
 * not read while the lookup runs.
 *
 * <p>Threading: {@link #accept} on the WebSocket's event loop; the route's completion hops back onto it.
 */
public final class EdgeSessions {
    private final SfuContext sfu;
    private final Vertx vertx;
    private final NewSessionRefusal refusal;

    public EdgeSessions(SfuContext sfu, Vertx vertx) {
        this.sfu = sfu;
        this.vertx = vertx;
        this.refusal = new NewSessionRefusal(sfu, sfu.media().clock());
    }

    /**
     * A freshly upgraded socket (already guarded).
     *
     * @param token       the verified access token, or null when only the resume token is usable
     * @param rawToken    the access token as sent (passed to the owner, which verifies it again), null with no token
     * @param resumeToken the resume token presented, or null; one this node holds was resumed before getting here
     */
    public void accept(ServerWebSocket ws, AccessToken token, String rawToken, String resumeToken) {
        String room = token != null ? token.room() : ResumeTokens.roomOf(resumeToken);
        if (room == null || (resumeToken == null && refusal.refusing())) {
            // a plain join at a stopping node, or nothing to route by (the verticle let neither through)
            local(ws, token, resumeToken);
            return;
        }
        ws.pause(); // nothing is read until the session (here or proxied) is ready for it
        Context context = vertx.getOrCreateContext();
        sfu.routing().route(room).whenComplete((route, e) -> context.runOnContext(v -> {
            if (ws.isClosed()) {
                return; // the client left while we looked: nothing started
            }
            Route r = route != null ? route : new Route.Unavailable(ProxyCloseCodes.CLUSTER_UNAVAILABLE_CODE);
            if (r instanceof Route.Remote remote) {
                String logId = token == null ? "-" : ClientText.forLog(token.identity());
                new ProxiedSession(sfu, vertx, ws, new ProxyRequest(rawToken, resumeToken,
                        String.valueOf(ws.remoteAddress()), room), logId, () -> {
                            local(ws, token, resumeToken);
                            ws.resume();
                        }).start(remote);
            } else if (r instanceof Route.Unavailable) {
                sfu.proxyCounters().countFailed(ProxyCounters.Failed.CLUSTER_UNAVAILABLE);
                SessionRefusals.refuse(sfu, new VertxSessionSocket(vertx, ws),
                        ProxyCloseCodes.CLUSTER_UNAVAILABLE_CODE,
                        "the cluster cannot place this room now: try again shortly",
                        ProxyCloseCodes.CLUSTER_UNAVAILABLE, "cluster unavailable");
            } else {
                local(ws, token, resumeToken);
                ws.resume();
            }
        }));
    }

    /** The room runs here: resume, join (unless the node is stopping), or answer a resume nobody here holds. */
    private void local(ServerWebSocket ws, AccessToken token, String resumeToken) {
        VertxSessionSocket socket = new VertxSessionSocket(vertx, ws);
        ParticipantSession session = sfu.resumable(resumeToken);
        if (session != null) {
            session.resume(socket, resumeToken);
        } else if (token == null) {
            SessionRefusals.resumeFailed(sfu, socket);
        } else if (refusal.refusing()) {
            refusal.refuse(socket);
        } else {
            new ParticipantSession(sfu, socket, token).start();
        }
    }
}
