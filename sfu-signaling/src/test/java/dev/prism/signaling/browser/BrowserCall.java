package dev.prism.signaling.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The stage of a browser test: a Prism node and Chromium browsers, launched together (browsers take the longest) and
 * closed in reverse order, browsers in parallel. {@link #local} puts everything on this machine; {@link #inNamespace}
 * adds a network namespace with a veth link to this machine, the node reachable at the host end of that link, and
 * browsers inside the namespace whose traffic the test can spoil with nftables or {@code tc}.
 *
 * <p>The namespace needs root, {@code ip} and {@code nft} (and {@code tc} when asked): {@code ./test} installs them and
 * CI runs as root, so a missing one fails the test instead of skipping it.
 */
final class BrowserCall implements AutoCloseable {
    private final NetNamespace ns;
    private final PrismTestServer server;
    private final List<ChromeBrowser> browsers;

    /** A node on loopback and browsers named {@code names} on this machine, launched while the node starts. */
    static BrowserCall local(List<String> names) {
        CompletableFuture<List<ChromeBrowser>> launching =
                CompletableFuture.supplyAsync(() -> ChromeBrowser.launchAll(names), BrowserThreads.POOL);
        PrismTestServer server;
        try {
            server = PrismTestServer.start();
        } catch (RuntimeException e) {
            try {
                launching.join().forEach(ChromeBrowser::close);
            } catch (RuntimeException launchFailed) {
                e.addSuppressed(launchFailed); // launchAll closed the browsers it had started
            }
            throw e;
        }
        try {
            return new BrowserCall(null, server, launching.join());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * @param needTc      the test shapes the link with {@code tc}
     * @param onHost      names of browsers on this machine, in order
     * @param inNamespace names of browsers inside the namespace, after them in {@link #browsers()}
     * @throws AssertionError when this machine cannot make network namespaces
     */
    static BrowserCall inNamespace(boolean needTc, List<String> onHost, List<String> inNamespace) {
        assertThat(NetNamespace.available() && (!needTc || NetNamespace.hasTc()))
                .as("network-namespace tests need root, ip and nft%s (./test installs them; run it as root)",
                        needTc ? " and tc" : "")
                .isTrue();
        NetNamespace ns = NetNamespace.create();
        PrismTestServer server = null;
        try {
            server = PrismTestServer.startReachableAt(ns.hostAddress());
            List<String> secureOrigin = List.of("--unsafely-treat-insecure-origin-as-secure=http://"
                    + ns.hostAddress() + ":" + server.httpPort());
            List<Supplier<ChromeBrowser>> launches = new ArrayList<>();
            for (String name : onHost) {
                launches.add(() -> ChromeBrowser.launch(name));
            }
            for (String name : inNamespace) {
                launches.add(() -> ChromeBrowser.launch(name, ns.wrap(ChromeBrowser.CHROMIUM), secureOrigin));
            }
            return new BrowserCall(ns, server, ChromeBrowser.launchEach(launches));
        } catch (RuntimeException e) {
            new BrowserCall(ns, server, List.of()).close();
            throw e;
        }
    }

    private BrowserCall(NetNamespace ns, PrismTestServer server, List<ChromeBrowser> browsers) {
        this.ns = ns;
        this.server = server;
        this.browsers = List.copyOf(browsers);
    }

    /** The namespace; only for {@link #inNamespace}. */
    NetNamespace ns() {
        if (ns == null) {
            throw new IllegalStateException("a local call has no namespace");
        }
        return ns;
    }

    PrismTestServer server() {
        return server;
    }

    /** The browsers in the order given: those on this machine, then those in the namespace. */
    List<ChromeBrowser> browsers() {
        return browsers;
    }

    @Override
    public void close() {
        try {
            BrowserThreads.parallel(browsers, b -> {
                b.close();
                return b;
            });
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (ns != null) {
                    ns.close();
                }
            }
        }
    }
}
