package dev.prism.admin;

import dev.prism.core.inspect.NodeControl;
import dev.prism.core.inspect.NodeInspector;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the admin UI on the node's router: the page at {@code /admin/}, Chart.js (from its WebJar) at
 * {@code /admin/vendor/}, and the API at {@code /admin/api/} (see {@link AdminApi}, {@link EventStream}).
 *
 * <p>The page and its scripts are served without a credential: they hold no data, and the page asks for the secret
 * and sends it as a bearer token on every API call. Everything under {@code /admin/api} needs the credential (401
 * otherwise). The page is never framed ({@code frame-ancestors 'none'}, {@code X-Frame-Options: DENY}).
 *
 * <p>With no admin secret (a production node without {@code --admin-secret}) everything under {@code /admin}
 * answers 404: the admin UI does not exist rather than exist unguarded.
 */
public final class AdminRoutes implements Consumer<Router> {
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

    /** The page's policy: its own scripts and styles only, talks only to this origin, never framed. */
    private static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final NodeInspector inspector;
    private final String secret;
    private final LongSupplier epochSeconds;
    private final SecureRandom random;
    private final long pushIntervalMillis;
    private NodeControl control;

    /**
     * @param inspector          the node's read model and actions
     * @param secret             the admin secret in force; null disables the admin UI (404 everywhere)
     * @param epochSeconds       wall clock for tickets
     * @param pushIntervalMillis how often the event stream pushes fresh snapshots
     */
    public AdminRoutes(NodeInspector inspector, String secret, LongSupplier epochSeconds, SecureRandom random,
                       long pushIntervalMillis) {
        this.inspector = inspector;
        this.secret = secret;
        this.epochSeconds = epochSeconds;
        this.random = random;
        this.pushIntervalMillis = pushIntervalMillis;
    }

    /** Production wiring: system clock, a fresh SecureRandom, one push per second. */
    public static AdminRoutes create(NodeInspector inspector, String secret) {
        return new AdminRoutes(inspector, secret, () -> System.currentTimeMillis() / 1000, new SecureRandom(), 1000);
    }

    /**
     * Adds the node-wide actions ({@code POST /admin/api/rooms/{room}/migrate}, {@code POST /admin/api/node/drain});
     * without it those answer 404. Call before mounting.
     */
    public AdminRoutes withNodeControl(NodeControl nodeControl) {
        this.control = nodeControl;
        return this;
    }

    @Override
    public void accept(Router router) {
        if (secret == null) {
            router.route("/admin").handler(AdminRoutes::disabled);
            router.route("/admin/*").handler(AdminRoutes::disabled);
            log.info("admin: disabled (no admin secret configured)");
            return;
        }
        AdminAuth auth = new AdminAuth(secret, epochSeconds, random);
        AdminApi api = new AdminApi(inspector, control, auth, pushIntervalMillis);

        router.route("/admin/api/*").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
        router.route("/admin/api/*").handler(api::authenticate);
        router.post("/admin/api/*").handler(BodyHandler.create().setBodyLimit(4096));
        api.mount(router);
        router.route("/admin/api/*").handler(ctx -> AdminApi.fail(ctx, 404, "not_found",
                "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));

        router.get("/admin").handler(ctx -> {
            if (ctx.request().path().equals("/admin")) { // Vert.x lets "/admin" match "/admin/" too
                ctx.redirect("/admin/");
            } else {
                ctx.next();
            }
        });
        router.route("/admin/*").handler(ctx -> {
            HttpServerResponse r = ctx.response();
            r.putHeader("Content-Security-Policy", PAGE_CSP)
                    .putHeader("X-Frame-Options", "DENY")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        router.get("/admin/vendor/*").handler(StaticHandler.create(chartJsDirectory()).setCachingEnabled(true));
        router.get("/admin/*").handler(StaticHandler.create("admin").setCachingEnabled(false)
                .setDirectoryListing(false));
    }

    /** Where the Chart.js WebJar keeps its UMD bundle, with the version the WebJar declares. */
    static String chartJsDirectory() {
        String props = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
        try (InputStream in = AdminRoutes.class.getClassLoader().getResourceAsStream(props)) {
            if (in == null) {
                throw new IllegalStateException("the Chart.js WebJar is missing from the classpath (" + props + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return "META-INF/resources/webjars/chart.js/" + p.getProperty("version") + "/dist";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void disabled(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", "admin_disabled")
                        .put("message", "the admin UI is disabled: start the node with --admin-secret "
                                + "(or PRISM_ADMIN_SECRET)").encode());
    }
}
