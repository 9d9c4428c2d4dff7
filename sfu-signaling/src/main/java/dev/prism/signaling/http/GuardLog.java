package dev.prism.signaling.http;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.RepeatingLog;
import org.slf4j.Logger;

/**
 * One log line per interval for one kind of refusal, with the count of those suppressed meanwhile: a client that
 * repeats a refused request cannot flood the log. Thread-safe (refusals are rare; a lock costs nothing here).
 */
final class GuardLog {
    private static final long INTERVAL_MILLIS = 10_000;

    private final Logger log;
    private final RepeatingLog repeating;

    GuardLog(Logger log, MonoClock clock) {
        this.log = log;
        this.repeating = new RepeatingLog(clock, INTERVAL_MILLIS);
    }

    /** Logs {@code format} (slf4j placeholders; client text already escaped) unless one was logged recently. */
    void info(String format, Object... args) {
        long suppressed;
        synchronized (repeating) {
            suppressed = repeating.admit();
        }
        if (suppressed < 0) {
            return;
        }
        if (suppressed > 0) {
            log.info(format + " ({} more since the last line)", append(args, suppressed));
        } else {
            log.info(format, args);
        }
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = last;
        return out;
    }
}
