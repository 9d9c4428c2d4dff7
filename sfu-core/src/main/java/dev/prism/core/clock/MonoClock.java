package dev.prism.core.clock;

/**
 * A monotonic clock. Everything time-driven in Prism (consent, RTCP timers, estimators, throttles) reads time from an
 * injected {@code MonoClock} so tests can drive it with {@link FakeClock}. Thread-safe.
 */
public interface MonoClock {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanos();

    /** Monotonic milliseconds; only differences are meaningful. */
    default long millis() {
        return nanos() / 1_000_000L;
    }

    /** Wall-clock milliseconds since the epoch (for NTP timestamps in sender reports). */
    long wallMillis();

    MonoClock SYSTEM = new MonoClock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }
    };
}
