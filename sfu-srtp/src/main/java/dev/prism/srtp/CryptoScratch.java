package dev.prism.srtp;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Per-thread working memory of the SRTP transforms: counter blocks, keystream, one padded block, a digest and the
 * bounce copy of a packet in direct memory. One set per thread instead of one per session: every session a thread
 * serves (all transports of an event loop) shares the same few kilobytes, which stay in the L1 cache across a fan-out.
 *
 * <p>Owned by the thread that {@link #get() got} it; a transform uses it only for the duration of one call and calls
 * nothing that could re-enter another transform on the same thread.
 */
final class CryptoScratch {
    /** Keystream bytes produced per AES call: a 1200-byte RTP payload and its tag mask take one call. */
    static final int CHUNK = 2048;

    /** Big-endian long view of a byte array: GHASH and the counter blocks are defined big-endian. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** For XOR, where byte order does not matter: the machine's own order saves a byte swap per access. */
    private static final VarHandle NATIVE_LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final FastThreadLocal<CryptoScratch> LOCAL = new FastThreadLocal<>() {
        @Override
        protected CryptoScratch initialValue() {
            return new CryptoScratch();
        }
    };

    /** AES inputs: counter blocks. */
    final byte[] counters = new byte[CHUNK];
    /** AES outputs: keystream. */
    final byte[] keystream = new byte[CHUNK];
    /** One 16-byte block: a partial GHASH block, the GHASH length block, a 4-byte HMAC suffix. */
    final byte[] block = new byte[16];
    /** HMAC-SHA1 output (and its inner hash). */
    final byte[] digest = new byte[20];
    private byte[] bounce = new byte[2048];
    /** The JDK cipher's plaintext before its tag verified ({@link JdkGcm}); grows on demand. */
    private byte[] opened = new byte[2048];

    private CryptoScratch() {
    }

    static CryptoScratch get() {
        return LOCAL.get();
    }

    /** An array of at least {@code length} bytes for a copy of a packet held in direct memory; grows on demand. */
    byte[] bounce(int length) {
        if (bounce.length < length) {
            bounce = new byte[Math.max(length, 2 * bounce.length)];
        }
        return bounce;
    }

    /** An array of at least {@code length} bytes for {@link JdkGcm}'s output; grows on demand. */
    byte[] opened(int length) {
        if (opened.length < length) {
            opened = new byte[Math.max(length, 2 * opened.length)];
        }
        return opened;
    }

    static long getLong(byte[] a, int at) {
        return (long) LONGS.get(a, at);
    }

    static void setLong(byte[] a, int at, long v) {
        LONGS.set(a, at, v);
    }

    static int getInt(byte[] a, int at) {
        return (int) INTS.get(a, at);
    }

    static void setInt(byte[] a, int at, int v) {
        INTS.set(a, at, v);
    }

    /**
     * {@code a[off, off+len) ^= ks[ksOff, ksOff+len)}, 32 bytes per iteration (the JIT does not vectorize a byte
     * loop over two arrays that may alias; four independent longs per step roughly halve the time of one).
     */
    static void xor(byte[] a, int off, byte[] ks, int ksOff, int len) {
        VarHandle n = NATIVE_LONGS;
        int i = 0;
        for (; i + 32 <= len; i += 32) {
            long k0 = (long) n.get(ks, ksOff + i);
            long k1 = (long) n.get(ks, ksOff + i + 8);
            long k2 = (long) n.get(ks, ksOff + i + 16);
            long k3 = (long) n.get(ks, ksOff + i + 24);
            n.set(a, off + i, (long) n.get(a, off + i) ^ k0);
            n.set(a, off + i + 8, (long) n.get(a, off + i + 8) ^ k1);
            n.set(a, off + i + 16, (long) n.get(a, off + i + 16) ^ k2);
            n.set(a, off + i + 24, (long) n.get(a, off + i + 24) ^ k3);
        }
        for (; i + 8 <= len; i += 8) {
            n.set(a, off + i, (long) n.get(a, off + i) ^ (long) n.get(ks, ksOff + i));
        }
        for (; i < len; i++) {
            a[off + i] ^= ks[ksOff + i];
        }
    }
}
