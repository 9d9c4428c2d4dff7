package dev.prism.rtp.packet;

/**
 * Arithmetic on 16-bit RTP sequence numbers, which wrap from 65535 to 0.
 *
 * <p>"Newer" means "ahead by less than half the space": {@code isNewer(0, 65535)} is true because 0 follows 65535.
 * Exactly half the space apart is ambiguous; it is broken by the raw value so that for any two distinct numbers
 * exactly one of {@code isNewer(a, b)} and {@code isNewer(b, a)} holds. All methods take any int and use its low 16
 * bits; none allocates.
 */
public final class SeqNum {
    /** Number of distinct sequence numbers. */
    public static final int SPACE = 1 << 16;
    public static final int MASK = SPACE - 1;

    private SeqNum() {
    }

    /** True when {@code a} comes after {@code b}. */
    public static boolean isNewer(int a, int b) {
        int d = (a - b) & MASK;
        if (d == SPACE / 2) {
            return (a & MASK) > (b & MASK);
        }
        return d != 0 && d < SPACE / 2;
    }

    /** True when {@code a} comes before {@code b}. */
    public static boolean isOlder(int a, int b) {
        return isNewer(b, a);
    }

    /**
     * Signed distance {@code a - b} in the range [-32768, 32767]: positive when {@code a} is newer.
     * {@code diff(2, 65534) == 4}, {@code diff(65534, 2) == -4}.
     */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** {@code s + n} modulo 2^16; {@code n} may be negative. {@code add(65535, 1) == 0}. */
    public static int add(int s, int n) {
        return (s + n) & MASK;
    }

    /** Comparator-style order in sequence space: negative, zero or positive as {@code a} is older, equal or newer. */
    public static int compare(int a, int b) {
        if (((a - b) & MASK) == 0) {
            return 0;
        }
        return isNewer(a, b) ? 1 : -1;
    }

    /**
     * Extends {@code seq} to the 64-bit value nearest to {@code reference}, an already extended sequence number.
     * With {@code reference = 65535}: {@code unwrap(0, reference) == 65536}, {@code unwrap(65534, reference) == 65534}.
     */
    public static long unwrap(int seq, long reference) {
        return reference + diff(seq, (int) reference);
    }
}
