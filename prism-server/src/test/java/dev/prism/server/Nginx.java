package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy/nginx/prism.conf} in a real nginx (Debian's; {@code ./test} installs it) as a child process: master
 * plus one worker, everything (logs, pid, temporary files) under one directory. Used by {@link NginxFrontTest} (one
 * node) and the cluster bench ({@code dev.prism.server.cluster.ClusterBench}, several).
 *
 * <p>The config is the file operators install, rendered by {@link #render} replacing only the node lines between its
 * {@code # nodes:begin} / {@code # nodes:end} markers and its {@code listen 80;}; a small main config around it gives
 * nginx non-root paths. Stopped with SIGTERM and, failing that, killed with its workers, on {@link #close()} or by a
 * JVM shutdown hook.
 */
public final class Nginx implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Thread killOnExit;
    private final int port;
    private final Path errorLog;

    private Nginx(Process process, int port, Path errorLog) {
        this.process = process;
        this.port = port;
        this.errorLog = errorLog;
        this.killOnExit = new Thread(this::kill, "nginx-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** {@code deploy/nginx/prism.conf} of this checkout (the tests run with prism-server as working directory). */
    public static String operatorsConfig() throws IOException {
        return Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("../deploy/nginx/prism.conf"));
    }

    /**
     * The operators' config with {@code nodes} (HTTP ports on loopback) as its upstream servers and nginx listening on
     * {@code listenPort} of loopback. Fails if the markers or the listen line are missing: the config and the tests
     * must not drift apart.
     */
    public static String render(String conf, List<Integer> nodes, int listenPort) {
        Matcher m = Pattern.compile("(?s)([ \\t]*# nodes:begin\\n).*?([ \\t]*# nodes:end\\n)").matcher(conf);
        assertThat(m.find()).as("prism.conf has the # nodes:begin / # nodes:end markers").isTrue();
        StringBuilder servers = new StringBuilder();
        for (int port : nodes) {
            servers.append("    server 127.0.0.1:").append(port).append(" max_fails=1 fail_timeout=10s;\n");
        }
        String rendered = conf.substring(0, m.end(1)) + servers + conf.substring(m.start(2));
        assertThat(rendered).as("prism.conf listens on port 80").contains("    listen 80;\n");
        return rendered.replace("    listen 80;\n", "    listen 127.0.0.1:" + listenPort + ";\n");
    }

    /**
     * Starts nginx with {@code prismConf} (a {@link #render rendered} config) in {@code dir} and waits until
     * {@code /healthz} answers 200 through it (from a node behind it), the process dies, or 20 s pass.
     */
    public static Nginx start(Path dir, String prismConf) throws Exception {
        Matcher listen = Pattern.compile("listen 127\\.0\\.0\\.1:(\\d+);").matcher(prismConf);
        assertThat(listen.find()).isTrue();
        int port = Integer.parseInt(listen.group(1));
        Files.writeString(dir.resolve("prism.conf"), prismConf);
        Path errorLog = dir.resolve("error.log");
        StringBuilder main = new StringBuilder();
        // A master started as root hands its workers to another user; ours must reach this private directory.
        if ("root".equals(System.getProperty("user.name"))) {
            main.append("user root;\n");
        }
        main.append("worker_processes 1;\n")
                .append("events { worker_connections 256; }\n")
                .append("http {\n")
                .append("    access_log ").append(dir.resolve("access.log")).append(";\n");
        for (String temp : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            main.append("    ").append(temp).append("_temp_path ").append(dir.resolve(temp)).append(";\n");
        }
        main.append("    include ").append(dir.resolve("prism.conf")).append(";\n}\n");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, main);
        List<String> command = new ArrayList<>(List.of(binary(), "-p", dir + "/", "-e", errorLog.toString(),
                "-c", conf.toString(), "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";"));
        Path out = dir.resolve("nginx.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Nginx nginx = new Nginx(p, port, errorLog);
        try {
            nginx.awaitServing(out);
            return nginx;
        } catch (Throwable e) {
            nginx.close();
            throw e;
        }
    }

    /** The loopback port nginx listens on. */
    public int port() {
        return port;
    }

    /** The master's PID. */
    public long pid() {
        return process.pid();
    }

    /** nginx's error log (upstream failures, retries on the next node). */
    public Path errorLog() {
        return errorLog;
    }

    private static String binary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("nginx is not installed (./test installs Debian's: apt-get install nginx)");
    }

    /** Until /healthz answers 200 through nginx (from the node behind it), the process dies, or the deadline. */
    private void awaitServing(Path out) throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ": " + Files.readString(out)
                        + (Files.exists(errorLog) ? Files.readString(errorLog) : ""));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (ConnectException e) {
                last = e.toString(); // not listening yet
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // the pause between probes; returns early if it exits
        }
        throw new AssertionError("nginx did not serve /healthz within " + START_DEADLINE + ": " + last + "; "
                + (Files.exists(errorLog) ? Files.readString(errorLog) : ""));
    }

    /** SIGTERM (nginx's fast shutdown: the master stops its workers); then SIGKILL to whatever is left. */
    private void kill() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle w : workers) {
            if (w.isAlive()) {
                w.destroyForcibly();
            }
        }
    }

    /** Stops nginx and its workers; fails if the master survived SIGKILL. Idempotent. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs kill() again, harmlessly
        }
        if (process.isAlive()) {
            throw new UncheckedIOException(new IOException("nginx (pid " + process.pid() + ") survived SIGKILL"));
        }
    }
}
