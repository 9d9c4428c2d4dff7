package dev.prism.rtp.router.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.rtcp.SenderReport;
import org.junit.jupiter.api.Test;

class NtpClockTest {
    @Test
    void followsTheMonotonicClockFromOneWallClockReading() {
        FakeClock clock = new FakeClock();
        NtpClock ntp = new NtpClock(clock);
        long start = ntp.now();
        assertThat(start).isEqualTo(SenderReport.ntpFromUnixMillis(clock.wallMillis()));
        long later = ntp.ntp(clock.nanos() + 1_500_000_000L);
        assertThat(NtpClock.toNanos(later) - NtpClock.toNanos(start)).isBetween(1_499_999_998L, 1_500_000_000L);
        // 1.5 s in compact units (1/65536 s) is 98304.
        assertThat(NtpClock.compact(later) - NtpClock.compact(start)).isBetween(98303L, 98304L);
    }

    @Test
    void compactDurationsRoundTrip() {
        assertThat(NtpClock.toCompactDuration(1_000_000_000L)).isEqualTo(65536);
        assertThat(NtpClock.toCompactDuration(-5)).isZero();
        assertThat(NtpClock.compactToNanos(65536)).isEqualTo(1_000_000_000L);
        assertThat(NtpClock.compactToNanos(NtpClock.toCompactDuration(20_000_000L))).isBetween(19_984_000L, 20_000_000L);
        assertThat(NtpClock.compact(0x0123_4567_89ab_cdefL)).isEqualTo(0x4567_89abL);
    }
}
