package dev.prism.cluster.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisServer} per test class: {@code @RegisterExtension static final RedisServerExtension REDIS = new
 * RedisServerExtension();} then {@code REDIS.server()} in the tests. Started before the class, killed after it.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the Redis server runs only while the test class runs");
        }
        return server;
    }
}
