package dev.prism.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT for {@code ./prism}: the first starts the graceful stop ({@link PrismServer#stop()}: not ready,
 * new sessions refused, rooms given {@code shutdownGraceSeconds} to end, the rest told {@code shutdown}), then closes
 * the node and exits 0; the second (SIGTERM or SIGINT) stops the waiting and closes at once; a third halts.
 *
 * <p>Why {@code sun.misc.Signal} and not only a shutdown hook: once the JVM runs its shutdown hooks, a further SIGTERM
 * cannot reach Java code (the JVM's own handler just waits for the hooks), so "a second SIGTERM forces exit" needs
 * the signal itself. {@code sun.misc.Signal} lives in {@code jdk.unsupported}, exported by every JDK 17 build. When a
 * handler cannot be installed (the JVM runs with {@code -Xrs}, or the platform reserves the signal), {@link Main}
 * falls back to a shutdown hook that blocks for the grace period (only a {@code kill -9} cuts that short). Either way
 * the shutdown hook closes the node, so {@code System.exit} from anywhere still tells clients {@code shutdown}.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    /** The close after the graceful part: vert.x and the media plane stop within this. */
    private static final long CLOSE_SECONDS = 15;

    private StopSignals() {
    }

    /** @return whether both handlers are installed (false: rely on the shutdown hook's grace) */
    static boolean install(PrismServer server) {
        AtomicInteger received = new AtomicInteger();
        sun.misc.SignalHandler handler = signal -> {
            int n = received.incrementAndGet();
            if (n == 1) {
                log.info("prism: SIG{}: stopping gracefully (again to stop at once)", signal.getName());
                Thread stopper = new Thread(() -> {
                    try {
                        server.stop().get(server.config().shutdownGraceSeconds() + CLOSE_SECONDS, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        log.warn("prism: the graceful stop did not finish: {}", e.toString());
                    }
                    System.exit(0); // the shutdown hook closes the node
                }, "prism-stop");
                stopper.start();
            } else if (n == 2) {
                log.info("prism: SIG{} again: stopping now", signal.getName());
                server.forceStop();
            } else {
                Runtime.getRuntime().halt(130);
            }
        };
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("prism: cannot handle SIGTERM/SIGINT ({}): a stop waits in the shutdown hook instead, and a "
                    + "second signal cannot cut it short", e.getMessage());
            return false;
        }
    }
}
