package dev.prism.core.clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. For tests; thread-safe. */
public final class FakeClock implements MonoClock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong wallOffsetMillis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public long wallMillis() {
        return wallOffsetMillis.get() + nanos.get() / 1_000_000L;
    }

    public FakeClock advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        return this;
    }

    public FakeClock advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
        return this;
    }
}
