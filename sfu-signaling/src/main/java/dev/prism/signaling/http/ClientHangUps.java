package dev.prism.signaling.http;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.RepeatingLog;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's failure handler for clients that hang up while a response is being written (a tab closed during a
 * static download): not a server error, so it is counted and logged at debug level once per interval, instead of the
 * router's default ERROR line with a stack trace. Any other failure goes on to the default handling.
 *
 * <p>Threading: the HTTP server's event loops; the log rate limit is guarded by a lock (hang-ups are rare).
 */
public final class ClientHangUps {
    private static final Logger log = LoggerFactory.getLogger(ClientHangUps.class);
    private static final long LOG_INTERVAL_MILLIS = 60_000;

    private final HttpGuardCounters counters;
    private final RepeatingLog repeating;

    public ClientHangUps(HttpGuardCounters counters, MonoClock clock) {
        this.counters = counters;
        this.repeating = new RepeatingLog(clock, LOG_INTERVAL_MILLIS);
    }

    /** Router failure handler. */
    public void handle(RoutingContext ctx) {
        if (!isHangUp(ctx)) {
            ctx.next();
            return;
        }
        counters.downloadAborted();
        long suppressed;
        synchronized (repeating) {
            suppressed = repeating.admit();
        }
        if (suppressed >= 0 && log.isDebugEnabled()) {
            log.debug("http: {} hung up during {} {} ({}; {} more since the last line)",
                    ctx.request().remoteAddress(), ctx.request().method(), ctx.request().path(),
                    ctx.failure(), suppressed);
        }
        ctx.request().connection().close();
    }

    static boolean isHangUp(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ClosedChannelException) {
            return true;
        }
        if (t instanceof IOException && t.getMessage() != null) {
            String m = t.getMessage();
            return m.contains("Broken pipe") || m.contains("Connection reset");
        }
        return t != null && ctx.response().closed();
    }
}
