package dev.prism.signaling;

import dev.prism.core.rtp.VideoCodec;
import dev.prism.core.text.ClientText;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.http.HttpGuards;
import dev.prism.signaling.http.OriginPolicy;
import dev.prism.signaling.http.SecurityHeaders;
import dev.prism.signaling.route.EdgeSessions;
import dev.prism.signaling.route.ResumeTokens;
import dev.prism.signaling.session.NewSessionRefusal;
import dev.prism.signaling.session.ParticipantSession;
import dev.prism.signaling.session.SfuContext;
import dev.prism.signaling.session.VertxSessionSocket;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a node: the signaling WebSocket ({@code /ws}, {@code Origin} and token checked during the
 * handshake), the development token endpoint, health, and whatever the launcher mounts (the admin UI, the web client)
 * through {@code extraRoutes}. Sessions hop to their room's
 * executor at once, so this verticle's event loop only parses and routes. The server's own defences (size limits,
 * timeouts, keep-alive pings, security headers) are {@link HttpGuards}'.
 */
public final class SignalingVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(SignalingVerticle.class);
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final int MAX_DISPLAY_NAME = 64;

    private final SfuContext sfu;
    private final TokenService tokens;
    private final boolean devMode;
    private final long devTokenTtlSeconds;
    private final String host;
    private final int port;
    private final Consumer<Router> extraRoutes;
    private final OriginPolicy origins;
    private final HttpGuards guards;
    private final SecureRandom random = new SecureRandom();
    private final NewSessionRefusal refusal;
    private HttpServer server;
    private EdgeSessions edge;

    /**
     * @param devMode     when true, {@code /api/dev-token} hands out tokens to anyone (no API secret configured)
     * @param origins     which pages may open the signaling WebSocket
     * @param guards      limits, timeouts and keep-alive of the HTTP server
     * @param extraRoutes mounts more routes (operations, admin UI, the web client's files) on the same router, after
     *                    this verticle's own and before its failure handler
     */
    public SignalingVerticle(SfuContext sfu, TokenService tokens, boolean devMode, long devTokenTtlSeconds,
                             String host, int port, OriginPolicy origins, HttpGuards guards,
                             Consumer<Router> extraRoutes) {
        this.sfu = sfu;
        this.tokens = tokens;
        this.devMode = devMode;
        this.devTokenTtlSeconds = devTokenTtlSeconds;
        this.host = host;
        this.port = port;
        this.extraRoutes = extraRoutes;
        this.origins = origins;
        this.guards = guards;
        this.refusal = new NewSessionRefusal(sfu, sfu.media().clock());
        sfu.useTokens(tokens); // the owner of a proxied session verifies its token again with the same service
    }

    @Override
    public Future<?> start() {
        edge = new EdgeSessions(sfu, vertx);
        Router router = Router.router(vertx);
        router.route().handler(guards::rearmAfterResponse);
        router.route().handler(SecurityHeaders::apply);
        router.get("/api/dev-token").handler(this::devToken);
        router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
        extraRoutes.accept(router);
        router.route().failureHandler(guards.clientHangUps()::handle);
        HttpServerOptions options = guards.configure(vertx, new HttpServerOptions());
        return vertx.createHttpServer(options).connectionHandler(guards::connectionOpened)
                .requestHandler(request -> {
                    guards.requestArrived(request);
                    // The signaling upgrade bypasses the router: the guard needs Vert.x's own WebSocket, not the
                    // router's wrapper around it.
                    if (request.method() == HttpMethod.GET && request.path().equals("/ws")) {
                        upgrade(request);
                    } else {
                        router.handle(request);
                    }
                }).listen(port, host)
                .onSuccess(s -> server = s);
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private void upgrade(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (!origins.allows(origin, request.getHeader("Host"))) {
            sfu.counters().handshakeRefused(OriginPolicy.REFUSED);
            log.info("signaling: refused a WebSocket from {}: origin {} not allowed", request.remoteAddress(),
                    ClientText.forLog(origin));
            request.response().setStatusCode(403).putHeader("content-type", "text/plain; charset=utf-8")
                    .end(OriginPolicy.REFUSED + ": " + ClientText.forLog(origin)
                            + " (allow it with allowedOrigins)");
            return;
        }
        if (sfu.clustered() && (!sfu.takesSockets() || refusal.refusing())) {
            // A stopping cluster node answers the upgrade itself with 503: the balancer tries the next node (nginx:
            // proxy_next_upstream http_503 on /ws). A socket accepted here would be proxied to the room's owner and cut
            // (4013) when this node exits, before a fresh join even had a resume token to come back with.
            sfu.counters().handshakeRefused(NewSessionRefusal.CODE);
            request.response().setStatusCode(503).putHeader("Retry-After", "1")
                    .putHeader("content-type", "text/plain; charset=utf-8").end(NewSessionRefusal.CODE);
            return;
        }
        // A reconnect within the resume window presents its resume token: the session it names takes the socket over
        // (checked again there). An unknown or spent token falls through to a plain join with the access token.
        ParticipantSession resumable = sfu.resumable(request.getParam("resume"));
        if (resumable != null) {
            String resumeToken = request.getParam("resume");
            request.toWebSocket().onSuccess(ws -> {
                guards.guard(ws);
                resumable.resume(new VertxSessionSocket(vertx, ws), resumeToken);
            }).onFailure(e -> log.info("signaling: WebSocket upgrade failed: {}", e.toString()));
            return;
        }
        AccessToken token = null;
        try {
            token = tokens.verify(request.getParam("token"));
        } catch (TokenException e) {
            if (sfu.clustered() && ResumeTokens.roomOf(request.getParam("resume")) != null) {
                clustered(request, null);  // the session may be on another node: the resume token routes it
                return;
            }
            sfu.counters().handshakeRefused(e.reason());
            log.info("signaling: refused a WebSocket from {}: {}", request.remoteAddress(), e.reason());
            request.response().setStatusCode(401).putHeader("content-type", "text/plain; charset=utf-8").end(e.reason());
            return;
        }
        if (sfu.clustered()) {
            clustered(request, token);
            return;
        }
        boolean refused = refusal.refusing(); // the node is stopping: no new session, no room created for it
        AccessToken verified = token;
        request.toWebSocket().onSuccess(ws -> {
            guards.guard(ws);
            if (refused) {
                refusal.refuse(new VertxSessionSocket(vertx, ws));
            } else {
                new ParticipantSession(sfu, new VertxSessionSocket(vertx, ws), verified).start();
            }
        }).onFailure(e -> log.info("signaling: WebSocket upgrade failed: {}", e.toString()));
    }

    /**
     * Cluster mode: upgrade now, then route (see {@link EdgeSessions}). {@code token} is null when only the resume
     * token is usable.
     */
    private void clustered(HttpServerRequest request, AccessToken token) {
        String rawToken = token == null ? null : request.getParam("token");
        String resumeToken = request.getParam("resume");
        request.toWebSocket().onSuccess(ws -> {
            guards.guard(ws);
            edge.accept(ws, token, rawToken, resumeToken);
        }).onFailure(e -> log.info("signaling: WebSocket upgrade failed: {}", e.toString()));
    }

    private void devToken(RoutingContext ctx) {
        if (!devMode) {
            ctx.response().setStatusCode(403).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "development tokens are disabled: an API secret is configured")
                            .encode());
            return;
        }
        String room = ctx.request().getParam("room");
        String name = ctx.request().getParam("name");
        if (room == null || !ROOM_NAME.matcher(room).matches()) {
            badRequest(ctx, "room must be 1-64 characters of letters, digits, '_', '-', '.'");
            return;
        }
        if (name == null || name.isBlank() || name.length() > MAX_DISPLAY_NAME) {
            badRequest(ctx, "name must be 1-" + MAX_DISPLAY_NAME + " characters");
            return;
        }
        String slug = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        byte[] suffix = new byte[3];
        random.nextBytes(suffix);
        String identity = (slug.isEmpty() ? "user" : slug) + "-" + HexFormat.of().formatHex(suffix);
        String codecParam = ctx.request().getParam("codec");
        VideoCodec codec = VideoCodec.fromWire(codecParam);
        if (codecParam != null && codec == null) {
            badRequest(ctx, "codec must be vp8 or h264");
            return;
        }
        dev.prism.signaling.auth.TokenGrants grants;
        try {
            grants = dev.prism.signaling.auth.DevTokenGrants.read(ctx.request()::getParam);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        Integer audioTopN = DevTokenAudioTopN.parse(ctx.request().getParam("audioTopN"));
        if (audioTopN != null && audioTopN < 0) {
            badRequest(ctx, "audioTopN must be a whole number from 0 to 64");
            return;
        }
        AccessToken t = AccessToken.grant(room, identity, name.strip(), tokens.nowEpochSeconds(), devTokenTtlSeconds)
                .withVideoCodec(codec).withAudioTopN(audioTopN).withGrants(grants);
        ctx.json(new JsonObject().put("token", tokens.issue(t)).put("identity", identity).put("room", room));
    }

    private static void badRequest(RoutingContext ctx, String message) {
        ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
