package dev.prism.cluster.link;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Link endpoints on loopback for a test class: one {@link Vertx} for the class, and the {@link LinkTestNode}s (and
 * whatever else a test hands to {@link #closeAfter}) closed after each test, in the order they were made.
 * {@code @RegisterExtension static final LinkNodes NODES = new LinkNodes();} then {@code NODES.node("a", settings)}.
 * The tests of a class run one at a time (the project does not run them in parallel).
 */
final class LinkNodes implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private Vertx vertx;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        vertx = Vertx.vertx();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<AutoCloseable> made = new ArrayList<>(closeAfter);
        closeAfter.clear(); // a close that throws fails this test and leaves nothing to the next one
        for (AutoCloseable c : made) {
            c.close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    Vertx vertx() {
        return vertx;
    }

    /** A node with {@link LinkTestNode#SECRET} that echoes what its channels receive, closed after the test. */
    LinkTestNode node(String id, LinkSettings settings) throws Exception {
        return closeAfter(new LinkTestNode(vertx, id, settings));
    }

    /** Closes {@code c} after the test; returns it. */
    <T extends AutoCloseable> T closeAfter(T c) {
        closeAfter.add(c);
        return c;
    }
}
