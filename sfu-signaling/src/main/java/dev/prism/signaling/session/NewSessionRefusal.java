package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.RepeatingLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new sessions while the node is stopping (SIGTERM): the socket is answered {@code node_draining} and closed
 * with 4012, before any room is looked up or created. Resumes of sessions already here are not refused (their
 * participants count as present). Counted under the error code {@code node_draining}; logged once a minute with a
 * count. Thread-safe (the log line is guarded by this object's lock; refusals are rare and never on the media path).
 */
public final class NewSessionRefusal {
    private static final Logger log = LoggerFactory.getLogger(NewSessionRefusal.class);
    public static final String CODE = "node_draining";

    private final SfuContext sfu;
    private final RepeatingLog logLine;

    public NewSessionRefusal(SfuContext sfu, MonoClock clock) {
        this.sfu = sfu;
        this.logLine = new RepeatingLog(clock, 60_000);
    }

    /** Whether a new session must be refused now. Any thread. */
    public boolean refusing() {
        return !sfu.admitsNewSessions();
    }

    /** Tells the client and closes its socket. Any thread. */
    public void refuse(SessionSocket socket) {
        sfu.counters().error(CODE);
        long suppressed;
        synchronized (this) {
            suppressed = logLine.admit();
        }
        if (suppressed >= 0) {
            log.info("signaling: refused a new session from {}: the node is stopping{}", socket.remoteAddress(),
                    suppressed == 0 ? "" : " (" + suppressed + " more refused since the last line)");
        }
        socket.send(ProtocolJson.error(CODE, "this server is shutting down: connect to another one", null, null)
                .encode());
        socket.close(CloseCodes.NODE_DRAINING, "node draining");
    }
}
