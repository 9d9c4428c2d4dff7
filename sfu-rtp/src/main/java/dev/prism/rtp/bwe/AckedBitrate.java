package dev.prism.rtp.bwe;

/**
 * The rate the receiver acknowledged: bytes of packets reported received, over a sliding window of their arrival
 * times ({@link #WINDOW_MICROS}). Unknown (0) until the window holds at least {@link #MIN_SPAN_MICROS} of arrivals.
 * An arrival clock that goes back by more than the window resets it.
 *
 * <p>Not thread-safe; no allocation after construction.
 */
final class AckedBitrate {
    static final long WINDOW_MICROS = 500_000;
    static final long MIN_SPAN_MICROS = 150_000;
    private static final int CAPACITY = 1 << 12;
    private static final int MASK = CAPACITY - 1;

    private final long[] arrival = new long[CAPACITY];
    private final int[] bytes = new int[CAPACITY];
    private int head;
    private int count;
    private long sum;
    private long newest = Long.MIN_VALUE;

    void add(long arrivalMicros, int size) {
        if (newest != Long.MIN_VALUE && arrivalMicros < newest - WINDOW_MICROS) {
            reset();
        }
        if (count == CAPACITY) {
            evictOldest();
        }
        int i = (head + count) & MASK;
        arrival[i] = arrivalMicros;
        bytes[i] = size;
        count++;
        sum += size;
        newest = Math.max(newest, arrivalMicros);
        while (count > 0 && arrival[head] < newest - WINDOW_MICROS) {
            evictOldest();
        }
    }

    /** Bits per second over the window, or 0 while too little is known. */
    long rateBps() {
        if (count < 2) {
            return 0;
        }
        long span = newest - arrival[head];
        if (span < MIN_SPAN_MICROS) {
            return 0;
        }
        return sum * 8_000_000L / Math.max(span, 1);
    }

    private void evictOldest() {
        sum -= bytes[head];
        head = (head + 1) & MASK;
        count--;
    }

    private void reset() {
        head = 0;
        count = 0;
        sum = 0;
        newest = Long.MIN_VALUE;
    }
}
