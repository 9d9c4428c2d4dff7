package dev.prism.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D 6.4), for one hash subkey H: {@code Y = (Y ^ X_i) * H} in
 * GF(2^128) over 16-byte blocks, computed by the JDK's own {@code com.sun.crypto.provider.GHASH.processBlocks}, which
 * HotSpot replaces with a carry-less-multiply (PCLMULQDQ) stub: about 2.5 ns per block here. Java has no carry-less
 * multiply; a table-driven GHASH in Java measured 10-15x slower, more than the rest of the packet's work.
 *
 * <p>That method is private to {@code java.base}: it is reachable only when the JVM runs with
 * {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED}. {@link #available()} says whether it is;
 * {@link AesGcm} checks the result against the JDK's own AES/GCM before it is used at all, so a JDK that changed the
 * method's meaning falls back to the JDK cipher ({@link JdkGcm}) instead of computing wrong tags.
 *
 * <p>Field elements are two big-endian longs, {@code high} holding bytes 0-7, laid out as the JDK's own GHASH
 * instances keep them. Allocation-free. Not thread-safe: owned by one {@link AesGcm}.
 */
final class Ghash {
    /** {@code processBlocks(byte[] data, int offset, int blocks, long[] state, long[] subkeyTable)}, or null. */
    private static final MethodHandle PROCESS_BLOCKS = find();

    private final long[] state = new long[2];
    /** H in [0..1]; the JDK sizes this table 18 longs and its stub may keep powers of H in the rest. */
    private final long[] subkeys = new long[18];

    /** @throws IllegalStateException if the JDK's GHASH is not accessible ({@link #available()}) */
    Ghash(long hHigh, long hLow) {
        if (PROCESS_BLOCKS == null) {
            throw new IllegalStateException("the JDK's GHASH is not accessible");
        }
        subkeys[0] = hHigh;
        subkeys[1] = hLow;
    }

    /** True if the JVM lets this class call the JDK's GHASH (the add-opens flag). */
    static boolean available() {
        return PROCESS_BLOCKS != null;
    }

    private static MethodHandle find() {
        try {
            Class<?> ghash = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
            return lookup.findStatic(ghash, "processBlocks", MethodType.methodType(void.class,
                byte[].class, int.class, int.class, long[].class, long[].class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not opened to us (the usual case without the flag), or a JDK that changed it
        }
    }

    /** Y = 0. */
    void reset() {
        state[0] = 0;
        state[1] = 0;
    }

    /** Absorbs {@code len} bytes of {@code a} from {@code off}; {@code len} must be a multiple of 16. */
    void update(byte[] a, int off, int len) {
        // The stub reads without bounds checks: the JDK's callers check first, and so must we.
        Objects.checkFromIndexSize(off, len, a.length);
        if ((len & 15) != 0) {
            throw new IllegalArgumentException("GHASH takes whole blocks, got " + len + " bytes");
        }
        if (len == 0) {
            return;
        }
        try {
            PROCESS_BLOCKS.invokeExact(a, off, len >>> 4, state, subkeys);
        } catch (Throwable t) {
            throw new IllegalStateException("GHASH failed", t);
        }
    }

    /** Bytes 0-7 of Y. */
    long high() {
        return state[0];
    }

    /** Bytes 8-15 of Y. */
    long low() {
        return state[1];
    }
}
