package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The stage of a browser test: a Prism node and Chromium (and Firefox) browsers, launched together (browsers take the
 * longest) and closed in reverse order, browsers in parallel. {@link #local} puts everything on this machine; {@link #inNamespace}
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
    private final List<FirefoxBrowser> firefoxes;

    /** A node on loopback and browsers named {@code names} on this machine, launched while the node starts. */
    static BrowserCall local(List<String> names) {
        return local(names, List.of());
    }

    /**
     * A node on loopback, Chromium browsers named {@code chromium} and Firefox browsers named {@code firefox} on this
     * machine, all launched while the node starts. When anything fails to start, what did start is closed.
     */
    static BrowserCall local(List<String> chromium, List<String> firefox) {
        CompletableFuture<List<ChromeBrowser>> launching =
                CompletableFuture.supplyAsync(() -> ChromeBrowser.launchAll(chromium), BrowserThreads.POOL);
        CompletableFuture<List<FirefoxBrowser>> launchingFirefox =
                CompletableFuture.supplyAsync(() -> launchFirefox(firefox), BrowserThreads.POOL);
        PrismTestServer server = null;
        RuntimeException failure = null;
        try {
            server = PrismTestServer.start();
        } catch (RuntimeException e) {
            failure = e;
        }
        List<ChromeBrowser> chromes = null;
        List<FirefoxBrowser> firefoxes = null;
        try {
            chromes = launching.join();
        } catch (RuntimeException e) {
            failure = add(failure, e); // launchAll closed the browsers it had started
        }
        try {
            firefoxes = launchingFirefox.join();
        } catch (RuntimeException e) {
            failure = add(failure, e); // launchFirefox closed the browsers it had started
        }
        if (failure != null) {
            new BrowserCall(null, server, chromes == null ? List.of() : chromes,
                    firefoxes == null ? List.of() : firefoxes).close();
            throw failure;
        }
        return new BrowserCall(null, server, chromes, firefoxes);
    }

    private static List<FirefoxBrowser> launchFirefox(List<String> names) {
        List<FirefoxBrowser> out = new ArrayList<>();
        try {
            for (String name : names) {
                out.add(FirefoxBrowser.launch(name));
            }
            return out;
        } catch (RuntimeException e) {
            out.forEach(FirefoxBrowser::close);
            throw e;
        }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        RuntimeException n = next instanceof java.util.concurrent.CompletionException c
                && c.getCause() instanceof RuntimeException r ? r : next;
        if (first == null) {
            return n;
        }
        first.addSuppressed(n);
        return first;
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
        return launch(ns, () -> PrismTestServer.startReachableAt(ns.hostAddress()), ns.hostAddress(), onHost,
                List.of(), inNamespace);
    }

    /**
     * A namespace whose link carries IPv6 only ({@link NetNamespace#createIpv6Only()}), a node advertising this
     * machine's own IPv4 address and the link's IPv6 address ({@code --advertise6}) with HTTP on every address of both
     * families, browsers named {@code onHost} on this machine and {@code inNamespace} inside (reaching the node at
     * {@code [ns.hostAddress()]}). Those on this machine gather IPv4 candidates only (Chromium's
     * {@code WebRTC-IPv6Default} field trial disabled): this machine may have IPv6 too, and Chromium prefers IPv6 pairs,
     * so they would otherwise reach the node's IPv6 candidate as well.
     */
    static BrowserCall inIpv6Namespace(List<String> onHost, List<String> inNamespace) {
        assertThat(NetNamespace.available()).as("network-namespace tests need root, ip and nft (./test installs "
                + "them; run it as root)").isTrue();
        NetNamespace ns = NetNamespace.createIpv6Only();
        return launch(ns, () -> PrismTestServer.startDualStack(ns.hostAddress()), "[" + ns.hostAddress() + "]",
                onHost, List.of("--force-fieldtrials=WebRTC-IPv6Default/Disabled/"), inNamespace);
    }

    /** Starts the node, then the browsers; on failure closes what started (the namespace too) and throws. */
    private static BrowserCall launch(NetNamespace ns, Supplier<PrismTestServer> start, String hostInUrl,
                                      List<String> onHost, List<String> onHostArgs, List<String> inNamespace) {
        PrismTestServer server = null;
        try {
            server = start.get();
            List<String> secureOrigin = List.of("--unsafely-treat-insecure-origin-as-secure=http://"
                    + hostInUrl + ":" + server.httpPort());
            List<Supplier<ChromeBrowser>> launches = new ArrayList<>();
            for (String name : onHost) {
                launches.add(() -> ChromeBrowser.launch(name, ChromeBrowser.CHROMIUM, onHostArgs));
            }
            for (String name : inNamespace) {
                launches.add(() -> ChromeBrowser.launch(name, ns.wrap(ChromeBrowser.CHROMIUM), secureOrigin));
            }
            return new BrowserCall(ns, server, ChromeBrowser.launchEach(launches), List.of());
        } catch (RuntimeException e) {
            new BrowserCall(ns, server, List.of(), List.of()).close();
            throw e;
        }
    }

    private BrowserCall(NetNamespace ns, PrismTestServer server, List<ChromeBrowser> browsers,
            List<FirefoxBrowser> firefoxes) {
        this.ns = ns;
        this.server = server;
        this.browsers = List.copyOf(browsers);
        this.firefoxes = List.copyOf(firefoxes);
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

    /** The Chromium browsers in the order given: those on this machine, then those in the namespace. */
    List<ChromeBrowser> browsers() {
        return browsers;
    }

    /** The Firefox browsers in the order given. */
    List<FirefoxBrowser> firefoxes() {
        return firefoxes;
    }

    @Override
    public void close() {
        try {
            List<AutoCloseable> all = new ArrayList<>(browsers);
            all.addAll(firefoxes);
            BrowserThreads.parallel(all, b -> {
                try {
                    b.close(); // both kinds never throw
                } catch (Exception e) {
                    System.err.println("closing " + b + ": " + e);
                }
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
