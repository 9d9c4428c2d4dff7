package dev.prism.perf.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A child process with its output in a log file, stopped politely (SIGTERM) and then by force, and removed by a
 * shutdown hook if the load run dies first. Started with a watched pattern, its output passes through a copier thread
 * that keeps the matching lines, so a caller can wait for a line the process prints when something happened
 * ({@link #awaitLine}).
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Thread reaper;
    private final List<String> command;
    private final Path log;
    /** Watched output lines so far, and the waits for one; guarded by itself. Null when the output is not watched. */
    private final List<String> watched;
    private final List<LineWait> lineWaits = new ArrayList<>();
    private boolean outputEnded;

    private record LineWait(int after, Predicate<String> test, CompletableFuture<String> found) {
    }

    private ServerProcess(Process process, List<String> command, Path log, boolean watching) {
        this.process = process;
        this.command = command;
        this.log = log;
        this.watched = watching ? new ArrayList<>() : null;
        this.reaper = new Thread(this::kill, "load-server-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    static ServerProcess start(List<String> command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        return new ServerProcess(pb.start(), List.copyOf(command), log, false);
    }

    /**
     * Starts {@code command} with its output (stdout and stderr) copied line by line to {@code log} by a daemon thread,
     * which keeps each line matching {@code watch} for {@link #awaitLine}.
     */
    static ServerProcess start(List<String> command, Path log, Pattern watch) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        ServerProcess p = new ServerProcess(pb.start(), List.copyOf(command), log, true);
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread copier = new Thread(() -> p.copyOutput(out, watch), "load-server-output");
        copier.setDaemon(true);
        copier.start();
        return p;
    }

    private void copyOutput(Writer out, Pattern watch) {
        try (out; BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (watch.matcher(line).find()) {
                    synchronized (watched) {
                        watched.add(line);
                        lineWaits.removeIf(this::answer);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone (its pipe closed) or the log cannot be written: the waits below fail
        }
        synchronized (watched) {
            outputEnded = true;
            lineWaits.forEach(w -> w.found().completeExceptionally(new IllegalStateException(
                    "the process's output ended (exit " + (process.isAlive() ? "?" : process.exitValue())
                            + ") before the line; see " + log)));
            lineWaits.clear();
        }
    }

    /** Completes the wait with the first watched line after its mark it accepts; whether it did. Under the lock. */
    private boolean answer(LineWait w) {
        for (int i = w.after(); i < watched.size(); i++) {
            if (w.test().test(watched.get(i))) {
                w.found().complete(watched.get(i));
                return true;
            }
        }
        return false;
    }

    /** How many watched lines the process printed so far: a mark for {@link #awaitLine}. */
    int watchedLines() {
        synchronized (watched) {
            return watched.size();
        }
    }

    /**
     * Waits for a watched line, printed after the first {@code after} ones, that {@code test} accepts; at most
     * {@code timeout}, then fails with what it waited for and where the log is. Fails at once when the output ended.
     */
    String awaitLine(int after, Predicate<String> test, Duration timeout, String what) throws InterruptedException {
        LineWait w = new LineWait(after, test, new CompletableFuture<>());
        synchronized (watched) {
            if (!answer(w)) {
                if (outputEnded) {
                    throw new IllegalStateException(what + ": the process's output ended first; see " + log);
                }
                lineWaits.add(w);
            }
        }
        try {
            return w.found().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(what + ": not printed within " + timeout.toSeconds() + " s; see " + log);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            synchronized (watched) {
                lineWaits.remove(w);
            }
        }
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
    /**
     * A port number free for UDP and for TCP on {@code address}: Prism listens for ICE-TCP on its UDP port's number,
     * and a number free for UDP alone may be one of the many TCP ports a test run has open (the server then fails to
     * start: "cannot bind the ICE-TCP socket").
     */
    static int freeUdpPort(String address) throws IOException {
        InetAddress host = InetAddress.getByName(address);
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket s = new DatagramSocket(0, host)) {
                int port = s.getLocalPort();
                try (java.net.ServerSocket tcp = new java.net.ServerSocket(port, 1, host)) {
                    return port;
                } catch (IOException takenForTcp) {
                    // try another number
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + address + " after 50 attempts");
    }
}
