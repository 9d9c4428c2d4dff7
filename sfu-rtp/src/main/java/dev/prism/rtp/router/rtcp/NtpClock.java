package dev.prism.rtp.router.rtcp;

import dev.prism.core.clock.MonoClock;

/**
 * 64-bit NTP timestamps (RFC 3550 section 4) for monotonic clock readings: the wall clock is read once, at creation,
 * and everything after follows the monotonic clock, so the sender reports of one room share one smooth timeline (what
 * receivers need for lip sync) and round-trip times come out right even if the wall clock is stepped.
 *
 * <p>Immutable; thread-safe.
 */
public final class NtpClock {
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final MonoClock clock;
    private final long baseMonoNanos;
    private final long baseUnixNanos;

    public NtpClock(MonoClock clock) {
        this.clock = clock;
        this.baseMonoNanos = clock.nanos();
        this.baseUnixNanos = clock.wallMillis() * 1_000_000L;
    }

    /** The NTP timestamp of monotonic reading {@code monoNanos}. */
    public long ntp(long monoNanos) {
        long unixNanos = baseUnixNanos + (monoNanos - baseMonoNanos);
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND) + NTP_UNIX_OFFSET_SECONDS;
        long fraction = (Math.floorMod(unixNanos, NANOS_PER_SECOND) << 32) / NANOS_PER_SECOND;
        return seconds << 32 | fraction;
    }

    /** The NTP timestamp of now. */
    public long now() {
        return ntp(clock.nanos());
    }

    /** The monotonic clock behind this one. */
    public MonoClock clock() {
        return clock;
    }

    /** Nanoseconds since 1900 of a 64-bit NTP timestamp (unsigned seconds; good until 2036's era rollover). */
    public static long toNanos(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }

    /** The middle 32 bits, as LSR fields and RTT arithmetic use them (units of 1/65536 s). */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    /** A duration in units of 1/65536 s (DLSR), from nanoseconds; clamped to 32 bits. */
    public static long toCompactDuration(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return Math.min(0xFFFF_FFFFL, (nanos << 16) / NANOS_PER_SECOND);
    }

    /** Nanoseconds from a duration in units of 1/65536 s. */
    public static long compactToNanos(long compact) {
        return (compact * NANOS_PER_SECOND) >>> 16;
    }
}
