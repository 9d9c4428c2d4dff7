package dev.prism.perf.jmh;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as Netty {@code FastThreadLocalThread}s, like Prism's event loops. Netty 4.2 pools
 * buffer objects and outbound entries (its Recycler) and caches pooled memory per thread only on such threads; on a
 * plain JMH thread every buffer would cost a fresh object, which the server never pays. Selected in each benchmark's
 * {@code @Fork} with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=<this class>}.
 */
public final class NettyThreadExecutor extends ThreadPoolExecutor {
    /** The JVM options that select this executor in a JMH fork. */
    static final String EXECUTOR = "-Djmh.executor=CUSTOM";
    static final String EXECUTOR_CLASS = "-Djmh.executor.class=dev.prism.perf.jmh.NettyThreadExecutor";
    /** Lets SRTP's AES-GCM use the JDK's GHASH intrinsic, as the server runs it (see {@code SrtpSession}). */
    static final String OPEN_JDK_GHASH = "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED";

    /** The constructor JMH calls for a custom executor. */
    public NettyThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
