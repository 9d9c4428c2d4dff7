package dev.prism.server.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the same step against several browsers at once: each browser is driven by one pool thread for that step, so
 * slow steps (launch, page load, waiting for the first frame) overlap and per-browser timings are not serialised.
 */
final class BrowserThreads {

    /** Daemon threads, so a stuck browser call cannot keep the test JVM alive. */
    static final ExecutorService POOL = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "browser-driver-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /** How long cancelled steps get to notice their interrupt (a WebDriver call in flight may take its full timeout). */
    private static final long STOP_GRACE_SECONDS = 40;

    private BrowserThreads() {
    }

    /**
     * Applies {@code step} to every item in parallel and returns the results in input order.
     *
     * <p>Fails fast: the first step to fail interrupts the others (a {@code FluentWait} ends at its next poll), and
     * its failure is rethrown once they have stopped, so that the report names the first thing that went wrong rather
     * than the timeouts it caused elsewhere. An {@link AssertionError} stays an AssertionError.
     */
    static <T, R> List<R> parallel(List<T> items, Function<T, R> step) {
        ExecutorCompletionService<R> completion = new ExecutorCompletionService<>(POOL);
        CountDownLatch stopped = new CountDownLatch(items.size());
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(completion.submit(() -> {
                try {
                    return step.apply(item);
                } finally {
                    stopped.countDown();
                }
            }));
        }
        Throwable first = null;
        try {
            for (int i = 0; i < items.size() && first == null; i++) {
                try {
                    completion.take().get();
                } catch (ExecutionException e) {
                    first = e.getCause() != null ? e.getCause() : e;
                } catch (CancellationException ignored) {
                    // only after a failure, and then the loop has ended
                }
            }
            if (first != null) {
                futures.forEach(f -> f.cancel(true));
                stopped.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("interrupted while waiting for browsers", e);
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
        List<R> results = new ArrayList<>(items.size());
        for (Future<R> f : futures) {
            try {
                results.add(f.get()); // all done by now: get() does not block
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("unreachable: every step completed normally", e);
            }
        }
        return results;
    }
}
