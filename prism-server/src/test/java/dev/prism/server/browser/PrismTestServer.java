package dev.prism.server.browser;

import dev.prism.core.config.PrismConfigBuilder;
import dev.prism.core.config.PrismConfig;
import dev.prism.server.PrismServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Prism server under test, started in this JVM on ephemeral ports. This is the only class of the browser tests
 * that knows how the server is configured and started.
 *
 * <p>HTTP (demo page, signaling WebSocket) on an ephemeral port, media on an ephemeral UDP port, the advertised media
 * address left to the server's automatic choice (one of this machine's own addresses). Browsers reach it on
 * 127.0.0.1.
 */
final class PrismTestServer implements AutoCloseable {

    private final PrismServer server;

    private PrismTestServer(PrismServer server) {
        this.server = server;
    }

    /** Starts a server and blocks until it listens. */
    static PrismTestServer start() {
        // HTTP on loopback; media on all addresses, advertised on the machine's own address, which is where
        // Chromium's host candidates live.
        PrismConfig config = PrismConfig.builder().httpHost("127.0.0.1").httpPort(0).udpPort(0).build();
        return new PrismTestServer(PrismServer.start(config));
    }

    /**
     * Starts a server whose HTTP listens on every address and whose media (on every address too) is advertised at
     * {@code advertiseAddress}: for browsers in a network namespace that reach this machine there.
     */
    static PrismTestServer startReachableAt(String advertiseAddress) {
        return startReachableAt(advertiseAddress, b -> b);
    }

    /** {@link #startReachableAt(String)} with more settings (TURN servers, ...). */
    static PrismTestServer startReachableAt(String advertiseAddress,
                                            java.util.function.UnaryOperator<PrismConfigBuilder> more) {
        PrismConfig config = more.apply(withPacerProperty(PrismConfig.builder().httpHost("0.0.0.0").httpPort(0)
                .udpPort(0).bindAddress("0.0.0.0").advertiseAddress(advertiseAddress))).build();
        return new PrismTestServer(PrismServer.start(config));
    }

    /**
     * {@code -Dprism.test.pacer=on|off} runs the namespaced tests' server with the pacer on or off (unset: the
     * server's default), so one scenario can be measured both ways without editing the test.
     */
    private static PrismConfigBuilder withPacerProperty(PrismConfigBuilder b) {
        String pacer = System.getProperty("prism.test.pacer");
        return pacer == null || pacer.isBlank() ? b : b.pacer(pacer);
    }

    /**
     * Starts a dual-stack server: HTTP on every address of both families ({@code ::}), media on every IPv4 address
     * advertised at this machine's own address (the automatic choice) and on {@code advertise6} (an IPv6 address of
     * this machine, {@code --advertise6}), ICE-TCP on as by default.
     */
    static PrismTestServer startDualStack(String advertise6) {
        PrismConfig config = PrismConfig.builder().httpHost("::").httpPort(0).udpPort(0).bindAddress("0.0.0.0")
                .advertiseAddress6(advertise6).build();
        return new PrismTestServer(PrismServer.start(config));
    }

    /** The server itself, for tests that look at its media counters or sessions. */
    PrismServer server() {
        return server;
    }

    int mediaPort() {
        return server.mediaPort();
    }

    /** Every media thread's port, comma-separated (an nftables set's elements). */
    String mediaPortsForNft() {
        return server.mediaPorts().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    int httpPort() {
        return server.httpPort();
    }

    /** The demo page's join link: opening it joins {@code room} as {@code name} with camera and microphone. */
    String joinUrl(String room, String name) {
        return joinUrl("127.0.0.1", room, name);
    }

    /** The join link through {@code host} (an address of this machine the browser can reach; IPv6 in brackets). */
    String joinUrl(String host, String room, String name) {
        return "http://" + host + ":" + httpPort() + "/?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8)
                + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** {@code http://127.0.0.1:<port>}. */
    String baseUrl() {
        return "http://127.0.0.1:" + httpPort();
    }

    /** The admin secret of this run (development mode generates one). */
    String adminSecret() {
        return server.adminSecret();
    }

    /** The admin page, showing {@code room}. */
    String adminUrl(String room) {
        return baseUrl() + "/admin/#room=" + URLEncoder.encode(room, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
