package dev.prism.server;

import dev.prism.core.clock.MonoClock;
import dev.prism.ops.metrics.PrismMetrics;
import dev.prism.signaling.api.RoomDirectory;
import dev.prism.signaling.api.ServerApiRoutes;
import dev.prism.signaling.auth.ServerApiTokens;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.session.SfuContext;
import io.vertx.core.Vertx;

/** Wires the server API ({@code /api/v1}, docs/API.md) into a node: kept out of {@link PrismServer}'s constructor. */
final class ServerApi {
    private ServerApi() {
    }

    /** The API's routes, with the conference reading per-room participant limits from its room options. */
    static ServerApiRoutes create(SfuContext sfu, TokenService tokens) {
        RoomDirectory directory = new RoomDirectory(System::currentTimeMillis);
        sfu.conference().roomMaxParticipants(directory::maxParticipants);
        return new ServerApiRoutes(sfu, new ServerApiTokens(tokens), directory, MonoClock.SYSTEM);
    }

    /** Once the HTTP server runs (the routes are mounted): counters bound, the empty-timeout sweep started. */
    static void started(ServerApiRoutes api, Vertx vertx, PrismMetrics metrics) {
        metrics.bind(api.counters());
        api.startSweeping(vertx);
    }
}
