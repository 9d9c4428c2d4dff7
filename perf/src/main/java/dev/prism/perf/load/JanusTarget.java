package dev.prism.perf.load;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Janus 1.x (Debian's package) with its VideoRoom plugin, started for the run with a configuration written here: only
 * the VideoRoom plugin and the plain HTTP transport, the HTTP API on loopback, ICE lite on this machine's own
 * address (Janus never offers 127.0.0.1), one room created over the API. The participants bind to that address too.
 * Janus must be installed ({@code perf/run load --target janus} installs it with apt-get when it is missing).
 */
final class JanusTarget implements Target {
    private static final Path PACKAGED_CONFIG = Path.of("/etc/janus/janus.jcfg");
    private static final long ROOM = 4242;

    private final Path workDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Long> feeds = new CopyOnWriteArrayList<>();
    private final String address;
    private final String iface;
    private ServerProcess process;
    private URI api;
    private String description = "janus (not started)";

    JanusTarget(Path workDir) {
        this.workDir = workDir;
        String[] own = ownAddress();
        this.address = own[0];
        this.iface = own[1];
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public void start() throws Exception {
        String janus = executable();
        int httpPort = ServerProcess.freeTcpPort();
        Path conf = workDir.resolve("janus-conf");
        writeConfig(conf, httpPort);
        List<String> cmd = List.of(janus, "-F", conf.toString(), "-C", conf.resolve("janus.jcfg").toString(),
                "-o", "-d", "3");
        process = ServerProcess.start(cmd, workDir.resolve("janus.log"));
        api = URI.create("http://127.0.0.1:" + httpPort + "/janus");
        process.awaitHttp(http, URI.create(api + "/info"), java.time.Duration.ofSeconds(30));
        // One room for everybody, as a backend would create it.
        JanusSession control = JanusSession.create(http, api, Runnable::run).get(10, TimeUnit.SECONDS);
        long handle = control.attach("janus.plugin.videoroom", e -> { }).get(10, TimeUnit.SECONDS);
        JsonObject created = control.message(handle, new JsonObject().put("request", "create").put("room", ROOM)
                .put("publishers", 100).put("bitrate", 0).put("fir_freq", 0).put("audiocodec", "opus")
                .put("videocodec", "vp8").put("notify_joining", false), null).get(10, TimeUnit.SECONDS);
        JsonObject data = created.getJsonObject("plugindata").getJsonObject("data");
        if (!"created".equals(data.getString("videoroom"))) {
            throw new IllegalStateException("janus did not create the room: " + created.encode());
        }
        control.close();
        description = String.join(" ", cmd) + " (" + version(janus) + "; ICE lite on " + address + " " + iface
                + ", HTTP API on 127.0.0.1:" + httpPort + ")";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String clientBindAddress() {
        return address;
    }

    @Override
    public RoomSignaling signaling(String room, String identity, boolean publisher, Executor loop) {
        return publisher
                ? new JanusSignaling(http, api, loop, ROOM, identity, List.of(), feeds::add)
                : new JanusSignaling(http, api, loop, ROOM, identity, List.copyOf(feeds), null);
    }

    @Override
    public JvmProbe jvm() {
        return null;
    }

    @Override
    public Path gcLog() {
        return null;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    private void writeConfig(Path conf, int httpPort) throws IOException {
        Files.createDirectories(conf);
        String packaged = Files.exists(PACKAGED_CONFIG) ? Files.readString(PACKAGED_CONFIG) : "";
        String plugins = folder(packaged, "plugins_folder", "/usr/lib/x86_64-linux-gnu/janus/plugins");
        String transports = folder(packaged, "transports_folder", "/usr/lib/x86_64-linux-gnu/janus/transports");
        String events = folder(packaged, "events_folder", "/usr/lib/x86_64-linux-gnu/janus/events");
        String loggers = folder(packaged, "loggers_folder", "/usr/lib/x86_64-linux-gnu/janus/loggers");
        Files.writeString(conf.resolve("janus.jcfg"), """
                general: {
                    configs_folder = "%s"
                    plugins_folder = "%s"
                    transports_folder = "%s"
                    events_folder = "%s"
                    loggers_folder = "%s"
                    debug_level = 3
                    server_name = "prism-perf"
                    session_timeout = 120
                }
                media: {
                }
                nat: {
                    ice_lite = true
                    ice_enforce_list = "%s"
                    nice_debug = false
                }
                plugins: {
                    disable = "%s"
                }
                transports: {
                    disable = "%s"
                }
                events: {
                    broadcast = false
                }
                """.formatted(conf, plugins, transports, events, loggers, iface,
                disableAllBut(plugins, "libjanus_videoroom.so"), disableAllBut(transports, "libjanus_http.so")));
        Files.writeString(conf.resolve("janus.transport.http.jcfg"), """
                general: {
                    json = "compact"
                    base_path = "/janus"
                    http = true
                    port = %d
                    ip = "127.0.0.1"
                    https = false
                }
                admin: {
                    admin_http = false
                    admin_https = false
                }
                """.formatted(httpPort));
        Files.writeString(conf.resolve("janus.plugin.videoroom.jcfg"), """
                general: {
                }
                """);
    }

    private static String folder(String config, String key, String fallback) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + "\\s*=\\s*\"([^\"]+)\"").matcher(config);
        return m.find() ? m.group(1) : fallback;
    }

    /** Every .so in {@code folder} but {@code keep}, comma-separated, for Janus's "disable" lists. */
    private static String disableAllBut(String folder, String keep) throws IOException {
        Path dir = Path.of(folder);
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".so") && !n.equals(keep))
                    .sorted().collect(Collectors.joining(","));
        }
    }

    private static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "janus");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("janus is not installed (apt-get install janus; perf/run does it)");
    }

    private static String version(String janus) {
        try {
            Process p = new ProcessBuilder(janus, "--help").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.startsWith("Janus version")).findFirst().orElse(out);
        } catch (IOException | InterruptedException e) {
            return "version unknown";
        }
    }

    /** This machine's first IPv4 address on an interface that is up and not loopback: {address, interface}. */
    static String[] ownAddress() {
        try {
            List<NetworkInterface> all = new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
            for (NetworkInterface ni : all) {
                if (!ni.isUp() || ni.isLoopback() || ni.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return new String[] {a.getHostAddress(), ni.getName()};
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
        throw new IllegalStateException("no non-loopback IPv4 address: Janus needs one for its candidates");
    }
}
