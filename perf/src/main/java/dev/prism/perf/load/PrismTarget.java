package dev.prism.perf.load;

import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A Prism node started as its own JVM from this process's class path ({@code dev.prism.server.Main}, what
 * {@code ./prism} runs), on loopback only, with an API secret so tokens are minted here exactly as a backend would,
 * and a GC log for pause times. Extra arguments (the load run's {@code --server-args}) go after the run's own, so a
 * later occurrence of an option wins where Prism lets it.
 */
public final class PrismTarget implements Target {
    private static final String HOST = "127.0.0.1";

    private final List<String> jvmOptions;
    private final List<String> serverArgs;
    private final Path workDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String secret;
    private final TokenService tokens;
    private ServerProcess process;
    private JvmProbe jvm;
    private int httpPort;
    private int udpPort;
    private String description = "prism (not started)";

    /**
     * @param jvmOptions options for the server JVM (heap size, GC), e.g. {@code -Xmx1g}
     * @param serverArgs arguments appended to Prism's command line, e.g. {@code --media-threads 2}; not checked here
     */
    public PrismTarget(List<String> jvmOptions, List<String> serverArgs, Path workDir) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.serverArgs = List.copyOf(serverArgs);
        this.workDir = workDir;
        byte[] s = new byte[24];
        new SecureRandom().nextBytes(s);
        this.secret = HexFormat.of().formatHex(s);
        this.tokens = new TokenService(secret, TokenService.SYSTEM_EPOCH_SECONDS);
    }

    @Override
    public String name() {
        return "prism";
    }

    @Override
    public void start() throws Exception {
        httpPort = ServerProcess.freeTcpPort();
        udpPort = ServerProcess.freeUdpPort(HOST);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Xlog:gc,gc+phases:file=" + gcLog() + ":uptime"); // gc+phases: where ZGC logs its pauses
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.prism.server.Main");
        cmd.addAll(List.of("--http-host", HOST, "--http-port", Integer.toString(httpPort),
                "--udp-port", Integer.toString(udpPort), "--bind", HOST, "--advertise", HOST));
        cmd.addAll(serverArgs);
        List<String> shown = new ArrayList<>(cmd);
        cmd.addAll(List.of("--api-secret", secret));
        shown.addAll(List.of("--api-secret", "<random>"));
        process = ServerProcess.start(cmd, workDir.resolve("prism-server.log"));
        process.awaitHttp(http, URI.create("http://" + HOST + ":" + httpPort + "/healthz"), Duration.ofSeconds(60));
        jvm = JvmProbe.attach(process.pid());
        description = String.join(" ", shown.subList(0, shown.indexOf("-cp")))
                + " -cp <perf class path> " + String.join(" ", shown.subList(shown.indexOf("-cp") + 2, shown.size()));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String clientBindAddress() {
        return HOST;
    }

    @Override
    public RoomSignaling signaling(String room, String identity, boolean publisher, Executor loop) {
        long now = tokens.nowEpochSeconds();
        String token = tokens.issue(new AccessToken(room, identity, identity, publisher, !publisher, now,
                now + 3600));
        URI uri = URI.create("ws://" + HOST + ":" + httpPort + "/ws?token="
                + URLEncoder.encode(token, StandardCharsets.US_ASCII));
        return new PrismSignaling(http, uri, loop, identity);
    }

    /** The HTTP/WebSocket port of the started node (loopback). */
    public int httpPort() {
        return httpPort;
    }

    /** A token for {@code identity} in {@code room}, publish and subscribe granted, valid one hour. */
    public String token(String room, String identity) {
        long now = tokens.nowEpochSeconds();
        return tokens.issue(new AccessToken(room, identity, identity, true, true, now, now + 3600));
    }

    @Override
    public JvmProbe jvm() {
        return jvm;
    }

    @Override
    public Path gcLog() {
        return workDir.resolve("prism-gc.log");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (jvm != null) {
            jvm.close();
        }
        if (process != null) {
            process.close();
        }
    }
}
