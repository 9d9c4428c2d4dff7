package dev.prism.signaling.session;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one participant's rejected requests: the first rejection of an interval is written (client text
 * escaped with {@link ClientText#forLog}), the others only counted, and the next line written says how many were
 * left out. A client sending 100,000 malformed messages writes one line per interval, and a rejection left out costs
 * no formatting at all.
 *
 * <p>Threading: called from the Vert.x event loop of the participant's socket (malformed JSON) and from its room's
 * executor (everything else); the admission is guarded by this object's monitor, uncontended in practice.
 */
final class RejectionLog {
    private static final Logger log = LoggerFactory.getLogger(RejectionLog.class);
    /** One line per participant per this many milliseconds at most. */
    static final long INTERVAL_MILLIS = 10_000;

    private final String room;
    private final String participant;
    private final RepeatingLog repeating;
    private final SignalingCounters counters;

    /** {@code room} and {@code participant} are escaped once here. */
    RejectionLog(String room, String participant, MonoClock clock, SignalingCounters counters) {
        this.room = ClientText.forLog(room);
        this.participant = ClientText.forLog(participant);
        this.repeating = new RepeatingLog(clock, INTERVAL_MILLIS);
        this.counters = counters;
    }

    /** One rejection: {@code code} is server-defined, {@code message} may carry client text (escaped here). */
    void rejected(String code, String message) {
        long suppressed;
        synchronized (this) {
            suppressed = repeating.admit();
        }
        if (suppressed < 0) {
            return;
        }
        counters.rejectionLogged();
        if (suppressed == 0) {
            log.info("room={} participant={} request rejected: {} ({})", room, participant, code,
                    ClientText.forLog(message));
        } else {
            log.info("room={} participant={} request rejected: {} ({}); {} more rejections in the last {} s not logged",
                    room, participant, code, ClientText.forLog(message), suppressed, INTERVAL_MILLIS / 1000);
        }
    }
}
