package dev.prism.perf.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process with its output in a log file, stopped politely (SIGTERM) and then by force, and removed by a
 * shutdown hook if the load run dies first.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Thread reaper;
    private final List<String> command;
    private final Path log;

    private ServerProcess(Process process, List<String> command, Path log) {
        this.process = process;
        this.command = command;
        this.log = log;
        this.reaper = new Thread(this::kill, "load-server-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    static ServerProcess start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        return new ServerProcess(pb.start(), List.copyOf(command), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> command() {
        return command;
    }

    /** Polls {@code url} until it answers 2xx, the process dies or the timeout passes. */
    void awaitHttp(HttpClient http, URI url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                // a bad --server-args lands here: the server's own message is in its log
                throw new IllegalStateException("server exited with " + process.exitValue() + " while starting; see "
                        + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server did not answer " + url + " within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A currently free TCP port on loopback (free again when this returns; a small race is accepted). */
    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A currently free UDP port on {@code address}. */
    static int freeUdpPort(String address) throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }
}
