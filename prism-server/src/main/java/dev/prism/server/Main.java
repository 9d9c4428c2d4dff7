package dev.prism.server;

import dev.prism.core.config.PrismConfig;
import dev.prism.server.config.CommandLine;
import dev.prism.server.config.UsageException;

/** {@code ./prism [options]}: runs one node until interrupted; {@code ./prism token ...} prints a token. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("token")) { // ./prism token ...: print a token and exit
            System.exit(TokenCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    System.out, System.err));
            return;
        }
        PrismConfig config;
        try {
            config = CommandLine.parse(args, System.getenv());
        } catch (UsageException e) {
            if (e.helpRequested()) {
                System.out.println(CommandLine.help());
                return;
            }
            System.err.println("prism: " + e.getMessage());
            System.err.println("Run ./prism --help for the options.");
            System.exit(2);
            return;
        }
        PrismServer server = PrismServer.start(config);
        boolean signals = StopSignals.install(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!signals) {
                server.stop().orTimeout(config.shutdownGraceSeconds() + 15L, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> 0).join(); // no signal handler: the grace happens here
            }
            server.close();
        }, "prism-shutdown"));
        String base = "http://127.0.0.1:" + server.httpPort();
        StringBuilder banner = new StringBuilder();
        banner.append("\n  Prism is running.\n")
                .append("  Demo:        ").append(base).append("/?room=demo&name=alice\n")
                .append("  Signaling:   ws://<host>:").append(server.httpPort()).append("/ws?token=...\n")
                .append("  Admin:       ").append(base).append("/admin/")
                .append(server.adminSecret() == null ? "  (disabled: no --admin-secret)\n" : "\n")
                .append("  Metrics:     ").append(base).append("/metrics   health: /healthz   ready: /readyz\n")
                .append("  Media:       UDP ").append(config.bindAddress()).append(':').append(portRange(server.mediaPorts()))
                .append(" (advertised as ").append(server.advertiseAddress()).append("; one port per media thread)\n");
        if (server.developmentMode()) {
            banner.append("\n  !!! DEVELOPMENT MODE: no API secret is configured. Anyone can get a token from\n")
                    .append("  !!! /api/dev-token and join any room. Set --api-secret (or PRISM_API_SECRET)\n")
                    .append("  !!! for production. Admin secret for this run: ").append(server.adminSecret())
                    .append('\n');
        }
        System.out.println(banner);
    }

    /** "40000" or "40000-40001" (consecutive when configured; the list when the ports were picked freely). */
    static String portRange(java.util.List<Integer> ports) {
        int first = ports.get(0);
        int last = ports.get(ports.size() - 1);
        boolean consecutive = last - first == ports.size() - 1;
        if (ports.size() == 1) {
            return String.valueOf(first);
        }
        return consecutive ? first + "-" + last : ports.toString().replace(" ", "");
    }
}
