package dev.prism.rtp.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D 6.4), for one hash subkey H: {@code Y = (Y ^ X_i) * H} in
 * GF(2^128) over 16-byte blocks. Field elements are two big-endian longs, {@code high} holding bytes 0-7.
 *
 * <p>Two implementations, chosen once per JVM by {@link #create}:
 * <ul>
 *   <li>{@link Intrinsic}: the JDK's own {@code com.sun.crypto.provider.GHASH.processBlocks}, which HotSpot replaces
 *       with a carry-less-multiply (PCLMULQDQ) stub: about 2.5 ns per block here. Java has no carry-less multiply, so
 *       nothing written in Java comes close. It is private to {@code java.base}: it is used only when the JVM runs
 *       with {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} and it passes a self-test against
 *       {@link Table} at class initialisation.</li>
 *   <li>{@link Table}: portable Java with 32 tables of 16 multiples of H (8 KiB per key), one lookup per 4-bit
 *       nibble and no reduction step: about 35 ns per block here, 10-15x slower.</li>
 * </ul>
 * Both allocate nothing per call.
 *
 * <p>Not thread-safe: owned by one {@link AesGcm}.
 */
abstract class Ghash {
    /** {@code processBlocks(byte[] data, int offset, int blocks, long[] state, long[] subkeyTable)}, or null. */
    private static final MethodHandle PROCESS_BLOCKS = findIntrinsic();

    /** Y = 0. */
    abstract void reset();

    /** Absorbs {@code len} bytes of {@code a} from {@code off}; {@code len} must be a multiple of 16. */
    abstract void update(byte[] a, int off, int len);

    /** Bytes 0-7 of Y. */
    abstract long high();

    /** Bytes 8-15 of Y. */
    abstract long low();

    /** The fastest implementation this JVM allows, for subkey {@code H = (hHigh, hLow)}. */
    static Ghash create(long hHigh, long hLow) {
        return PROCESS_BLOCKS != null ? new Intrinsic(hHigh, hLow) : new Table(hHigh, hLow);
    }

    /** True if {@link #create} returns the JDK's intrinsic (the JVM was started with the add-opens flag). */
    static boolean intrinsicAvailable() {
        return PROCESS_BLOCKS != null;
    }

    static void checkRange(byte[] a, int off, int len) {
        Objects.checkFromIndexSize(off, len, a.length);
        if ((len & 15) != 0) {
            throw new IllegalArgumentException("GHASH takes whole blocks, got " + len + " bytes");
        }
    }

    private static MethodHandle findIntrinsic() {
        try {
            Class<?> ghash = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
            MethodHandle mh = lookup.findStatic(ghash, "processBlocks", MethodType.methodType(void.class,
                byte[].class, int.class, int.class, long[].class, long[].class));
            return agreesWithTable(mh) ? mh : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not opened to us (the usual case without the flag), or a JDK that changed it
        }
    }

    /** The JDK method must compute what the portable table does, or it is not used. */
    private static boolean agreesWithTable(MethodHandle mh) {
        try {
            long hHigh = 0x66e94bd4ef8a2c3bL;
            long hLow = 0x884cfa59ca342b2eL;
            byte[] data = new byte[16 * 9];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 37 + 11);
            }
            Table expected = new Table(hHigh, hLow);
            expected.update(data, 0, data.length);
            long[] state = new long[2];
            long[] subkeys = new long[18];
            subkeys[0] = hHigh;
            subkeys[1] = hLow;
            mh.invokeExact(data, 0, data.length / 16, state, subkeys);
            return state[0] == expected.high() && state[1] == expected.low();
        } catch (Throwable t) {
            return false;
        }
    }

    /** The JDK's GHASH, intrinsified by HotSpot. Same state layout as the JDK's own instances use. */
    static final class Intrinsic extends Ghash {
        private final long[] state = new long[2];
        /** H in [0..1]; the JDK sizes it 18 longs and its stub may keep powers of H in the rest. */
        private final long[] subkeys = new long[18];

        Intrinsic(long hHigh, long hLow) {
            if (PROCESS_BLOCKS == null) {
                throw new IllegalStateException("the JDK GHASH is not accessible");
            }
            subkeys[0] = hHigh;
            subkeys[1] = hLow;
        }

        @Override
        void reset() {
            state[0] = 0;
            state[1] = 0;
        }

        @Override
        void update(byte[] a, int off, int len) {
            // The stub reads without bounds checks: the JDK's callers check first, and so must we.
            checkRange(a, off, len);
            if (len == 0) {
                return;
            }
            try {
                PROCESS_BLOCKS.invokeExact(a, off, len >>> 4, state, subkeys);
            } catch (Throwable t) {
                throw new IllegalStateException("GHASH failed", t);
            }
        }

        @Override
        long high() {
            return state[0];
        }

        @Override
        long low() {
            return state[1];
        }
    }

    /**
     * Portable GHASH with 4-bit tables: X * H is the XOR over the 32 nibbles n_p of X of {@code T[p][n_p]}, where
     * {@code T[p][n]} is H times the nibble n placed at position p, fully reduced. Linear in X, so no per-block
     * reduction is needed, and the 32 lookups are independent.
     */
    static final class Table extends Ghash {
        /** {@code t[2 * (16 * p + n)]} and {@code [+1]}: high and low half of T[p][n]. */
        private final long[] t = new long[32 * 16 * 2];
        private long yHigh;
        private long yLow;

        Table(long hHigh, long hLow) {
            // V = H * x^k for k = 0..127: multiplying by x is a right shift in GCM's reflected bit order, folding
            // the bit that falls off back in with R = 11100001 || 0^120.
            long[] powers = new long[256];
            long vh = hHigh;
            long vl = hLow;
            for (int k = 0; k < 128; k++) {
                powers[2 * k] = vh;
                powers[2 * k + 1] = vl;
                boolean carry = (vl & 1) != 0;
                vl = (vl >>> 1) | (vh << 63);
                vh >>>= 1;
                if (carry) {
                    vh ^= 0xE100000000000000L;
                }
            }
            // Nibble bit 8 is the coefficient of x^(4p), bit 1 that of x^(4p+3).
            for (int p = 0; p < 32; p++) {
                for (int n = 1; n < 16; n++) {
                    long zh = 0;
                    long zl = 0;
                    for (int b = 0; b < 4; b++) {
                        if ((n & (8 >> b)) != 0) {
                            zh ^= powers[2 * (4 * p + b)];
                            zl ^= powers[2 * (4 * p + b) + 1];
                        }
                    }
                    t[2 * (16 * p + n)] = zh;
                    t[2 * (16 * p + n) + 1] = zl;
                }
            }
        }

        @Override
        void reset() {
            yHigh = 0;
            yLow = 0;
        }

        @Override
        void update(byte[] a, int off, int len) {
            checkRange(a, off, len);
            long[] t = this.t;
            long h = yHigh;
            long l = yLow;
            for (int i = 0; i < len; i += 16) {
                long xh = h ^ CryptoScratch.getLong(a, off + i);
                long xl = l ^ CryptoScratch.getLong(a, off + i + 8);
                long zh = 0;
                long zl = 0;
                for (int p = 0; p < 16; p++) {
                    int k = (p << 5) + ((int) (xh >>> (60 - 4 * p)) & 15) * 2;
                    zh ^= t[k];
                    zl ^= t[k + 1];
                }
                for (int p = 0; p < 16; p++) {
                    int k = ((p + 16) << 5) + ((int) (xl >>> (60 - 4 * p)) & 15) * 2;
                    zh ^= t[k];
                    zl ^= t[k + 1];
                }
                h = zh;
                l = zl;
            }
            yHigh = h;
            yLow = l;
        }

        @Override
        long high() {
            return yHigh;
        }

        @Override
        long low() {
            return yLow;
        }
    }
}
