package dev.prism.signaling.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the same step against several browsers at once: each browser is driven by one pool thread for that step, so
 * slow steps (launch, page load, waiting for the first frame) overlap and per-browser timings are not serialised.
 */
final class BrowserThreads {

    /** Daemon threads, so a stuck browser call cannot keep the test JVM alive. */
    static final ExecutorService POOL = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "browser-driver-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private BrowserThreads() {
    }

    /**
     * Applies {@code step} to every item in parallel and returns the results in input order. Waits for all of them
     * even when one fails, then rethrows the first failure (an {@link AssertionError} stays an AssertionError) with
     * the others attached as suppressed.
     */
    static <T, R> List<R> parallel(List<T> items, Function<T, R> step) {
        List<CompletableFuture<R>> futures = items.stream()
                .map(item -> CompletableFuture.supplyAsync(() -> step.apply(item), POOL))
                .toList();
        List<R> results = new ArrayList<>(items.size());
        Throwable first = null;
        for (CompletableFuture<R> f : futures) {
            try {
                results.add(f.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
        return results;
    }
}
