package dev.prism.cluster.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real Debian {@code redis-server} for tests, on a free loopback port with its own temporary directory, no
 * persistence ({@code --save '' --appendonly no}). Started and stopped by PID; {@link #pause()} / {@link #resume()}
 * send SIGSTOP / SIGCONT, {@link #stop()} and {@link #restart()} (same port, empty data) make an outage. Every started
 * process is killed on {@link #close()} and, failing that, by a JVM shutdown hook.
 *
 * <p>{@code ./test} installs {@code redis-server} with apt-get when it is missing; without it {@link #start()} fails
 * with a message saying so (tests never skip).
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration READY_DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "redis-server-reaper"));
    }

    private final Path dir;
    private final int port;
    private Process process;
    private boolean paused;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a fresh server on a free loopback port and waits until it answers PING. */
    public static RedisServer start() throws IOException {
        Path dir = Files.createTempDirectory("prism-redis-");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServer server = new RedisServer(dir, freePort());
            try {
                server.launch();
                return server;
            } catch (IOException e) {
                last = e; // the port was taken between choosing and binding: choose another
                server.close();
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The running server's PID, or -1. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** SIGSTOP: the server keeps its socket but answers nothing (a frozen or partitioned Redis). */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    /** Stops the server (SIGTERM, then SIGKILL after a deadline); its data is gone (no persistence). */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        if (paused) {
            resume();
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(p);
            process = null;
        }
    }

    /** Starts the server again on the same port (empty), after {@link #stop()}. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** True when PING answers PONG within {@code timeout}. */
    public boolean ping(Duration timeout) {
        try {
            return "PONG".equals(call(timeout, "PING"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs one command over a fresh connection and returns the reply: String (simple or bulk), Long, List, or null.
     * An error reply throws IllegalStateException.
     */
    public Object call(String... args) throws IOException {
        return call(Duration.ofSeconds(5), args);
    }

    private Object call(Duration timeout, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, timeout.toMillis());
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** Kills the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is harmless
            }
        }
    }

    private void launch() throws IOException {
        List<String> command = List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", "redis.log",
                "--daemonize", "no");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run redis-server (install it: apt-get install redis-server; ./test does)",
                    e);
        }
        RUNNING.add(p);
        process = p;
        paused = false;
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (!ping(Duration.ofMillis(200))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = readLog();
                stop();
                throw new IOException("redis-server on port " + port + " did not answer PING within "
                        + READY_DEADLINE.toSeconds() + " s; its log:\n" + log);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private String readLog() {
        StringBuilder log = new StringBuilder();
        for (String name : List.of("stdout.log", "redis.log")) {
            try {
                log.append(Files.readString(dir.resolve(name)));
            } catch (IOException e) {
                log.append("(no ").append(name).append(")\n");
            }
        }
        return log.toString();
    }

    private void signal(String signal) {
        long pid = pid();
        if (pid < 0) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Object readReply(InputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readReply(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed in a reply");
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }
}
