package dev.prism.server.cluster;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Prism node of a {@link ClusterBench}: {@code dev.prism.server.Main} in its own JVM, on fixed loopback ports
 * chosen when the bench started (so a {@link #restart()} comes back where nginx expects it), its stdout and stderr
 * appended to {@link #log()}.
 *
 * <p>Every process is killed by {@link ClusterBench#close()} and, failing that, by a JVM shutdown hook
 * ({@link #RUNNING}). Signals are sent by PID: {@link #kill9()} SIGKILL, {@link #stop()} SIGTERM, {@link #pause()}
 * SIGSTOP, {@link #resume()} SIGCONT.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class PrismNode {
    /** Every node process started and not yet seen dead; killed by the shutdown hook. */
    static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "prism-node-reaper"));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);
    private static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(5);

    private final String name;
    private final int httpPort;
    private final int udpPort;
    private final List<String> command;
    private final String adminSecret;
    private final Path log;
    private final java.util.function.LongConsumer onLaunch;
    private Process process;
    private boolean paused;
    private int starts;
    private Duration lastStartup;

    PrismNode(String name, int httpPort, int udpPort, List<String> command, String adminSecret, Path log,
            java.util.function.LongConsumer onLaunch) {
        this.name = name;
        this.httpPort = httpPort;
        this.udpPort = udpPort;
        this.command = List.copyOf(command);
        this.adminSecret = adminSecret;
        this.log = log;
        this.onLaunch = onLaunch;
    }

    /** "node-1", "node-2", ... */
    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The node's (first) media UDP port; the bench runs one media thread, so its only one. */
    public int udpPort() {
        return udpPort;
    }

    /** {@code http://127.0.0.1:<httpPort>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The running process's PID, or -1 when it is not running. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public boolean isPaused() {
        return paused;
    }

    /** The JVM command line (java, its options, Main and the node's options). */
    public List<String> command() {
        return command;
    }

    /** stdout and stderr of every run of this node, each run after a "=== start" line. */
    public Path log() {
        return log;
    }

    /** How long the last start took from launching the JVM to {@code /readyz} 200, or null before the first. */
    public Duration startupTime() {
        return lastStartup;
    }

    /** The command line for the log: without the (long) class path, secrets masked. */
    private String printable() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            String word = command.get(i);
            String previous = i > 0 ? command.get(i - 1) : "";
            if (previous.equals("-cp")) {
                word = "<the test class path>";
            } else if (previous.endsWith("-secret")) {
                word = "***";
            }
            line.append(i > 0 ? " " : "").append(word);
        }
        return line.toString();
    }

    /** Starts the JVM (not waiting for it); see {@link #awaitReady}. */
    void launch() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.writeString(log, (starts++ == 0 ? "" : "\n") + "=== start " + starts + " of " + name + " at "
                    + Instant.now() + ": " + printable() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // The node takes its settings from the command line only: no PRISM_* of the test's environment.
            pb.environment().keySet().removeIf(k -> k.startsWith("PRISM_"));
            Process p = pb.start();
            RUNNING.add(p);
            process = p;
            paused = false;
            p.onExit().thenAccept(RUNNING::remove);
            onLaunch.accept(p.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * Waits until {@code /readyz} answers 200, measured from the last launch; fails when the process exits or at the
     * deadline, with the node's log.
     */
    Duration awaitReady(long launchedAtNanos, Duration deadline) {
        long end = launchedAtNanos + deadline.toNanos();
        String last = "nothing yet";
        Process p = process;
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited with " + p.exitValue() + " before it was ready\n" + logText());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    lastStartup = Duration.ofNanos(System.nanoTime() - launchedAtNanos);
                    return lastStartup;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + name);
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(name + " not ready within " + deadline.toSeconds() + " s (last: " + last
                        + ")\n" + logText());
            }
            try {
                p.waitFor(50, TimeUnit.MILLISECONDS); // the pause between probes; returns early if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + name);
            }
        }
    }

    /** SIGKILL, and waits (5 s at most) until the process is gone. */
    public void kill9() {
        Process p = requireProcess();
        p.destroyForcibly(); // SIGKILL on Linux, also to a stopped process
        awaitExit(p, Duration.ofSeconds(5));
        paused = false;
    }

    /** SIGTERM (the node's graceful shutdown), waiting up to 15 s; then SIGKILL. Returns the exit code. */
    public int stop() {
        return stop(STOP_DEADLINE);
    }

    /**
     * SIGTERM, waiting up to {@code deadline} for the node to exit; a node still running then is killed and the call
     * fails. A paused node is resumed first (a stopped process does not act on SIGTERM).
     */
    public int stop(Duration deadline) {
        Process p = requireProcess();
        if (paused) {
            resume();
        }
        p.destroy();
        try {
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                awaitExit(p, Duration.ofSeconds(5));
                throw new AssertionError(name + " did not exit within " + deadline.toMillis()
                        + " ms of SIGTERM; killed");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted stopping " + name);
        }
        return p.exitValue();
    }

    /** SIGSTOP: the process keeps its sockets and answers nothing (a frozen node, a long GC pause, a partition). */
    public void pause() {
        signal("STOP");
        paused = true;
        // The signal is delivered asynchronously: return once every thread of the JVM has stopped.
        Deadline.await(SIGNAL_DEADLINE, name + " stopped by SIGSTOP",
                () -> threadStates().allMatch(PrismNode::stopped));
    }

    /** SIGCONT after {@link #pause()}; returns once no thread of the JVM is stopped any more. */
    public void resume() {
        signal("CONT");
        paused = false;
        Deadline.await(SIGNAL_DEADLINE, name + " running after SIGCONT",
                () -> threadStates().noneMatch(PrismNode::stopped));
    }

    private static boolean stopped(char state) {
        return state == 'T' || state == 't';
    }

    /** The state letter of every thread ({@code /proc/<pid>/task/<tid>/stat}); empty when not running. */
    private java.util.stream.Stream<Character> threadStates() {
        long pid = pid();
        if (pid < 0) {
            return java.util.stream.Stream.empty();
        }
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(t -> state(t.resolve("stat"))).filter(c -> c != '-').toList().stream();
        } catch (IOException e) {
            return java.util.stream.Stream.empty(); // exited meanwhile
        }
    }

    private static char state(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2); // after "pid (comm) "
        } catch (IOException e) {
            return '-'; // the thread ended meanwhile
        }
    }

    /**
     * Kills the node if it still runs, starts it again on the same ports with the same options, and waits for
     * {@code /readyz}. Returns the start-up time.
     */
    public Duration restart() {
        if (isAlive()) {
            kill9();
        }
        long at = System.nanoTime();
        launch();
        return awaitReady(at, ClusterBench.READY_DEADLINE);
    }

    /**
     * The process state letter from {@code /proc/<pid>/stat} ({@code R}, {@code S}, {@code T} when stopped ...), or
     * {@code '-'} when not running.
     */
    public char processState() {
        long pid = pid();
        return pid < 0 ? '-' : state(Path.of("/proc/" + pid + "/stat"));
    }

    /** {@code GET <path>} on this node with the admin secret; the answer, whatever its status. */
    public HttpResponse<String> adminGet(String path) {
        return get(path, adminSecret, Duration.ofSeconds(5));
    }

    /** {@code GET <path>} on this node (no credentials). */
    public HttpResponse<String> get(String path, Duration timeout) {
        return get(path, null, timeout);
    }

    /** {@code GET /admin/api/node}: the node's counts and load (docs/ADMIN.md). */
    public JsonObject nodeView() {
        HttpResponse<String> r = adminGet("/admin/api/node");
        if (r.statusCode() != 200) {
            throw new AssertionError(name + ": GET /admin/api/node answered " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    /** {@code GET /admin/api/rooms/{room}}, or null when this node has no such room (404). */
    public JsonObject roomView(String room) {
        HttpResponse<String> r = adminGet("/admin/api/rooms/" + java.net.URLEncoder.encode(room,
                StandardCharsets.UTF_8).replace("+", "%20"));
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new AssertionError(name + ": GET room " + room + " answered " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    /** The whole log as text (for failure messages). */
    public String logText() {
        try {
            return "--- " + log + " ---\n" + Files.readString(log, StandardCharsets.UTF_8) + "--- end of " + name
                    + " ---";
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + "[http " + httpPort + ", udp " + udpPort + ", pid " + pid() + (paused ? ", paused" : "") + "]";
    }

    /** Kills the process if it runs (SIGKILL, also when paused); for {@link ClusterBench#close()}. */
    void destroy() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            awaitExit(p, Duration.ofSeconds(5));
        }
        paused = false;
    }

    private HttpResponse<String> get(String path, String bearer, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(timeout);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private Process requireProcess() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return p;
    }

    private void awaitExit(Process p, Duration deadline) {
        try {
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " (pid " + p.pid() + ") still alive " + deadline.toMillis()
                        + " ms after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name + " to exit");
        }
        RUNNING.remove(p);
    }

    private void signal(String signal) {
        long pid = requireProcess().pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
