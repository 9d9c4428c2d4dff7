package dev.prism.server.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One {@link ClusterBench} per test class: {@code @RegisterExtension static final ClusterBenchExtension BENCH = new
 * ClusterBenchExtension(ClusterBench.builder().nodes(3));} then {@code BENCH.bench()} in the tests. Started before
 * the class, killed after it whatever happened; a failed test prints every node's log and nginx's error log.
 */
public final class ClusterBenchExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private final ClusterBench.Builder builder;
    private ClusterBench bench;

    public ClusterBenchExtension(ClusterBench.Builder builder) {
        this.builder = builder;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        bench = builder.start();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (bench != null) {
            System.out.println("[bench] " + context.getDisplayName() + " failed: " + cause);
            System.out.println(bench.logs());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (bench != null) {
            ClusterBench b = bench;
            bench = null;
            b.close();
        }
    }

    /** The running bench; fails outside the test class. */
    public ClusterBench bench() {
        if (bench == null) {
            throw new IllegalStateException("the cluster bench runs only while its test class runs");
        }
        return bench;
    }
}
