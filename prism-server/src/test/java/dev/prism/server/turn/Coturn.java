package dev.prism.server.turn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's coturn ({@code turnserver}) run by a test as its own process, with deploy/coturn/turnserver.conf as its
 * configuration: only the lines between {@code # site:begin} and {@code # site:end} (addresses, ports, certificate,
 * log, allowed peers) are replaced by the test's, and the shared secret is given on the command line as in production.
 * A throw-away self-signed certificate for the listening address is made with {@code openssl} in the temporary
 * directory. {@link #close()} stops the process (SIGTERM, then SIGKILL) and deletes the directory; a JVM shutdown hook
 * does the same if the test dies first. {@code ./test} installs coturn with apt-get when it is missing.
 */
public final class Coturn implements AutoCloseable {
    public static final Path TURNSERVER = Path.of(System.getProperty("prism.turnserver", "/usr/bin/turnserver"));
    private static final Path CONF = Path.of("..", "deploy", "coturn", "turnserver.conf");

    private final Process process;
    private final Path dir;
    private final String address;
    private final int port;
    private final int tlsPort;
    private final Thread cleanupHook;
    private boolean closed;

    private Coturn(Process process, Path dir, String address, int port, int tlsPort) {
        this.process = process;
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.tlsPort = tlsPort;
        this.cleanupHook = new Thread(this::stop, "coturn-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    public static boolean installed() {
        return Files.isExecutable(TURNSERVER);
    }

    /**
     * Starts coturn listening on {@code address} (UDP and TCP {@code port}; TLS and TCP on {@code tlsPort}), relaying
     * from that address, and blocks until it accepts TCP connections.
     *
     * @param secret       the {@code static-auth-secret}
     * @param allowedPeers peer addresses allowed although the deploy configuration denies their range (Prism's media
     *                     address when it is private)
     */
    public static Coturn start(String address, int port, int tlsPort, String secret, List<String> allowedPeers) {
        if (!installed()) {
            throw new IllegalStateException(TURNSERVER + " missing: Debian package coturn (./test installs it)");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("prism-coturn-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process = null;
        try {
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=prism-turn-test",
                    "-addext", "subjectAltName=IP:" + address);
            List<String> site = new ArrayList<>(List.of("listening-ip=" + address, "relay-ip=" + address,
                    "listening-port=" + port, "tls-listening-port=" + tlsPort, "cert=" + dir.resolve("cert.pem"),
                    "pkey=" + dir.resolve("key.pem"), "min-port=49152", "max-port=65535", "log-file=stdout",
                    "pidfile=" + dir.resolve("turnserver.pid"), "userdb=" + dir.resolve("turndb")));
            allowedPeers.forEach(p -> site.add("allowed-peer-ip=" + p));
            Files.writeString(dir.resolve("turnserver.conf"), render(Files.readString(CONF), site));
            process = new ProcessBuilder(TURNSERVER.toString(), "-c", dir.resolve("turnserver.conf").toString(),
                    "--static-auth-secret=" + secret)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("turnserver.log").toFile()).start();
            Coturn coturn = new Coturn(process, dir, address, port, tlsPort);
            coturn.awaitListening(Duration.ofSeconds(15));
            return coturn;
        } catch (IOException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw e;
        }
    }

    /** A free TCP port on this machine right now (coturn also binds it for UDP). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The deploy file with its site block replaced by {@code site}. */
    static String render(String conf, List<String> site) {
        int begin = conf.indexOf("# site:begin\n");
        int end = conf.indexOf("# site:end\n");
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(CONF + " lost its '# site:begin' / '# site:end' markers");
        }
        return conf.substring(0, begin) + String.join("\n", site) + "\n" + conf.substring(end);
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("coturn exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException e) {
                try {
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
        close();
        throw new IllegalStateException("coturn did not listen on " + address + ":" + port + " within " + timeout);
    }

    public InetSocketAddress udpAddress() {
        return new InetSocketAddress(address, port);
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** What coturn logged so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("turnserver.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops coturn and deletes its files. Idempotent; never throws. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or ran
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("coturn: could not delete " + dir + ": " + e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
